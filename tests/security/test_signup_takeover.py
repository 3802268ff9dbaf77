"""Issue 12, H1: a signup cannot be hijacked with only a NIR.

The sequence of the attack, through the real pages: the victim completes steps 1-3 with their
NIR and address, an attacker completes steps 1-3 with the same NIR, his address and his
password. Before the fix the attacker's signup deleted the victim's, his link made the account
his, the victim's link said « Ce lien a été remplacé » and the victim was never told.

Now no signup cancels another; the first confirmed creates the account and closes the others,
whose addresses are told (never whose account it is) and whose links say so. If the attacker
confirms first the account is his: that is the residual risk of a NIR-only signup
(docs/SECURITY.md § 11), but the victim learns it at once, by email and on their link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import PendingSignup, Titulaire
from accounts.services import confirmation, signup
from tests.fixtures.signup import DONE_URL, complete_signup, identity

pytestmark = pytest.mark.django_db

VICTIM_EMAIL = "victime@exemple.test"
ATTACKER_EMAIL = "pirate@exemple.test"
VICTIM_PASSWORD = "Victime2015!abc"
ATTACKER_PASSWORD = "Pirate2015!xyz"
HELP = "assistance@moncompteformation.example"
LOGIN_URL = reverse("accounts:login")
CONFIRM_URL = reverse("accounts:confirm")


def sign_up(nir, email, password, first_name="Camille", nom="Martin"):
    """Steps 1-3 in a browser of one's own; returns the link's token read from the email."""
    client = Client()
    complete_signup(
        client,
        nir,
        password=password,
        email=email,
        email_confirmation=email,
        first_name=first_name,
        birth_name=nom,
    )
    assert client.get(DONE_URL).status_code == 200
    return client


def token_sent_to(mailoutbox, address) -> str:
    bodies = [m.body for m in mailoutbox if m.to == [address]]
    tokens = [t for b in bodies for t in re.findall(r"/inscription/confirmer/([\w-]{43,})/", b)]
    assert tokens, bodies
    return tokens[-1]


def open_link(client, token):
    assert client.get(reverse("accounts:confirm_land", args=[token])).status_code == 302
    return client.get(CONFIRM_URL)


def logs_in(nir, password) -> bool:
    response = Client().post(LOGIN_URL, {"username": nir, "password": password})
    return response.status_code == 302 and response.url != LOGIN_URL


def closed_mails(mailoutbox, address):
    return [m for m in mailoutbox if m.to == [address] and "ne peut plus" in m.subject]


def both_signed_up(nir_factory, mailoutbox):
    nir = nir_factory()
    victim = sign_up(nir, VICTIM_EMAIL, VICTIM_PASSWORD)
    attacker = sign_up(nir, ATTACKER_EMAIL, ATTACKER_PASSWORD, first_name="Pirate", nom="Voleur")
    # The attacker's signup cancelled nothing: both wait, each with its own link.
    assert PendingSignup.objects.filter(nir=nir).count() == 2
    return nir, victim, attacker


def test_attacker_opening_his_link_first_cannot_hide_it_from_the_victim(nir_factory, mailoutbox):
    nir, victim, attacker = both_signed_up(nir_factory, mailoutbox)
    victim_token = token_sent_to(mailoutbox, VICTIM_EMAIL)
    attacker_token = token_sent_to(mailoutbox, ATTACKER_EMAIL)

    # The residual risk: the first confirmation creates the account, here the attacker's.
    assert open_link(attacker, attacker_token).url == LOGIN_URL
    assert Titulaire.objects.get(nir=nir).email == ATTACKER_EMAIL
    assert not PendingSignup.objects.filter(nir=nir).exists()

    # The victim is told at once, by email, without learning whose account it is.
    [mail] = closed_mails(mailoutbox, VICTIM_EMAIL)
    html = mail.alternatives[0][0]
    assert HELP in mail.body and HELP in html
    for text in (mail.body, html, mail.subject):
        for secret in (ATTACKER_EMAIL, "pirate", "Pirate", "Voleur", nir, "p*", "***"):
            assert secret not in text  # neither his address, masked or not, nor his name
        assert "/inscription/confirmer/" not in text
    assert "Mot de passe oublié" not in mail.body  # not their address: the help contact

    # The victim's link says what happened, with the help contact: not « remplacé ».
    page = open_link(victim, victim_token)
    html = page.content.decode().replace("&#x27;", "'")
    assert page.status_code == 410
    assert "Cette inscription ne peut plus être validée" in html
    assert "Ce lien a été remplacé" not in html
    assert HELP in html and ATTACKER_EMAIL not in html and "Voleur" not in html
    assert Titulaire.objects.get(nir=nir).email == ATTACKER_EMAIL  # the late link changes nothing


def test_victim_confirming_first_keeps_the_account_from_a_later_link(nir_factory, mailoutbox):
    nir, victim, attacker = both_signed_up(nir_factory, mailoutbox)
    victim_token = token_sent_to(mailoutbox, VICTIM_EMAIL)
    attacker_token = token_sent_to(mailoutbox, ATTACKER_EMAIL)

    assert open_link(victim, victim_token).url == LOGIN_URL
    page = open_link(attacker, attacker_token)
    assert page.status_code == 410
    assert "Cette inscription ne peut plus être validée" in page.content.decode()

    account = Titulaire.objects.get(nir=nir)
    assert account.email == VICTIM_EMAIL and account.first_name == "Camille"
    assert logs_in(nir, VICTIM_PASSWORD)
    assert not logs_in(nir, ATTACKER_PASSWORD)
    # The attacker's address is told the signup is closed, and nothing about the victim.
    [mail] = closed_mails(mailoutbox, ATTACKER_EMAIL)
    assert VICTIM_EMAIL not in mail.body and "Camille" not in mail.body
    assert "Martin" not in mail.body and nir not in mail.body
    assert not closed_mails(mailoutbox, VICTIM_EMAIL)


def test_a_closed_signup_at_the_accounts_address_is_pointed_to_the_reset(nir_factory, mailoutbox):
    """The same person signed up twice from one address and confirmed the second link."""
    nir = nir_factory()
    first = signup.register(identity(nir, email="camille@exemple.test"), "Camille2015!x")
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        second = signup.register(identity(nir, email="Camille@Exemple.test"), "Camille2016!y")
        assert second.kind == "created"
        assert confirmation.confirm_token(second.token)[0] == confirmation.Result.ACTIVATED
    [mail] = closed_mails(mailoutbox, "camille@exemple.test")
    assert "Mot de passe oublié" in mail.body
    assert re.search(r"https?://\S+/mot-de-passe-oublie/", mail.body)
    assert confirmation.confirm_token(first.token)[0] == confirmation.Result.CLOSED


def test_the_same_step_3_sent_twice_is_one_signup(nir_factory, mailoutbox):
    nir = nir_factory()
    assert signup.register(identity(nir), "Camille2015!x").kind == "created"
    assert signup.register(identity(nir), "Camille2015!x").kind == "duplicate"
    assert PendingSignup.objects.filter(nir=nir).count() == 1 and len(mailoutbox) == 1


def test_each_pending_signup_lives_its_fifteen_days(nir_factory, mailoutbox):
    nir = nir_factory()
    first = signup.register(identity(nir, email="un@exemple.test"), "Camille2015!x")
    with time_machine.travel(timezone.now() + timedelta(days=14), tick=False):
        signup.register(identity(nir, email="deux@exemple.test"), "Camille2016!y")
        assert confirmation.confirm_token(first.token)[0] == confirmation.Result.ACTIVATED


def test_the_login_page_finds_each_pending_signup_of_a_nir(nir_factory, mailoutbox):
    nir = nir_factory()
    signup.register(identity(nir, email="un@exemple.test"), "Camille2015!x")
    signup.register(identity(nir, email="deux@exemple.test"), "Camille2016!y")
    for password in ("Camille2015!x", "Camille2016!y"):
        found = signup.find_pending_by_credentials(nir, password)
        assert found is not None and check(found, password)
    assert signup.find_pending_by_credentials(nir, "Autre2017!zz") is None


def check(pending, password):
    from django.contrib.auth.hashers import check_password

    return check_password(password, pending.password_hash)


def test_a_nir_holds_at_most_five_pending_signups(client, nir_factory, mailoutbox):
    nir = nir_factory()
    for i in range(signup.MAX_PENDING_PER_NIR):
        assert signup.register(identity(nir, email=f"n{i}@exemple.test"), "Camille2015!x").kind == (
            "created"
        )
    # The sixth gets the same page as any signup; its address is told why nothing came.
    complete_signup(client, nir, email="six@exemple.test", email_confirmation="six@exemple.test")
    assert "Votre inscription a bien été enregistrée" in client.get(DONE_URL).content.decode()
    assert PendingSignup.objects.filter(nir=nir).count() == signup.MAX_PENDING_PER_NIR
    [mail] = [m for m in mailoutbox if m.to == ["six@exemple.test"]]
    assert "n'a pas été enregistrée" in mail.subject
    assert HELP in mail.body and "/inscription/confirmer/" not in mail.body
    # None of the five was cancelled; an expired one frees its place (real clock, 15 days).
    PendingSignup.objects.filter(email="n0@exemple.test").update(
        created_at=timezone.now() - timedelta(days=16),
        expires_at=timezone.now() - timedelta(seconds=1),
    )
    assert signup.register(identity(nir, email="six@exemple.test"), "Camille2015!x").kind == (
        "created"
    )
    assert PendingSignup.objects.filter(nir=nir).count() == signup.MAX_PENDING_PER_NIR


def test_staff_activation_closes_the_others_too(nir_factory, mailoutbox):
    nir = nir_factory()
    kept = signup.register(identity(nir, email="un@exemple.test"), "Camille2015!x")
    other = signup.register(identity(nir, email="deux@exemple.test"), "Camille2016!y")
    assert confirmation.activate_pending(kept.pending.pk)
    assert confirmation.activate_pending(other.pending.pk) is False
    assert Titulaire.objects.get(nir=nir).email == "un@exemple.test"
    assert closed_mails(mailoutbox, "deux@exemple.test")
    assert confirmation.confirm_token(other.token)[0] == confirmation.Result.CLOSED


def test_closed_link_page_is_french_and_accessible_markup(client, nir_factory, mailoutbox):
    nir = nir_factory()
    a = signup.register(identity(nir, email="un@exemple.test"), "Camille2015!x")
    b = signup.register(identity(nir, email="deux@exemple.test"), "Camille2016!y")
    confirmation.confirm_token(a.token)
    html = open_link(client, b.token).content.decode()
    assert html.count("<h1") == 1
    assert f'href="mailto:{HELP}"' in html
    assert f'href="{reverse("accounts:reset_request")}"' in html
