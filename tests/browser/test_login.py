"""A person logs in with the keyboard, sees the synthesis, logs out; reset pages look right."""

import pytest
from django.urls import reverse

from accounts.services import reset as reset_service
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.browser import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_login_synthesis_and_logout(page, titulaire, summary):
    page.goto(reverse("accounts:login"))
    assert page.get_by_role("heading", level=1).inner_text() == "Espace Titulaire"
    assert_accessible(page, "login")
    screenshot(page, "login")

    # A wrong password first: the generic message, then the right one with the keyboard only.
    page.get_by_label("Identifiant").fill(titulaire.nir)
    page.get_by_label("Mot de passe", exact=False).first.fill("Mauvais2015!")
    page.keyboard.press("Enter")
    page.get_by_text("Identifiant ou mot de passe incorrect.").first.wait_for()
    assert_accessible(page, "login error")
    screenshot(page, "login-error")

    page.get_by_label("Identifiant").fill("")
    page.get_by_label("Identifiant").focus()
    nir = titulaire.nir
    page.keyboard.type(
        f"{nir[:1]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"
    )
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**" + reverse("accounts:synthese"))
    assert page.get_by_role("heading", level=1).inner_text() == "Synthèse de votre compte"
    assert page.get_by_text("Heures DIF non renseignées").is_visible()
    assert_accessible(page, "synthese")
    screenshot(page, "synthese")

    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**" + reverse("accounts:login"))
    assert page.get_by_text("Vous êtes déconnecté.").is_visible()


def test_reset_pages(page, titulaire):
    page.goto(reverse("accounts:login"))
    page.get_by_role("link", name="Mot de passe oublié").click()
    assert_accessible(page, "reset request")
    screenshot(page, "reset-request")
    page.get_by_label("Identifiant").fill(titulaire.nir)
    page.get_by_label("Courriel").fill(titulaire.email)
    page.get_by_role("button", name="Recevoir le lien").click()
    page.wait_for_url("**" + reverse("accounts:reset_sent"))
    assert_accessible(page, "reset sent")
    screenshot(page, "reset-sent")

    page.goto(reverse("accounts:reset_land", args=[reset_service.make_link_token(titulaire)]))
    page.wait_for_url("**" + reverse("accounts:reset_set"))
    page.get_by_label("Nouveau mot de passe").fill("abc")
    page.get_by_label("Confirmation").fill("abd")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    assert_accessible(page, "reset set errors")
    screenshot(page, "reset-set")
    page.get_by_label("Nouveau mot de passe").fill("Nouveau2016!abc")
    page.get_by_label("Confirmation").fill("Nouveau2016!abc")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    page.wait_for_url("**" + reverse("accounts:login"))
    assert page.get_by_text("Votre mot de passe a bien été modifié.").is_visible()

    page.goto(reverse("accounts:reset_land", args=["forged-1-2"]))
    assert_accessible(page, "reset invalid")
    screenshot(page, "reset-invalid")


def test_operators_login_through_the_gate(page, titulaire, superuser):
    """The operators' door (its own view since issue 12): a titulaire's right password gets
    the generic refusal, in French and accessible; a staff account then logs in by keyboard."""
    page.goto(reverse("admin:login"))
    assert page.get_by_role("heading", level=1).inner_text() == "Espace des opérateurs : connexion"
    page.get_by_label("Identifiant (n° de sécurité sociale)").fill(titulaire.nir)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.get_by_text("d'un compte autorisé", exact=False).wait_for()
    assert_accessible(page, "operators login error")
    screenshot(page, "admin-login-error")
    page.get_by_label("Identifiant (n° de sécurité sociale)").fill(superuser.nir)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**" + reverse("admin:index"))
