"""What the wizard keeps between steps: the typed confirmation on Retour, nothing stale after a
refused step, nothing after an hour, nothing left in expired sessions."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.services import signup as service
from tests.fixtures.signup import (
    CGU_URL,
    IDENTITY_URL,
    PASSWORD_URL,
    accept_cgu,
    identity_data,
    reach_password_step,
)

pytestmark = pytest.mark.django_db


def test_back_keeps_the_confirmation_as_typed(client, nir_factory):
    """A typo in the first address must still show after Retour, not be copied over."""
    accept_cgu(client)
    data = identity_data(
        client,
        nir_factory(),
        email="jean@exmaple.org",
        email_confirmation="jean@example.org",
        back="1",
    )
    client.post(IDENTITY_URL, data)
    html = client.get(IDENTITY_URL).content.decode()
    assert 'value="jean@exmaple.org"' in html and 'value="jean@example.org"' in html
    data = identity_data(
        client, data["nir"], email="jean@exmaple.org", email_confirmation="jean@example.org"
    )
    response = client.post(IDENTITY_URL, data)
    assert response.status_code == 200
    assert response.context["form"].errors["email_confirmation"] == [
        "Les deux adresses de courriel saisies ne sont pas identiques."
    ]


def test_a_refused_step2_closes_step3_again(client, nir_factory):
    nir = nir_factory()
    reach_password_step(client, nir)
    response = client.post(IDENTITY_URL, identity_data(client, nir, email_confirmation="x@y.z"))
    assert response.status_code == 200
    assert client.get(PASSWORD_URL).url == IDENTITY_URL


def test_unticking_the_cgu_closes_the_next_steps(client):
    accept_cgu(client)
    assert client.post(CGU_URL, {}).status_code == 200
    assert client.get(IDENTITY_URL).url == CGU_URL


def test_an_unfinished_signup_is_forgotten_after_an_hour(client, nir_factory):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        reach_password_step(client, nir_factory())
        traveller.shift(service.WIZARD_TTL - timedelta(minutes=1))
        assert client.get(PASSWORD_URL).status_code == 200
        traveller.shift(service.WIZARD_TTL + timedelta(minutes=1))
        assert client.get(PASSWORD_URL).url == CGU_URL
        assert service.SESSION_KEY not in client.session


def test_purge_deletes_expired_sessions_with_their_wizard(client, nir_factory, settings):
    # Sessions in the database (no Redis): Redis expires its keys itself.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    reach_password_step(client, nir_factory())
    assert Session.objects.count() == 1
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    service.purge_expired()
    assert not Session.objects.exists()


def test_a_too_long_password_is_refused_with_its_rule_never_cut(client, nir_factory):
    reach_password_step(client, nir_factory())
    html = client.get(PASSWORD_URL).content.decode()
    assert "maxlength" not in html.split('name="password1"')[1].split(">")[0]
    long_password = "Vacances2015!" + "x" * 150
    response = client.post(PASSWORD_URL, {"password1": long_password, "password2": long_password})
    assert response.status_code == 200
    assert "ne doit pas dépasser 128 caractères (il en compte 163)" in response.content.decode()


def test_the_captcha_input_is_tied_to_its_help_and_error(client, nir_factory):
    accept_cgu(client)
    html = client.get(IDENTITY_URL).content.decode()
    field = re.search(r'<input[^>]*name="captcha_1"[^>]*>', html).group(0)
    assert 'aria-describedby="id_captcha_helptext"' in field
    assert 'id="id_captcha_helptext"' in html
    response = client.post(IDENTITY_URL, identity_data(client, nir_factory(), captcha_1="ZZZZZZ"))
    html = response.content.decode()
    field = re.search(r'<input[^>]*name="captcha_1"[^>]*>', html).group(0)
    assert 'aria-describedby="id_captcha_helptext id_captcha_error"' in field
    assert 'aria-invalid="true"' in field and 'id="id_captcha_error"' in html
