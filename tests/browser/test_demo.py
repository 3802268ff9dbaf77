"""The demo pages in a browser: the fictitious NIR generator and the demo mailbox."""

import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.browser import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_nir_generator(page):
    from nir import rules as nir_rules

    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/")
    page.get_by_role("link", name="Générer un numéro fictif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Générer un numéro de sécurité sociale fictif"
    )
    assert_accessible(page, "générateur (GET)")
    page.get_by_label("Homme").check()
    page.get_by_label("Âge").fill("45")
    page.get_by_role("button", name="Générer des numéros").click()
    expect(page.get_by_role("heading", name="Numéros fictifs d'un homme de 45 ans")).to_be_visible()
    assert "numero-fictif/" in page.url and "?" not in page.url
    numbers = page.locator(".demo-nir").all_inner_texts()
    assert len(numbers) == 3
    for grouped in numbers:
        value = nir_rules.normalize_nir(grouped)
        nir_rules.validate_nir(value)
        assert value.startswith("1")
        assert value not in page.url
    copy = page.get_by_role("button", name="Copier").first
    expect(copy).to_be_visible()  # shown by demo.js
    copy.click()
    expect(page.get_by_role("status").first).to_have_text(
        re.compile("Numéro copié|Copie impossible")
    )
    assert_accessible(page, "générateur (POST)")
    screenshot(page, "demo_nir", narrow=False)
    # An invalid age: error next to the field and in the summary.
    page.get_by_label("Âge").fill("12")
    page.get_by_role("button", name="Générer des numéros").click()
    expect(page.get_by_role("alert")).to_contain_text("au moins 15 ans")
    assert_accessible(page, "générateur (erreur)")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "demo_nir_360", narrow=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_mailbox_open_follow_link_and_empty(page):
    from demo.models import DemoEmail

    DemoEmail.objects.create(
        subject="Confirmez votre inscription",
        recipients="camille.martin@demo.test",
        from_email="Mon Compte Formation <ne-pas-repondre@moncompteformation.example>",
        body=(
            "Bonjour Camille,\n\nPour valider votre inscription, ouvrez ce lien :\n"
            f"{page.base_url}/informations/mes-droits/\n\nCe lien reste actif 15 jours."
        ),
    )
    DemoEmail.objects.create(subject="Un autre message", recipients="karim.benali@demo.test")
    page.goto("/")
    page.get_by_role("link", name="Boîte mail de démonstration").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boîte mail de démonstration")
    expect(page.get_by_role("table")).to_contain_text("camille.martin@demo.test")
    assert_accessible(page, "boîte mail")
    screenshot(page, "demo_mailbox", narrow=False)
    page.get_by_label("Filtrer par destinataire").fill("karim")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("table")).not_to_contain_text("camille.martin@demo.test")
    page.get_by_role("link", name="Voir tous les courriels").click()
    page.get_by_role("link", name="Confirmez votre inscription").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre inscription")
    assert_accessible(page, "courriel")
    page.set_viewport_size({"width": 360, "height": 800})
    screenshot(page, "demo_mail_360", narrow=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=re.compile("mes-droits")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes droits")
    page.goto("/demo/boite-mail/")
    page.get_by_role("button", name="Vider la boîte").click()
    expect(page.get_by_role("status")).to_contain_text("a été vidée")
    expect(page.get_by_text("La boîte est vide")).to_be_visible()
    assert DemoEmail.objects.count() == 0
