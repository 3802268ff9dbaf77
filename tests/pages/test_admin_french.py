"""Issue 10, point 8: the whole Django admin in French, the libraries' apps included (django-axes,
django-tasks-db, auth), with the portal's banner; logging out says so. Every page is crawled as
a superuser: the index, each app, each list, each add, change, history and delete form, each
action's answer, the logout page; none shows an English label from the list below."""

import ast
import gettext
import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.services.signup import register
from cpf_portal.tasks import send_email
from tests.fixtures.signup import identity

pytestmark = pytest.mark.django_db

# Django's and the libraries' English labels, as they would show in the admin untranslated.
ENGLISH = [
    # django-axes
    "Attempted Access",
    "Access Log for",
    "Failed access",
    "Locked Out",
    "Clean up expired attempts",
    "Cleaned up",
    "User agent",
    "User Agent",
    "Attempt Time",
    "Attempt Remaining",
    "IP Address",
    "Username",
    "Path",
    "HTTP Accept",
    "GET Data",
    "POST Data",
    "Failed Logins",
    "Meta Data",
    "Form Data",
    "Not set",
    "Logout Time",
    "access attempt",
    "access attempts",
    "Access attempt",
    "Access attempts",
    "access log",
    "Access log",
    "Access logs",
    "access failure",
    "Access failure",
    "Access failures",
    "Axes",
    "Expires At",
    # django-tasks-db and django.tasks
    "Task Result",
    "Task Results",
    "Tasks Database Backend",
    "Status",
    "status",
    "traceback",
    "run after",
    "enqueued at",
    "started at",
    "finished at",
    "priority",
    "queue name",
    "backend name",
    "return value",
    "exception class path",
    "worker id",
    "task path",
    "args kwargs",
    "Ready",
    "Running",
    "Successful",
    "Failed",
    # Django's admin and auth
    "Log out",
    "Logged out",
    "Log in again",
    "Thanks for spending",
    "Change password",
    "View site",
    "Recent actions",
    "Filter",
    "Search",
    "Save",
    "Delete",
    "Add",
    "Change",
    "History",
    "Home",
    "Welcome",
    "Groups",
    "Group",
    "Authentication and",
    "Are you sure",
    "Summary",
    "Show all",
    "Any date",
    "Today",
    "Past 7 days",
    "This month",
    "This year",
    "Yes",
    "No",
    "Unknown",
    "Go",
    "Run",
    "Select",
    "selected",
    "captcha store",
]
ENGLISH_RE = re.compile(
    r"(?<![\w-])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w-])"
    r"|\w (object) \("  # Django's default name of an object: "DBTaskResult object (…)"
)


class VisibleText(HTMLParser):
    """The text a person reads or hears: text nodes and the labelling attributes."""

    ATTRIBUTES = {"title", "aria-label", "placeholder", "alt"}

    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "template", "pre", "code"}:
            self._skip += 1
        for name, value in attrs:
            labelling = name in self.ATTRIBUTES or (tag == "input" and name == "value")
            typed = tag == "input" and dict(attrs).get("type") in {"hidden", "text"}
            if value and labelling and not typed:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in {"script", "style", "template", "pre", "code"} and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def english_in(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return {"".join(groups) for groups in ENGLISH_RE.findall("\n".join(parser.parts))}


def library_rows(superuser):
    now = timezone.now()  # real clock: security records
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        fields = {
            "user_agent": "Navigateur de test",
            "ip_address": "127.0.0.1",
            "username": "quelqu'un",
            "http_accept": "text/html",
            "path_info": "/connexion/",
            "attempt_time": now,
        }
        if model is AccessAttempt:
            fields |= {"get_data": "", "post_data": "", "failures_since_start": 5}
        model.objects.create(**fields)
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        send_email.enqueue(["a@exemple.test"], "Objet", "Texte")
    assert DBTaskResult.objects.exists()
    Group.objects.get_or_create(name="Opérateurs")


def admin_pages(client):
    """Yield (url, response) for every admin page a superuser can reach from the index."""
    yield "index", client.get(reverse("admin:index"))
    app_labels = {model._meta.app_label for model in site._registry}
    for label in sorted(app_labels):
        yield f"app {label}", client.get(reverse("admin:app_list", args=[label]))
    for model, model_admin in site._registry.items():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        changelist = client.get(reverse(f"{name}_changelist"))
        yield f"{opts.label} list", changelist
        if model_admin.has_add_permission(changelist.wsgi_request):
            yield f"{opts.label} add", client.get(reverse(f"{name}_add"), follow=True)
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        for view in ("change", "history", "delete"):
            yield f"{opts.label} {view}", client.get(reverse(f"{name}_{view}", args=[obj.pk]))
        actions = changelist.context["cl"].model_admin.get_actions(changelist.wsgi_request)
        for action in actions:
            response = client.post(
                reverse(f"{name}_changelist"),
                {"action": action, "_selected_action": [obj.pk]},
                follow=True,
            )
            yield f"{opts.label} action {action}", response


def test_every_admin_page_is_in_french(client, superuser, nir_factory, locmem_email):
    call_command("seed_demo", stdout=StringIO())
    register(identity(nir_factory()), "Camille2015!x")  # a pending signup
    library_rows(superuser)
    client.force_login(superuser)
    crawled, found = 0, {}
    # (The index and the lists also link to the portal's own admin pages: the ledger's
    # "ajouter un mouvement", the NIR search; the add views are followed to them.)
    for what, response in admin_pages(client):
        assert response.status_code in (200, 403), (what, response.status_code)
        html = response.content.decode()
        if response.status_code == 200:
            crawled += 1
            assert "Site de démonstration" in html, what  # the portal's banner stays on
            assert 'lang="fr"' in html, what
        if english := english_in(html):
            found[what] = sorted(english)
    assert crawled > 60
    assert not found, found


def test_logging_out_of_the_admin_says_so_in_french(client, superuser):
    client.force_login(superuser)
    response = client.post(reverse("admin:logout"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vous êtes déconnecté" in html
    assert not english_in(html), english_in(html)
    assert client.get(reverse("admin:index")).status_code == 302  # logged out indeed


def test_english_labels_are_detected():
    """The crawl's detector finds the labels it looks for (so an empty result means French)."""
    assert english_in("<th>User agent</th><p>Clean up expired attempts</p>") == {
        "User agent",
        "Clean up expired attempts",
    }
    assert english_in('<a title="Log out">x</a>') == {"Log out"}
    assert english_in("<h2>DBTaskResult object (42)</h2>") == {"object"}
    assert not english_in("<p>Agent utilisateur, Statut</p><script>Status</script>")


def po_entries(path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (single and continued lines; no plurals or contexts)."""
    entries, current, key = {}, {}, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.startswith(("msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            current[key] = ast.literal_eval(rest)
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)
        elif not line.strip() and current:
            if current.get("msgid"):
                entries[current["msgid"]] = current["msgstr"]
            current, key = {}, None
    return entries


def test_the_committed_catalogue_is_compiled():
    """The .mo is committed (no gettext needed to run the portal): it says what the .po says."""
    locale = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES"
    entries = po_entries(locale / "django.po")
    with (locale / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    assert len(entries) > 40
    assert {msgid: compiled.gettext(msgid) for msgid in entries} == entries
