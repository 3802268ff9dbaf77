"""A titulaire searches the catalogue, opens a training, starts a dossier, submits it and finds
it under "Dossiers en cours". Every page is checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import assert_accessible, login_as, screenshot
from tests.fixtures.catalogue import make_training

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_create_submit(page, titulaire):
    from tests.fixtures.hours import give

    give(titulaire.nir, cpf=100, dif=30)
    for index in range(25):
        make_training(
            str(500 + index),
            title=f"Bureautique niveau {index}",
            town="Lyon",
            department_code="69",
            department_name="Rhône",
        )
    make_training("300", title="Anglais professionnel", duration_hours=40)

    page.goto("/formations/")
    assert_accessible(page, "recherche")
    screenshot(page, "catalogue_search", narrow=False)
    page.get_by_label("Mots-clés").fill("anglais")
    page.get_by_label("Lieu").fill("Rennes")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("status")).to_contain_text("1 formation trouvée")
    assert_accessible(page, "résultats")
    page.get_by_role("link", name="Anglais professionnel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anglais professionnel")
    assert_accessible(page, "fiche formation, anonyme")
    expect(page.get_by_role("link", name="Identifiez-vous pour créer un dossier")).to_be_visible()
    # "Retour à la recherche" keeps the criteria; the région, in lower case, finds it too.
    page.get_by_role("link", name="Retour à la recherche").click()
    expect(page.get_by_label("Mots-clés")).to_have_value("anglais")
    expect(page.get_by_label("Lieu")).to_have_value("Rennes")
    expect(page.get_by_role("status")).to_contain_text("1 formation trouvée")
    page.get_by_label("Lieu").fill("bretagne")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.get_by_role("status")).to_contain_text("1 formation trouvée")
    expect(page.locator(".training-card .tag-list")).to_have_text("COPANEF")
    page.get_by_role("link", name="Anglais professionnel").click()

    login_as(page, titulaire)
    page.reload()
    screenshot(page, "catalogue_training")
    page.get_by_role("link", name="Créer un dossier de formation").click()
    expect(page.get_by_label("Code CPF de la formation")).to_have_value("300")
    assert_accessible(page, "création")
    screenshot(page, "dossier_create", narrow=False)
    page.get_by_label("Dossier confidentiel").check()
    page.get_by_role("button", name="Créer le dossier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"Dossier DOS-"))
    assert_accessible(page, "dossier")
    screenshot(page, "dossier_detail")
    page.get_by_role("link", name="Envoyer pour validation").click()
    assert_accessible(page, "confirmation")
    screenshot(page, "dossier_confirm", narrow=False)
    page.get_by_role("button", name="Envoyer le dossier").click()
    expect(page.get_by_role("status").first).to_contain_text("envoyé pour validation")
    page.get_by_role("link", name="Mes dossiers de formation").first.click()
    en_cours = page.get_by_role("region", name="Dossiers en cours")
    expect(en_cours.get_by_role("table")).to_contain_text("Anglais professionnel")
    expect(en_cours).to_contain_text("Confidentiel")
    assert_accessible(page, "liste")
    screenshot(page, "dossier_list", narrow=False)
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "dossier_list_360", narrow=False)
    page.goto("/formations/?lieu=Lyon")
    expect(page.get_by_role("status")).to_contain_text("25 formations trouvées")
    page.get_by_role("link", name="Page 2").click()
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    assert_accessible(page, "page 2")
    screenshot(page, "catalogue_search_360", narrow=False)
