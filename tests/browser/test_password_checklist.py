"""The password box's live checklist in a browser, by label and role (issue 10, point 7): each
rule follows what is typed, the similarity to the name and email included; after a refusal the
server's states stay until the person types again; axe-clean, fits 360 px."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from tests.fixtures.accounts import PASSWORD
from tests.fixtures.browser import DESKTOP, assert_accessible, login_as, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_change_password_checklist_live_and_after_a_refusal(page, make_titulaire):
    login_as(page, make_titulaire(first_name="Bartholomew", email="bart.dupont@exemple.test"))
    page.goto(reverse("accounts:password_change"))
    rules = page.get_by_role("list", name=re.compile("mot de passe")).get_by_role("listitem")
    expect(rules).to_have_count(7)

    def rule(text):
        return rules.filter(has_text=text)

    new = page.get_by_label(re.compile(r"^Nouveau mot de passe"))
    new.fill("Bartholomew123!")
    expect(rule("votre prénom")).to_contain_text("(règle non respectée)")
    expect(rule("Au moins 5 lettres")).to_contain_text("(règle respectée)")
    expect(rule("les plus courants")).to_contain_text("(vérifiée à l'envoi)")
    expect(rule("numéro de sécurité sociale")).to_contain_text("(vérifiée à l'envoi)")
    assert_accessible(page, "checklist, similarity")
    screenshot(page, "password_checklist_live", fits_narrow=True)

    new.fill("Rivage2016!x")
    expect(rule("votre prénom")).to_contain_text("(règle respectée)")

    # A common password is refused on submit: the box says which rule, not « non respectée »
    # everywhere, and the password is not written back.
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    new.fill("Password123")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Password123")
    page.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(rule("les plus courants")).to_contain_text("(règle non respectée)")
    expect(rule("Au moins 5 lettres")).to_contain_text("(règle respectée)")
    expect(rule("votre prénom")).to_contain_text("(règle respectée)")
    expect(page.get_by_text("Le mot de passe que vous avez saisi")).to_be_visible()
    expect(new).to_have_value("")
    assert_accessible(page, "checklist after a refusal")
    screenshot(page, "password_checklist_refused", fits_narrow=True)

    # Typing again: the live rules follow the new value, the on-submit ones wait again.
    new.fill("Rivage2016!x")
    expect(rule("les plus courants")).to_contain_text("(vérifiée à l'envoi)")
    expect(page.get_by_text("Votre mot de passe :")).to_be_visible()


def test_checklist_without_javascript(chromium_browser, live_server, make_titulaire):
    """JS off: the rules are listed, and after a refusal each shows its state from the server."""
    context = chromium_browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    titulaire = make_titulaire(first_name="Bartholomew")
    client = Client()
    client.force_login(titulaire)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
    )
    page.goto(live_server.url + reverse("accounts:password_change"))
    rules = page.get_by_role("list", name=re.compile("mot de passe")).get_by_role("listitem")
    expect(rules).to_have_count(7)
    page.get_by_label("Mot de passe actuel").fill(PASSWORD)
    page.get_by_label(re.compile(r"^Nouveau mot de passe")).fill("Bartholomew123!")
    page.get_by_label("Confirmation du nouveau mot de passe").fill("Bartholomew123!")
    page.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()
    expect(rules.filter(has_text="votre prénom")).to_contain_text("(règle non respectée)")
    expect(rules.filter(has_text="Au moins 3 chiffres")).to_contain_text("(règle respectée)")
    context.close()
