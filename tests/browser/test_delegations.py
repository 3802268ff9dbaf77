"""Camille delegates her account to Karim, who accepts and views it; the profile pages."""

import pytest
from django.urls import reverse

from tests.fixtures.browser import assert_accessible, login_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_camille_delegates_and_karim_views_her_account(page, camille, karim):
    login_as(page, camille)
    page.goto(reverse("accounts:synthese"))
    page.get_by_role("link", name="Mes délégations").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mes délégations"
    assert_accessible(page, "delegations vides")

    page.get_by_role("button", name="Envoyer l'invitation").click()  # empty: errors
    page.get_by_role("alert").first.wait_for()
    assert_accessible(page, "delegations erreurs")
    screenshot(page, "delegations-errors")

    page.get_by_label("Courriel de la personne").fill("karim@exemple.test")
    page.get_by_label("Consultation et gestion des dossiers").check()
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.get_by_text("Si une personne titulaire d'un compte utilise cette adresse").wait_for()
    assert page.get_by_role("table", name="Invitations envoyées, en attente d'acceptation")
    assert_accessible(page, "invitation envoyee")
    screenshot(page, "delegations-given")

    page.context.clear_cookies()
    login_as(page, karim)
    page.goto(reverse("delegations:list"))
    page.get_by_role("button", name="Accepter la délégation de Camille Martin").click()
    page.get_by_text("Vous avez accepté la délégation").wait_for()
    assert_accessible(page, "delegation acceptee")
    screenshot(page, "delegations-received")

    page.get_by_role("button", name="Consulter ce compte").click()
    page.wait_for_url("**" + reverse("accounts:synthese"))
    banner = page.get_by_role("region", name="Délégation")
    assert "Vous consultez le compte de Camille Martin" in banner.inner_text()
    assert "Consultation et gestion des dossiers" in banner.inner_text()
    assert page.get_by_role("link", name="Mes informations personnelles").count() == 0
    assert_accessible(page, "synthese deleguee")
    screenshot(page, "delegation-banner")

    page.get_by_role("button", name="Revenir à mon compte").click()
    page.get_by_text("Vous êtes revenu à votre compte.").wait_for()
    assert page.get_by_role("region", name="Délégation").count() == 0


def test_profile_pages(page, camille):
    login_as(page, camille)
    page.goto(reverse("accounts:synthese"))
    page.get_by_role("link", name="Mes informations personnelles").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mes informations personnelles"
    assert page.get_by_text(camille.masked_nir).is_visible()
    assert_accessible(page, "informations")
    screenshot(page, "profile-informations")

    page.get_by_role("link", name="Modifier mes numéros de téléphone").click()
    page.get_by_label("Téléphone fixe").fill("06 39 98 12 34")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("alert").first.wait_for()
    assert_accessible(page, "telephones erreur")
    screenshot(page, "profile-phones-error")
    page.get_by_label("Téléphone fixe").fill("01 39 98 12 34")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("01 39 98 12 34").wait_for()

    page.get_by_role("link", name="Modifier mon courriel").click()
    assert_accessible(page, "courriel")
    screenshot(page, "profile-email")
    page.get_by_role("link", name="Mes informations personnelles").first.click()

    page.get_by_role("link", name="Modifier mon mot de passe").click()
    page.get_by_label("Mot de passe actuel").fill("faux")
    page.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()
    page.get_by_role("alert").first.wait_for()
    assert_accessible(page, "mot de passe erreur")
    screenshot(page, "profile-password-error")
