"""Issue 4, point 8: the NIR never appears in a URL (crawl of the portal as a titulaire with
data), a log line (signup, confirmation, login, lockout, reset, import captured at DEBUG), or an
email subject. The audit trail side is in test_templates_and_audit.py."""

import logging
import re
from collections import deque
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from accounts.models import PendingSignup, Titulaire
from nir import rules as nir_rules
from nir.logging import MaskNirFilter
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.personal_data import leaks, nir_forms
from tests.fixtures.signup import complete_signup

pytestmark = pytest.mark.django_db

LINK = re.compile(r'(?:href|action|src)="([^"]+)"')
SKIP = ("/static/", "/admin/", "/captcha/", "/deconnexion/", "/demo/boite-mail/vider/")


# Logs and email subjects


def test_no_nir_in_logs_or_email_subjects(client, make_titulaire, nir_factory, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    owner = make_titulaire()
    new_nir = nir_factory()
    # Signup (new NIR and existing NIR), confirmation link, login failures, lockout, success.
    complete_signup(client, new_nir)
    client.cookies.clear()
    complete_signup(client, owner.nir)
    link = next(m for m in mail.outbox if "/inscription/confirmer/" in m.body)
    token = link.body.split("/inscription/confirmer/")[1].split("/")[0]
    client.get(reverse("accounts:confirm_land", args=[token]))
    client.get(reverse("accounts:confirm"))
    assert Titulaire.objects.filter(nir=new_nir).exists()
    login = reverse("accounts:login")
    for _ in range(6):
        client.post(login, {"username": nir_rules.format_nir(owner.nir), "password": "Faux2015!x"})
    client.post(login, {"username": new_nir, "password": "Vacances2015!x"})
    # Reset, phones and the employer declarations import (with a faulty line).
    client.post(reverse("accounts:reset_request"), {"username": new_nir, "email": "x@exemple.test"})
    path = tmp_path / "declarations.csv"
    path.write_text(
        "nir;annee;heures_travaillees;duree_reference;faiblement_qualifie\n"
        f"{owner.nir};2016;1607;;\n{new_nir};1999;-5;;\n"
    )
    with pytest.raises(Exception):  # noqa: B017 - the faulty line refuses the file
        call_command("import_declarations", str(path), stdout=StringIO(), stderr=StringIO())
    path.write_text(
        f"nir;annee;heures_travaillees;duree_reference;faiblement_qualifie\n{owner.nir};2016;1607;;\n"
    )
    call_command("import_declarations", str(path), stdout=StringIO(), stderr=StringIO())

    nirs = [owner.nir, new_nir]
    assert caplog.records, "the flows above log something (axes, rate limits)"
    for record in caplog.records:
        text = " ".join(
            [record.getMessage(), str(record.args), record.exc_text or "", record.pathname]
        )
        assert not leaks(text, nirs), f"NIR dans le journal : {record.name} {record.levelname}"
    assert mail.outbox
    for message in mail.outbox:
        assert not leaks(message.subject, nirs), message.subject


# Tables that hold the NIR because it is what they are about (the account, the hours that
# belong to the NIR, a dossier's holder). Anything else must not: libraries included.
NIR_HOLDERS = {
    "accounts.Titulaire",
    "accounts.PendingSignup",
    "dossiers.Dossier",
    "hours.LedgerEntry",
    "hours.EmployerDeclaration",
    "hours.DifDeclaration",
    "hours.DifMovement",
    "hours.HoursAccount",
    "hours.StagedDeclaration",  # a temporary table, only inside an import's transaction
}


def test_no_nir_stored_outside_the_tables_about_it(client, make_titulaire):
    from django.apps import apps
    from django.db import models

    titulaire = make_titulaire()
    login = reverse("accounts:login")
    client.post(login, {"username": titulaire.nir, "password": "Faux2015!x"})
    client.post(login, {"username": nir_rules.format_nir(titulaire.nir), "password": PASSWORD})
    assert client.get(reverse("accounts:synthese")).status_code == 200
    client.post(reverse("accounts:logout"))
    client.post(login, {"username": titulaire.nir, "password": PASSWORD})

    found = []
    for model in apps.get_models():
        if model._meta.label in NIR_HOLDERS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, (models.CharField, models.TextField)) and field.concrete:
                for form in nir_forms(titulaire.nir):
                    if model._default_manager.filter(**{f"{field.name}__contains": form}).exists():
                        found.append(f"{model._meta.label}.{field.name}")
    assert not found, f"NIR en clair dans : {sorted(set(found))}"


