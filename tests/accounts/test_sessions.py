"""Idle (30 min) and absolute (12 h) session timeouts, server-side end of the session."""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from accounts.middleware import (
    ABSOLUTE,
    IDLE,
    LAST_SEEN,
    LOGIN_AT,
    expiry_reason,
)
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db  # the cache (rate limits) lives in the database

LOGIN = reverse("accounts:login")
IDLE_NOTICE = "Votre session a expiré après 30 minutes d'inactivité."
ABSOLUTE_NOTICE = "Votre session a expiré après 12 heures de connexion."


@pytest.mark.parametrize(
    ("login_ago", "seen_ago", "expected"),
    [
        (0, 0, None),
        (60, 60, None),
        (3600, 1800, None),  # exactly 30 min idle: still valid
        (3600, 1801, IDLE),
        (43200, 10, None),  # exactly 12 h: still valid
        (43201, 10, ABSOLUTE),
        (50000, 5000, IDLE),  # both: idle is reported
    ],
)
def test_expiry_reason_table(login_ago, seen_ago, expected):
    now = 1_000_000.0
    session = {LOGIN_AT: now - login_ago, LAST_SEEN: now - seen_ago}
    assert expiry_reason(session, now) == expected


@given(st.floats(0, 1800), st.floats(0, 43200))
def test_never_expires_within_both_limits(idle, age):
    now = 2_000_000.0
    session = {LOGIN_AT: now - max(age, idle), LAST_SEEN: now - idle}
    assert expiry_reason(session, now) is None


def session_exists(key) -> bool:
    """In the configured store: Redis, or the database through the cache."""
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def test_session_without_clock_is_valid():
    assert expiry_reason({}, 123.0) is None


def login(client, user):
    response = client.post(LOGIN, {"username": user.nir, "password": PASSWORD})
    assert response.status_code == 302
    return client.session.session_key


def activity(client):
    """A request by a logged-in person: the login page redirects them to the synthesis."""
    return client.get(LOGIN)


def test_idle_timeout_flushes_and_explains(client, titulaire):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        key = login(client, titulaire)
        traveller.shift(timedelta(minutes=20))
        assert activity(client).status_code == 302  # still logged in: sent to synthesis
        assert "_auth_user_id" in client.session
        traveller.shift(timedelta(minutes=31))
        response = activity(client)
        assert response.status_code == 302 and response.url == LOGIN
        assert not session_exists(key)
        page = client.get(LOGIN)
        html = page.content.decode().replace("&#x27;", "'")
        assert page.status_code == 200 and IDLE_NOTICE in html
        assert "_auth_user_id" not in client.session
        # The notice is shown once.
        assert IDLE_NOTICE not in client.get(LOGIN).content.decode().replace("&#x27;", "'")


def test_activity_keeps_the_session_until_the_absolute_limit(client, titulaire):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, titulaire)
        for _ in range(28):  # 28 x 25 min = 11 h 40
            traveller.shift(timedelta(minutes=25))
            assert activity(client).url == reverse("accounts:synthese")
        traveller.shift(timedelta(minutes=25))  # 12 h 05 after login
        response = activity(client)
        assert response.url == LOGIN
        html = client.get(LOGIN).content.decode().replace("&#x27;", "'")
        assert ABSOLUTE_NOTICE in html
        assert "_auth_user_id" not in client.session


def test_force_login_sessions_get_a_clock(logged_client):
    logged_client.get(LOGIN)
    assert LOGIN_AT in logged_client.session and LAST_SEEN in logged_client.session


def test_session_cookie_dies_with_the_browser():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_IDLE_TIMEOUT == 1800
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 43200


ENGINES = [
    "django.contrib.sessions.backends.cache",
    "django.contrib.sessions.backends.cached_db",
    "django.contrib.sessions.backends.db",
]


@pytest.fixture
def count_session_saves(monkeypatch):
    """How many times the session store of the configured engine is written."""
    saves = []

    def watch(engine):
        store = import_module(engine).SessionStore
        original = store.save

        def save(self, *args, **kwargs):
            saves.append(self.session_key)
            return original(self, *args, **kwargs)

        monkeypatch.setattr(store, "save", save)
        return saves

    return watch


@pytest.mark.parametrize("engine", ENGINES)
def test_a_page_view_does_not_write_the_session(
    client, titulaire, settings, engine, count_session_saves
):
    """A write per request was 5 of the synthesis page's 12 queries: the last-seen time is
    rewritten only when it is a minute old."""
    settings.SESSION_ENGINE = engine
    saves = count_session_saves(engine)
    synthese = reverse("accounts:synthese")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, titulaire)
        del saves[:]
        for _ in range(5):
            traveller.shift(timedelta(seconds=10))
            assert client.get(synthese).status_code == 200
        assert saves == []
        traveller.shift(timedelta(seconds=15))  # the stored time is 65 s old: rewritten once
        assert client.get(synthese).status_code == 200
        assert client.get(synthese).status_code == 200
        assert len(saves) == 1
        assert client.session[LAST_SEEN] == timezone.now().timestamp()


@pytest.mark.parametrize("engine", ENGINES)
def test_idle_timeout_counts_from_the_last_stored_time(client, titulaire, settings, engine):
    """Requests less than a minute apart leave the stored time as it was; 30 minutes after it
    the session ends (so after 29 to 30 minutes without a request, never more)."""
    settings.SESSION_ENGINE = engine
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        key = login(client, titulaire)
        traveller.shift(timedelta(seconds=50))
        assert activity(client).url == reverse("accounts:synthese")
        traveller.shift(timedelta(minutes=29, seconds=11))  # 30 min 01 s after the login
        response = activity(client)
        assert response.url == LOGIN
        assert not session_exists(key)
        assert IDLE_NOTICE in client.get(LOGIN).content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("engine", ENGINES)
def test_activity_every_few_minutes_keeps_the_session(client, titulaire, settings, engine):
    settings.SESSION_ENGINE = engine
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login(client, titulaire)
        for _ in range(12):  # an hour of a request every 5 minutes
            traveller.shift(timedelta(minutes=5))
            assert activity(client).url == reverse("accounts:synthese")
        traveller.shift(timedelta(minutes=29, seconds=59))
        assert activity(client).url == reverse("accounts:synthese")
