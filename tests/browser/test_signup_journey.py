"""The whole signup in a browser, as a person does it: home page -> Mon Compte Formation ->
S'inscrire -> the 4 steps -> demo mailbox -> confirmation link -> login -> synthesis."""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Vacances2015!x"


def captcha_answer(page) -> str:
    from captcha.models import CaptchaStore

    key = page.locator("input[name='captcha_0']").input_value()
    return CaptchaStore.objects.get(hashkey=key).response


def test_signup_journey(page, settings, nir_factory):
    settings.MAILERS = {"default": {"BACKEND": "demo.mail.DemoMailboxBackend"}}
    nir = nir_factory(sex="F")

    page.goto("/")
    page.get_by_role("link", name="Mon Compte Formation").first.click()
    page.get_by_role("link", name="S'inscrire").click()

    # Step 1: the CGU, unticked first.
    expect(page.locator("ol.steps li[aria-current='step']")).to_contain_text("Valider les CGU")
    assert_accessible(page, "étape 1")
    page.locator("summary", has_text="Lire les Conditions Générales").click()
    expect(page.get_by_role("heading", name="6. Données personnelles")).to_be_visible()
    screenshot(page, "signup_1_cgu", fits_narrow=True)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("alert")).to_contain_text("Merci de valider les Conditions")
    assert_accessible(page, "étape 1, erreur")
    page.get_by_label("Je déclare avoir lu").press("Space")
    page.get_by_role("button", name="Continuer").click()

    # Step 2: the tutorial dialog, then the identity (Enter submits, not the captcha renewal).
    expect(page.locator("ol.steps li[aria-current='step']")).to_contain_text("S'inscrire")
    assert_accessible(page, "étape 2")
    tutorial = page.get_by_role("link", name="Tutoriel : Inscription")
    tutorial.click()
    dialog = page.get_by_role("dialog", name=re.compile("Tutoriel : Inscription, étape 2"))
    expect(dialog).to_be_visible()
    assert_accessible(page, "tutoriel (dialogue)")
    screenshot(page, "signup_tutorial_dialog", narrow=False, full_page=False)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(tutorial).to_be_focused()

    old_key = page.locator("input[name='captcha_0']").input_value()
    page.get_by_role("button", name="cliquez ici pour renouveler les caractères").click()
    expect(page.locator("input[name='captcha_0']")).not_to_have_value(old_key)

    page.get_by_label("N° de sécurité sociale").fill(f"{nir[:1]} {nir[1:3]} {nir[3:]}")
    page.get_by_label("Madame").check()
    page.get_by_label("Prénom").fill("Camille")
    page.get_by_label("Nom de naissance").fill("Martin")
    page.get_by_label("Téléphone portable").fill("06 12 34 56 78")
    page.get_by_label(re.compile(r"^Courriel")).fill("camille.martin@demo.test")
    page.get_by_label("Confirmation courriel").fill("Camille.Martin@DEMO.test")
    page.get_by_label("Contrôle de sécurité").fill(captcha_answer(page).upper())
    screenshot(page, "signup_2_identity", fits_narrow=True)
    page.get_by_label("Contrôle de sécurité").press("Enter")

    # Step 3: the live checklist, a refused password, then a good one.
    expect(page.locator("ol.steps li[aria-current='step']")).to_contain_text("Saisir son mot")
    assert_accessible(page, "étape 3")
    password = page.get_by_label(re.compile(r"^Mot de passe"))
    rules = page.get_by_role("list", name="Votre mot de passe :").get_by_role("listitem")
    similar = rules.filter(has_text="Ne ressemble pas à votre prénom")
    password.fill("abc")
    # "abc" meets only the 128-character limit and is not like the name or email.
    expect(page.locator("[data-password-checklist] li.is-ok")).to_have_count(2)
    password.fill("Camille123!")  # the first name typed at step 2
    expect(similar).to_contain_text("règle non respectée")
    password.fill(PASSWORD)
    # Every rule the page can check is met; the common-password and NIR ones wait for the submit.
    expect(rules.filter(has_text="(règle respectée)")).to_have_count(5)
    expect(rules.filter(has_text="(vérifiée à l'envoi)")).to_have_count(2)
    page.get_by_label("Confirmation Mot de passe").fill("autre")
    page.get_by_role("button", name="Valider mon inscription").click()
    expect(page.get_by_role("alert")).to_contain_text("pas identiques")
    assert_accessible(page, "étape 3, erreur")
    screenshot(page, "signup_3_password", fits_narrow=True)
    page.get_by_label(re.compile(r"^Mot de passe")).fill(PASSWORD)
    page.get_by_label("Confirmation Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Valider mon inscription").click()

    # Step 4
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Votre inscription a bien été enregistrée"
    )
    assert_accessible(page, "étape 4")
    screenshot(page, "signup_4_done", fits_narrow=True)
    assert nir not in page.url
    page.get_by_role("link", name="Terminer").click()

    # The demo mailbox, newest first, and the link.
    page.goto("/demo/boite-mail/")
    page.get_by_role("link", name="Confirmez votre inscription").first.click()
    assert_accessible(page, "courriel")
    page.get_by_role(
        "link", name=re.compile(r"inscription.confirmer|Valider mon inscription")
    ).first.click()

    # Activated: the login page says so; log in with NIR + password.
    expect(page.get_by_text("Votre compte a bien été activé.")).to_be_visible()
    assert "/inscription/confirmer/" not in page.url
    assert_accessible(page, "connexion après activation")
    page.get_by_label("Identifiant").fill(nir)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="S'identifier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Synthèse de votre compte")
    assert_accessible(page, "synthèse")


