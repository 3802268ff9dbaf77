"""Issue 12, L3: every absolute link of an email starts with PORTAL_BASE_URL in production, never
with the request's Host. Before the fix `Host: localhost:31337` gave a reset link to port 31337.

The suite runs in demo mode, where links follow the address the portal was opened with
(settings.PORTAL_LINKS_FOLLOW_REQUEST); these tests set it as production does
(tests/security/test_production_settings.py checks that production does) and let the forged
host through ALLOWED_HOSTS, as a careless deployment would."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import confirmation, signup
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.signup import complete_signup, identity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("locmem_email")]

BASE = "https://cpf.example"
FORGED = "localhost:31337"


@pytest.fixture(autouse=True)
def production_links(settings):
    settings.PORTAL_LINKS_FOLLOW_REQUEST = False
    settings.PORTAL_BASE_URL = BASE + "/"
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]


def forged_client() -> Client:
    return Client(HTTP_HOST=FORGED)


def links_of(message) -> list[str]:
    texts = [message.body, *(content for content, _type in message.alternatives)]
    return [url for text in texts for url in re.findall(r"https?://[^\s\"'<>]+", text)]


def assert_links_from_configuration(message):
    links = links_of(message)
    assert links, message.body
    for url in links:
        assert url.startswith(BASE + "/"), url
        assert "31337" not in url and "localhost" not in url


def test_signup_confirmation_link(nir_factory):
    client = forged_client()
    complete_signup(client, nir_factory())
    [message] = mail.outbox
    assert_links_from_configuration(message)


def test_password_reset_link(make_titulaire):
    titulaire = make_titulaire()
    response = forged_client().post(
        reverse("accounts:reset_request"),
        {"username": titulaire.nir, "email": titulaire.email},
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "/mot-de-passe-oublie/lien/" in message.body
    assert_links_from_configuration(message)


def test_email_change_link(make_titulaire):
    client = forged_client()
    client.force_login(make_titulaire())
    new = "nouvelle@exemple.test"
    response = client.post(
        reverse("accounts:email"),
        {"email": new, "email_confirmation": new, "current_password": PASSWORD},
    )
    assert response.status_code == 302
    [message] = [m for m in mail.outbox if m.to == [new]]
    assert "/courriel/confirmer/" in message.body
    assert_links_from_configuration(message)


def test_password_changed_notice(make_titulaire):
    client = forged_client()
    client.force_login(make_titulaire())
    new = "Nouveau2016!abc"
    response = client.post(
        reverse("accounts:password_change"),
        {"current_password": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert_links_from_configuration(message)


def test_delegation_invitation_link(make_titulaire):
    make_titulaire(email="conseil@exemple.test", first_name="Karim", birth_name="Benali")
    client = forged_client()
    client.force_login(make_titulaire(email="camille@exemple.test"))
    client.post(
        reverse("delegations:list"),
        {"email": "conseil@exemple.test", "level": "consultation", "end_date": ""},
    )
    [message] = mail.outbox
    assert reverse("delegations:list") in message.body
    assert_links_from_configuration(message)


def test_closed_signup_notice_link(nir_factory):
    nir = nir_factory()
    first = signup.register(identity(nir, email="camille@exemple.test"), "Camille2015!x")
    with time_machine.travel(timezone.now() + timedelta(minutes=3), tick=False):
        second = signup.register(identity(nir, email="camille@exemple.test"), "Camille2016!y")
    client = forged_client()
    client.get(reverse("accounts:confirm_land", args=[second.token]))
    assert client.get(reverse("accounts:confirm")).status_code == 302
    [message] = [m for m in mail.outbox if "ne peut plus" in m.subject]
    assert_links_from_configuration(message)
    assert confirmation.confirm_token(first.token)[0] == confirmation.Result.CLOSED


def test_the_demo_follows_the_address_it_was_opened_with(settings, nir_factory):
    """Demo and development: the links follow the request, within ALLOWED_HOSTS."""
    settings.PORTAL_LINKS_FOLLOW_REQUEST = True
    complete_signup(Client(HTTP_HOST="localhost"), nir_factory())
    [message] = mail.outbox
    assert all(url.startswith("http://localhost/") for url in links_of(message))
