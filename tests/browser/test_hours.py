"""A titulaire enters the DIF balance by its label and sees it on "Mon compte d'heures", with
the year-by-year credits. Every page visited is checked with axe-core."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import assert_accessible, login_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_enter_dif_and_see_it_on_the_hours_page(page, titulaire):
    from hours import services
    from hours.importer import DeclarationRow

    services.credit_declarations(
        [
            DeclarationRow(2, titulaire.nir, 2015, Decimal("1607"), None, False),
            DeclarationRow(3, titulaire.nir, 2016, Decimal("803.5"), None, False),
        ]
    )
    login_as(page, titulaire)
    page.goto("/mon-compte/heures/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte d'heures")
    expect(page.get_by_role("table").first).to_contain_text("803,5 h")
    assert_accessible(page, "compte d'heures sans DIF")
    screenshot(page, "hours_compte_before")

    page.get_by_role("link", name="renseigner le solde d'heures DIF").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon solde d'heures DIF")
    assert_accessible(page, "formulaire DIF")
    page.get_by_role("button", name="Enregistrer mon solde DIF").click()
    expect(page.get_by_role("alert")).to_contain_text("même si celui-ci est à 0")
    assert_accessible(page, "formulaire DIF en erreur")
    screenshot(page, "hours_dif_error")
    page.get_by_label("Solde d'heures DIF").fill("45")
    page.get_by_role("button", name="Enregistrer mon solde DIF").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte d'heures")
    expect(page.get_by_role("status")).to_contain_text("solde d'heures DIF a été enregistré")
    expect(page.locator(".hours-balance")).to_contain_text("45")
    expect(page.locator(".hours-balance")).to_contain_text("36")
    assert_accessible(page, "compte d'heures avec DIF")
    screenshot(page, "hours_compte_after")