def test_confirmation_pages_are_accessible(page, nir_factory):
    """The pages shown when the link does not activate (used, tampered)."""
    from accounts.services.signup import register

    nir = nir_factory()
    outcome = register(
        {
            "nir": nir,
            "civility": "M",
            "first_name": "Karim",
            "birth_name": "Benali",
            "email": "karim@demo.test",
        },
        PASSWORD,
    )
    page.goto(f"/inscription/confirmer/{outcome.token}/")
    expect(page.get_by_text("Votre compte a bien été activé.")).to_be_visible()
    page.goto(f"/inscription/confirmer/{outcome.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien a déjà été utilisé")
    assert_accessible(page, "lien déjà utilisé")
    screenshot(page, "confirm_used", fits_narrow=True)
    page.goto("/inscription/confirmer/abimé/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien n'est pas valide")
    assert_accessible(page, "lien non valide")


def test_expired_link_and_tutorial_pages(page, nir_factory):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import PendingSignup
    from accounts.services.signup import register

    outcome = register(
        {"nir": nir_factory(), "civility": "M", "birth_name": "Benali", "email": "k@demo.test"},
        PASSWORD,
    )
    now = timezone.now()
    PendingSignup.objects.update(
        created_at=now - timedelta(days=16), expires_at=now - timedelta(days=1)
    )
    page.goto(f"/inscription/confirmer/{outcome.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ce lien a expiré")
    assert_accessible(page, "lien expiré")
    screenshot(page, "confirm_expired", fits_narrow=True)
    page.get_by_role("link", name="Recommencer mon inscription").click()
    expect(page.locator("ol.steps li[aria-current='step']")).to_contain_text("Valider les CGU")
    page.goto("/inscription/tutoriel/3/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tutoriel : Inscription, étape 3")
    assert_accessible(page, "tutoriel (page)")
    screenshot(page, "signup_tutorial_page", fits_narrow=True)


def test_closed_link_page(page, nir_factory):
    """Issue 12, H1: the link of a signup closed by another one's confirmation."""
    from accounts.services.confirmation import confirm_token
    from accounts.services.signup import register

    nir = nir_factory()
    data = {"nir": nir, "civility": "M" if nir[0] == "1" else "MME", "birth_name": "Benali"}
    first = register({**data, "email": "un@demo.test"}, PASSWORD)
    second = register({**data, "email": "deux@demo.test"}, PASSWORD)
    confirm_token(first.token)
    page.goto(f"/inscription/confirmer/{second.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cette inscription ne peut plus être validée"
    )
    expect(page.get_by_role("link", name="assistance@moncompteformation.example")).to_be_visible()
    assert_accessible(page, "inscription close")
    screenshot(page, "confirm_closed", narrow=False)
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "confirm_closed_360", narrow=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="Mot de passe oublié").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