def test_every_log_handler_masks_the_nir():
    """Django configures handlers of its own (the development server's access log): each one
    that is in use carries the masking filter, so no library can print a NIR."""
    from django.conf import settings

    configured = [""] + list(settings.LOGGING["loggers"])
    handlers = [
        (name, handler)
        for name in configured
        for handler in logging.getLogger(name or None).handlers
        if not type(handler).__module__.startswith("_pytest")  # pytest's capture
    ]
    assert {name for name, _handler in handlers} >= {"", "django", "django.server"}
    unmasked = [
        (name, handler)
        for name, handler in handlers
        if not any(isinstance(f, MaskNirFilter) for f in handler.filters)
    ]
    assert not unmasked, unmasked


def test_the_log_filter_masks_a_nir_anyway(nir_factory):
    """Last line of defence on the console handler, whatever a library logs."""
    nir = nir_factory()
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "valeur %s", (nir,), None)
    MaskNirFilter().filter(record)
    assert nir not in record.getMessage() and "[NIR masqué]" in record.getMessage()
    spaced = logging.LogRecord(
        "x", logging.INFO, __file__, 1, f"valeur {nir_rules.format_nir(nir)}", (), None
    )
    MaskNirFilter().filter(spaced)
    assert "[NIR masqué]" in spaced.getMessage()


# URLs


@pytest.fixture
def demo_data():
    call_command("seed_demo", stdout=StringIO())
    return Titulaire.objects.get(email="camille.martin@demo.test")


def crawl(client, starts, limit=160, per_pattern=3):
    seen, counts, urls = set(), {}, []
    queue = deque(starts)
    while queue and len(seen) < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        pattern = re.sub(r"\d+", "N", path)
        if url in seen or path.startswith(SKIP) or counts.get(pattern, 0) >= per_pattern:
            continue
        seen.add(url)
        counts[pattern] = counts.get(pattern, 0) + 1
        response = client.get(url)
        assert response.status_code < 500, url
        urls.append(url)
        if response.status_code in (301, 302):
            urls.append(response["Location"])
            queue.append(response["Location"])
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for link in LINK.findall(html):
            link = link.replace("&amp;", "&")
            urls.append(link)
            if link.startswith("/") and not link.startswith("//"):
                queue.append(link)
    return seen, urls


def test_no_nir_in_any_url_of_the_portal(client, demo_data, nir_factory):
    nirs = list(Titulaire.objects.values_list("nir", flat=True))
    assert len(nirs) >= 3
    # Public side, then the signup journey (its redirects), then the account with data.
    seen, urls = crawl(client, ["/", reverse("accounts:signup_cgu"), reverse("catalogue:search")])
    complete_signup(client, nir_factory())
    nirs += list(PendingSignup.objects.values_list("nir", flat=True))
    response = client.post(
        reverse("accounts:login"), {"username": demo_data.nir, "password": PASSWORD}
    )
    assert response.status_code == 302
    urls.append(response["Location"])
    more, more_urls = crawl(
        client,
        [
            reverse("accounts:synthese"),
            reverse("hours:compte"),
            reverse("hours:dif"),
            reverse("dossiers:list"),
            reverse("delegations:list"),
            reverse("accounts:informations"),
            reverse("demo:nir"),
            reverse("demo:mailbox"),
        ],
    )
    seen |= more
    urls += more_urls
    assert len(seen) > 25, sorted(seen)
    bad = [url for url in urls if leaks(url, nirs)]
    assert not bad, bad


def test_the_log_filter_masks_tracebacks(nir_factory):
    """A database error quotes the duplicate key: the traceback logged is masked too."""
    nir = nir_factory()
    try:
        raise ValueError(f"Key (nir)=({nir}) already exists.")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            (),
            sys.exc_info(),
        )
    MaskNirFilter().filter(record)
    assert nir not in logging.Formatter().format(record)
