"""A person browsing the public pages: home, every information page, the footer, a 404."""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# (accessible name of the link on the home page, h1 of the page it opens)
HOME_LINKS = [
    ("Mes droits", "Mes droits"),
    ("Mes interlocuteurs", "Mes interlocuteurs"),
    ("EN SAVOIR + sur l'espace titulaire", "L'espace titulaire"),
    ("Informer sur les heures DIF", "Informer sur les heures DIF"),
    ("L'accompagnement par l'OPCA", "L'accompagnement par l'OPCA"),
    ("Accéder à mon espace sécurisé (espace employeur)", "L'espace sécurisé des employeurs"),
    ("EN SAVOIR + sur l'espace employeurs", "Les employeurs et le compte personnel de formation"),
    ("Espace professionnel", "Espace professionnel"),
    (
        "EN SAVOIR + sur l'espace professionnels",
        "Les professionnels de l'emploi et de la formation",
    ),
    ("Conditions générales d'utilisation", "Conditions générales d'utilisation"),
    ("Mentions légales et données personnelles", "Mentions légales et données personnelles"),
    ("Accessibilité : partiellement conforme", "Déclaration d'accessibilité"),
]


def test_home_then_every_information_page(page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte personnel de formation")
    expect(page.get_by_role("link", name="Mon Compte Formation")).to_be_visible()
    assert_accessible(page, "accueil")
    screenshot(page, "home", narrow=False)
    for link_name, title in HOME_LINKS:
        page.goto("/")
        page.get_by_role("link", name=link_name, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.get_by_role("navigation", name="Fil d’Ariane")).to_be_visible()
        assert_accessible(page, link_name)
    screenshot(page, "info_accessibilite", narrow=False)
    # Breadcrumbs lead back up.
    page.goto("/informations/heures-dif/")
    page.get_by_role("navigation", name="Fil d’Ariane").get_by_role(
        "link", name="Les employeurs et le compte personnel de formation"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Les employeurs et le compte personnel de formation"
    )
    page.get_by_role("link", name="Accueil", exact=True).click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_home_at_360px_and_a_404(page):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/")
    # Nothing wider than the screen: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    expect(
        page.get_by_role("link", name="Accéder à mon espace sécurisé (espace titulaire)")
    ).to_be_visible()
    assert_accessible(page, "accueil 360 px")
    screenshot(page, "home_360", narrow=False)
    page.goto("/informations/mes-droits/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "info_360", narrow=False)
    response = page.goto("/page-qui-n-existe-pas/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    assert_accessible(page, "404")
    screenshot(page, "404_360", narrow=False)
    page.get_by_role("link", name="revenir à la page d'accueil").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte personnel de formation")


def test_csrf_failure_page(page):
    """A form sent after the session cookie is gone: the French 403 page, not Django's."""
    page.goto("/demo/numero-fictif/")
    page.context.clear_cookies()
    page.get_by_role("button", name="Générer des numéros").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre session a expiré")
    expect(page.get_by_text("la page a été ouverte trop longtemps")).to_be_visible()
    assert_accessible(page, "échec CSRF")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "csrf_360", narrow=False)
