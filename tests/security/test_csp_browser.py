"""Issue 4, point 7: every page of the portal in Chromium, with no CSP violation reported by the
browser (the `page` fixture fails on any; an init script also reports `securitypolicyviolation`
events to the console) and axe-core on each page: public pages, the signup steps, login, reset,
every mon CompteFormation page as a titulaire with data, the catalogue, the demo pages, and the
admin as staff. Collected NIR-free URLs are checked too."""

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Titulaire
from demo.seeding import DEMO_PASSWORD, OPERATOR_PASSWORD
from dossiers.models import Dossier
from nir import rules as nir_rules
from tests.fixtures.browser import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error("Content Security Policy violation: " + event.violatedDirective + " "
                + event.blockedURI + " " + event.sourceFile + ":" + event.lineNumber);
});
"""
PUBLIC = [
    "/",
    "/informations/cgu/",
    "/informations/mes-droits/",
    "/informations/heures-dif/",
    "/informations/accessibilite/",
    "/formations/",
    "/formations/?q=anglais",
    "/mot-de-passe-oublie/",
    "/mot-de-passe-oublie/envoye/",
    "/inscription/tutoriel/1/",
    "/page-qui-n-existe-pas/",
    "/demo/numero-fictif/",
    "/demo/boite-mail/",
]


def admin_links(page, pattern) -> list[str]:
    """The distinct admin paths linked from the current page that match `pattern`."""
    hrefs = page.locator("#content a[href^='/admin/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    paths = (href.split("?")[0] for href in hrefs)
    return list(dict.fromkeys(path for path in paths if re.match(pattern, path)))


class Visitor:
    """Visits pages, runs axe on each and collects every problem instead of stopping at the
    first, so one run lists them all."""

    def __init__(self, page, nirs):
        self.page, self.nirs, self.problems, self.visited = page, nirs, [], []

    def check(self, label, axe=True):
        self.visited.append(self.page.url)
        if any(nir in self.page.url for nir in self.nirs):
            self.problems.append(f"NIR dans l'URL : {label}")
        if self.page.locator("h1").count() != 1:
            self.problems.append(f"{label} : {self.page.locator('h1').count()} h1")
        if self.page.locator("html").get_attribute("lang") not in ("fr", "fr-fr"):
            self.problems.append(f"{label} : lang")
        if axe:
            try:
                assert_accessible(self.page, label)
            except AssertionError as error:
                self.problems.append(str(error)[:1500])

    def visit(self, url, label=None, axe=True):
        response = self.page.goto(url)
        if response is None or response.status >= 500:
            self.problems.append(f"{url} : {response and response.status}")
        self.check(label or url, axe=axe)


@pytest.fixture
def demo(settings):
    settings.MAILERS = {"default": {"BACKEND": "demo.mail.DemoMailboxBackend"}}
    call_command("seed_demo", stdout=StringIO())
    return {
        "camille": Titulaire.objects.get(email="camille.martin@demo.test"),
        "operateur": Titulaire.objects.get(email="operateur@demo.test"),
    }


def log_in(page, nir, password):
    page.goto(reverse("accounts:login"))
    page.get_by_label("Identifiant").fill(nir)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_load_state()


def captcha_answer(page) -> str:
    from captcha.models import CaptchaStore

    key = page.locator("input[name='captcha_0']").input_value()
    return CaptchaStore.objects.get(hashkey=key).response


def test_every_page_without_csp_violation(page, demo, nir_factory):
    page.context.add_init_script(REPORT_VIOLATIONS)
    camille = demo["camille"]
    nirs = list(Titulaire.objects.values_list("nir", flat=True))
    visitor = Visitor(page, nirs)

    # Public pages and a training page.
    for url in PUBLIC:
        visitor.visit(url)
    page.goto("/formations/?q=anglais")
    page.locator("main a[href^='/formations/']").first.click()
    visitor.check("fiche formation")
    screenshot(page, "security_training")

    # Signup steps 1 to 4, with the errors of each step.
    nir = nir_factory(sex="F")
    nirs.append(nir)
    visitor.visit(reverse("accounts:signup_cgu"))
    page.get_by_role("button", name="Continuer").click()
    visitor.check("étape 1, erreur")
    page.get_by_label("Je déclare avoir lu").check()
    page.get_by_role("button", name="Continuer").click()
    visitor.check("étape 2")
    page.get_by_role("button", name=re.compile("^Continuer|^Valider|^Suivant")).first.click()
    visitor.check("étape 2, erreurs")
    page.get_by_label("N° de sécurité sociale").fill(nir)
    page.get_by_label("Madame").check()
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom de naissance").fill("Durand")
    page.get_by_label("Téléphone portable").fill("06 12 34 56 78")
    page.get_by_label(re.compile(r"^Courriel")).fill("camille.durand@demo.test")
    page.get_by_label("Confirmation courriel").fill("camille.durand@demo.test")
    page.get_by_label("Contrôle de sécurité").fill(captcha_answer(page))
    page.get_by_label("Contrôle de sécurité").press("Enter")
    page.wait_for_load_state()
    visitor.check("étape 3")
    page.get_by_label(re.compile(r"^Mot de passe")).fill(DEMO_PASSWORD)
    page.get_by_label("Confirmation Mot de passe").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Valider mon inscription").click()
    page.wait_for_load_state()
    assert "bien été enregistrée" in page.get_by_role("heading", level=1).inner_text()
    visitor.check("étape 4")

    # Login errors and the lock page.
    visitor.visit(reverse("accounts:login"))
    unknown = nir_factory()
    for _ in range(5):
        page.get_by_label("Identifiant").fill(unknown)
        page.get_by_label("Mot de passe").fill("Mauvais2015!x")
        page.get_by_role("button", name="S'identifier").click()
    page.wait_for_load_state()
    assert "temporairement verrouillé" in page.content()
    visitor.check("connexion, verrouillage")
    screenshot(page, "security_lockout")

    # mon CompteFormation as Camille (hours, DIF, dossiers, delegations, personal information).
    log_in(page, camille.nir, DEMO_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Synthèse de votre compte"
    visitor.check("synthèse")
    dossier = Dossier.objects.filter(titulaire=camille).order_by("reference")
    draft = dossier.filter(status="en_cours").first() or dossier.first()
    for url in [
        reverse("hours:compte"),
        reverse("hours:dif"),
        reverse("dossiers:list"),
        reverse("dossiers:create"),
        reverse("dossiers:detail", args=[dossier.first().reference]),
        reverse("dossiers:detail", args=[dossier.last().reference]),
        reverse("dossiers:edit", args=[draft.reference]),
        reverse("delegations:list"),
        reverse("accounts:informations"),
        reverse("accounts:phones"),
        reverse("accounts:email"),
        reverse("accounts:password_change"),
    ]:
        visitor.visit(url)
    screenshot(page, "security_dossiers")
    visitor.visit(reverse("accounts:password_change"))
    page.get_by_role("button", name=re.compile("Enregistrer|Valider|Modifier")).first.click()
    visitor.check("mot de passe, erreurs")
    visitor.visit(reverse("demo:mailbox"))
    page.get_by_role("button", name=re.compile("Se déconnecter|Déconnexion")).first.click()
    page.wait_for_load_state()

    # The admin as staff (superuser): every list of the index, the first object of each and
    # each "Ajouter" page, axe-core included: the staff's pages are pages too.
    log_in(page, demo["operateur"].nir, OPERATOR_PASSWORD)
    visitor.visit("/admin/")
    assert "/admin/login/" not in page.url
    lists = admin_links(page, r"^/admin/\w+/\w+/(add/)?$")
    assert len(lists) >= 15, lists
    for url in lists:
        visitor.visit(url)
        for change in admin_links(page, r"^/admin/\w+/\w+/\d+/change/")[:1]:
            visitor.visit(change)
    visitor.visit(f"/admin/accounts/titulaire/{camille.pk}/change/")
    # Staff type a NIR in a list's search box and press Enter: the row, never the NIR in the URL.
    visitor.visit("/admin/accounts/titulaire/")
    page.get_by_label("Rechercher", exact=True).fill(nir_rules.format_nir(camille.nir))
    page.get_by_label("Rechercher", exact=True).press("Enter")
    page.wait_for_url("**recherche_nir=1")
    visitor.check("admin, recherche par NIR")
    screenshot(page, "security_admin_nir_search")
    assert page.locator("#result_list tbody tr").count() == 1
    assert page.get_by_text(f"Résultats pour le numéro {nir_rules.mask_nir(camille.nir)}").count()
    page.get_by_label("Rechercher", exact=True).fill("Martin")
    page.get_by_label("Rechercher", exact=True).press("Enter")
    page.wait_for_url("**q=Martin")
    visitor.check("admin, recherche par nom")
    visitor.visit("/admin/hours/employerdeclaration/import/")
    visitor.visit("/admin/catalogue/training/import/")
    screenshot(page, "security_admin_audit")

    assert len(visitor.visited) >= 40, visitor.visited
    assert not visitor.problems, "\n\n".join(visitor.problems)


def test_the_pages_off_the_tour_without_csp_violation(page, demo, nir_factory):
    """The pages the tour above does not reach: the link landings (confirmation, new password,
    new address), the dossier confirmations, the account seen by a delegate, an email of the
    demo mailbox, the error pages and the admin's refusal form."""
    from accounts.services import profile as profile_service
    from accounts.services.reset import make_link_token
    from accounts.services.signup import register
    from delegations.models import Delegation, Level, Status
    from demo.models import DemoEmail
    from tests.fixtures.signup import identity

    page.context.add_init_script(REPORT_VIOLATIONS)
    camille, operateur = demo["camille"], demo["operateur"]
    nirs = list(Titulaire.objects.values_list("nir", flat=True))
    visitor = Visitor(page, nirs)

    # Links from emails, anonymous: confirmation (good and unknown), new password, tutorial.
    outcome = register(identity(nir_factory()), DEMO_PASSWORD)
    visitor.visit(reverse("accounts:confirm_land", args=[outcome.token]), "confirmation")
    visitor.visit(reverse("accounts:confirm_land", args=["inconnu"]), "lien inconnu")
    visitor.visit(reverse("accounts:reset_land", args=[make_link_token(camille)]), "nouveau mdp")
    page.get_by_role("button", name=re.compile("Enregistrer|Valider|Modifier")).first.click()
    visitor.check("nouveau mot de passe, erreurs")
    for step in range(2, 5):
        visitor.visit(reverse("accounts:signup_tutorial", args=[step]))
    visitor.visit("/deconnexion/", "405")
    visitor.visit("/formations/ab%00cd/", "400")

    # Camille: a new address to confirm, the confirmations of a dossier, an email of the demo.
    log_in(page, camille.nir, DEMO_PASSWORD)
    token = profile_service.make_email_token(camille, "camille.nouvelle@demo.test")
    visitor.visit(reverse("accounts:email_land", args=[token]), "nouvelle adresse")
    dossiers = Dossier.objects.filter(titulaire=camille)
    draft = dossiers.get(status="elaboration")
    waiting = dossiers.get(status="attente")
    for name, dossier in (("submit", draft), ("delete", draft), ("cancel", waiting)):
        visitor.visit(reverse(f"dossiers:{name}", args=[dossier.reference]))
    email = DemoEmail.objects.order_by("-pk").first()
    visitor.visit(reverse("demo:mailbox_detail", args=[email.pk]), "courriel de la démo")
    page.get_by_role("button", name=re.compile("Se déconnecter|Déconnexion")).first.click()
    page.wait_for_load_state()

    # A titulaire whose DIF is not locked yet: the DIF form itself, empty then refused.
    newcomer = Titulaire.objects.create_user(
        nir_factory(),
        DEMO_PASSWORD,
        civility="MME",
        first_name="Léa",
        birth_name="Roux",
        email="lea.roux@demo.test",
    )
    log_in(page, newcomer.nir, DEMO_PASSWORD)
    visitor.visit(reverse("hours:dif"), "DIF, formulaire")
    assert page.locator("form input[name='hours']").count() == 1
    page.get_by_label("Solde d'heures DIF").fill("500")
    page.get_by_role("button", name=re.compile("Enregistrer|Valider")).first.click()
    page.wait_for_load_state()
    visitor.check("DIF, erreur")

    # The operator consults Camille's account as a delegate, then refuses a dossier.
    delegation = Delegation.objects.create(
        titulaire=camille,
        delegate=operateur,
        email=operateur.email,
        level=Level.MANAGE,
        status=Status.ACCEPTED,
    )
    page.get_by_role("button", name=re.compile("Se déconnecter|Déconnexion")).first.click()
    page.wait_for_load_state()
    log_in(page, operateur.nir, OPERATOR_PASSWORD)
    page.goto(reverse("delegations:list"))
    page.get_by_role("button", name=re.compile("Consulter ce compte")).first.click()
    page.wait_for_load_state()
    assert delegation.titulaire.get_full_name() in page.content()
    visitor.check("synthèse, délégataire")
    for url in [reverse("hours:compte"), reverse("dossiers:list")]:
        visitor.visit(url, f"{url}, délégataire")
    # The titulaire's own pages are refused to a delegate: the French 403 page.
    response = page.goto(reverse("accounts:informations"))
    assert response.status == 403
    visitor.check("403, délégataire")
    page.goto(reverse("admin:dossiers_dossier_changelist"))
    page.locator(f"input[name='_selected_action'][value='{waiting.pk}']").check()
    page.locator("select[name='action']").select_option("action_refuse")
    page.locator("button[name='index']").click()
    page.wait_for_load_state()
    visitor.check("refus d'un dossier (admin)", axe=False)

    page.get_by_role("button", name=re.compile("Se déconnecter|Déconnexion")).first.click()
    page.wait_for_load_state()

    # A form sent after its CSRF cookie is gone (an old tab, cookies cleared): the French page.
    page.goto(reverse("accounts:login"))
    page.context.clear_cookies()
    page.get_by_label("Identifiant").fill(camille.nir)
    page.get_by_label("Mot de passe").first.fill(DEMO_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_load_state()
    visitor.check("échec CSRF")
    assert page.locator("h1").inner_text() != "Synthèse de votre compte"

    # Idle for 31 minutes: the session ends and the login page says why.
    log_in(page, camille.nir, DEMO_PASSWORD)
    from importlib import import_module

    from accounts.middleware import LAST_SEEN

    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    # The configured store (Redis, or the database through the cache): not the table behind it.
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    session[LAST_SEEN] -= 31 * 60
    session.save()
    page.goto(reverse("hours:compte"))
    page.wait_for_load_state()
    assert "30 minutes d'inactivité" in page.content()
    visitor.check("session expirée")

    # A signup waiting for its link: the login says so and offers a new link; then its result.
    pending_nir = nir_factory()
    register(identity(pending_nir), DEMO_PASSWORD)
    page.goto(reverse("accounts:login"))
    page.get_by_label("Identifiant").fill(pending_nir)
    page.get_by_label("Mot de passe").first.fill(DEMO_PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    page.wait_for_load_state()
    visitor.check("compte non activé")
    page.locator("form[action$='/inscription/nouveau-lien/'] button").click()
    page.wait_for_load_state()
    visitor.check("nouveau lien envoyé")

    # The audio captcha over its hourly limit: its own page, not a 500 or an empty answer.
    from accounts.views.signup import CAPTCHA_AUDIO_LIMIT
    from cpf_portal import ratelimit

    for _ in range(CAPTCHA_AUDIO_LIMIT.max_hits):
        ratelimit.hit(CAPTCHA_AUDIO_LIMIT, "127.0.0.1")
    page.goto(reverse("accounts:signup_cgu"))
    page.get_by_label(re.compile("Je déclare avoir lu")).check()
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_load_state()
    audio = page.locator("a[data-captcha-download]").get_attribute("href")
    response = page.goto(audio)
    assert response.status == 429
    visitor.check("captcha audio indisponible")

    assert len(visitor.visited) >= 20, visitor.visited
    assert not visitor.problems, "\n\n".join(visitor.problems)
