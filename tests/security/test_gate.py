"""Issue 12, H2 and H3: one authentication gate for every door that checks a password (the
portal's login, the operators' login, the current password of the profile changes), and each
attempt counted before its password is checked, so that parallel requests cannot race the lock.
"""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.services import gate
from audit.models import AuditEntry, Event
from cpf_portal.ratelimit import Limit
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.concurrency import run_together

LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")
PASSWORD_CHANGE = reverse("accounts:password_change")
START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
WRONG = "Mauvais2015!"


def login(client, username, password=WRONG, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def admin_login(client, username, password=WRONG, **extra):
    return client.post(
        ADMIN_LOGIN, {"username": username, "password": password, "next": "/admin/"}, **extra
    )


# --- H3: counted before checked --------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("cache_backend", ["configured", "database"])
def test_thirty_simultaneous_guesses_check_at_most_five_passwords(
    request, make_titulaire, slow_password_checks, cache_backend
):
    """The attack that got through: 30 wrong passwords at once, then the right one. At most
    the limit's 5 passwords are checked, and the right one is then refused. Runs on the
    configured cache (Redis with REDIS_URL, else in memory) and on the database cache, on
    SQLite and on PostgreSQL."""
    if cache_backend == "database":
        request.getfixturevalue("database_cache")
    titulaire = make_titulaire()
    del slow_password_checks[:]  # make_titulaire hashes, it does not check

    results, errors = run_together(
        30, lambda i: login(Client(), titulaire.nir, f"Faux{i}2015!x").status_code
    )
    assert not errors, errors
    assert len(results) == 30 and set(results) <= {200, 429}
    checks = len(slow_password_checks)
    assert 1 <= checks <= gate.RECENT_FAILURES.max_hits, checks

    checked = len(slow_password_checks)
    response = login(Client(), titulaire.nir, PASSWORD)
    assert response.status_code == 429
    assert len(slow_password_checks) == checked  # refused without a check


# --- H2: the operators' login is the same gate -------------------------------------------------


@pytest.mark.django_db
def test_portal_failures_lock_the_operators_login(client, operateur):
    for _ in range(5):
        login(client, operateur.nir)
    response = admin_login(client, operateur.nir, PASSWORD)
    assert response.status_code == 429
    assert "temporairement verrouillé" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_operators_login_failures_lock_the_portal(client, operateur):
    statuses = [admin_login(client, operateur.nir).status_code for _ in range(5)]
    assert statuses == [200] * 4 + [429]
    assert login(client, operateur.nir, PASSWORD).status_code == 429


@pytest.mark.django_db
def test_the_operators_login_keeps_the_longer_locks(
    client, operateur, slow_password_checks, database_cache
):
    """10 failures in a day lock 1 hour and 25 until midnight, at the operators' door too:
    the 480 guesses a day of H2 come down to the 25 that docs/SECURITY.md promises."""
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(2):
            assert [admin_login(client, operateur.nir).status_code for _ in range(5)] == [
                200
            ] * 4 + [429]
            traveller.shift(dt.timedelta(minutes=16))
        assert admin_login(client, operateur.nir, PASSWORD).status_code == 429  # the 1-hour lock
        traveller.shift(dt.timedelta(minutes=45))
        assert admin_login(client, operateur.nir, PASSWORD).status_code == 302
    checked = len(slow_password_checks)
    client.logout()
    # A day of guessing at the operators' door, waiting out each lock.
    day = dt.datetime(2026, 3, 11, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))
    with time_machine.travel(day, tick=False) as traveller:
        while dt.datetime.now(day.tzinfo) < day + dt.timedelta(days=1):
            status = admin_login(client, operateur.nir).status_code
            traveller.shift(dt.timedelta(minutes=16 if status == 429 else 1))
    assert len(slow_password_checks) - checked <= 25


@pytest.mark.django_db
def test_the_operators_login_keeps_the_address_limit(client, operateur, nir_factory, monkeypatch):
    monkeypatch.setattr(gate, "IP_LIMIT", Limit("login_ip_test", 3, 3600))
    for _ in range(3):
        assert admin_login(client, nir_factory(), REMOTE_ADDR="10.8.8.8").status_code == 200
    blocked = admin_login(client, operateur.nir, PASSWORD, REMOTE_ADDR="10.8.8.8")
    assert blocked.status_code == 429
    assert "Trop de tentatives de connexion depuis votre réseau" in blocked.content.decode()
    assert admin_login(client, operateur.nir, PASSWORD, REMOTE_ADDR="10.1.1.1").status_code == 302


def _page(response) -> tuple[int, str]:
    html = re.sub(r'(csrfmiddlewaretoken" value="|nonce=")[^"]+', r"\1", response.content.decode())
    return response.status_code, html


@pytest.mark.django_db
def test_the_operators_login_refuses_a_titulaire_without_checking_the_password(
    client, titulaire, slow_password_checks
):
    """Right or wrong, a titulaire's password gets the same page at the operators' door, is
    never checked there, and counts as a failure: the door tells nothing about it."""
    right = admin_login(client, titulaire.nir, PASSWORD)
    wrong = admin_login(client, titulaire.nir, WRONG)
    assert _page(right) == _page(wrong)
    assert right.status_code == 200 and "_auth_user_id" not in client.session
    assert "un compte autorisé" in right.content.decode()
    assert slow_password_checks == []
    assert AuditEntry.objects.filter(event=Event.LOGIN_FAILURE).count() == 2
    for _ in range(3):
        admin_login(client, titulaire.nir, PASSWORD)
    assert login(client, titulaire.nir, PASSWORD).status_code == 429  # counted as failures


@pytest.mark.django_db
def test_the_operators_login_hashes_once_for_a_titulaire(client, titulaire, monkeypatch):
    """The refusal costs what a checked password costs: one hash (the dummy one)."""
    from accounts.services import login as login_service

    hashes = []
    monkeypatch.setattr(login_service, "make_password", lambda p: hashes.append(p) or "x")
    admin_login(client, titulaire.nir, PASSWORD)
    assert hashes == [PASSWORD]


@pytest.mark.django_db
def test_the_operators_login_page_is_french_and_has_one_heading(client, operateur):
    response = admin_login(client, operateur.nir)
    html = response.content.decode()
    assert html.count("<h1") == 1 and 'lang="fr"' in html
    assert 'class="errornote"' in html and "un compte autorisé" in html
    assert admin_login(client, operateur.nir, PASSWORD).status_code == 302


# --- The profile's current password is the same gate -------------------------------------------


def change_password(client, current):
    return client.post(
        PASSWORD_CHANGE,
        {
            "current_password": current,
            "password1": "Nouveau2016!abc",
            "password2": "Nouveau2016!abc",
        },
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("locmem_email")
def test_wrong_current_passwords_lock_the_login(logged_client, titulaire):
    for _ in range(5):
        assert change_password(logged_client, WRONG).status_code == 400
    assert login(Client(), titulaire.nir, PASSWORD).status_code == 429


@pytest.mark.django_db
@pytest.mark.usefixtures("locmem_email")
def test_a_locked_identifier_cannot_be_guessed_through_the_profile(
    client, logged_client, titulaire, slow_password_checks, database_cache
):
    """Locked at the login (here by the 1-hour lock), the profile checks no password."""
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(2):
            for _ in range(5):
                login(client, titulaire.nir)
            traveller.shift(dt.timedelta(minutes=16))
        checked = len(slow_password_checks)
        logged_client.force_login(titulaire)
        response = change_password(logged_client, PASSWORD)
        assert response.status_code == 400
        assert "Réessayez à partir de 11 h 16" in response.content.decode().replace("&#x27;", "'")
        assert len(slow_password_checks) == checked
        titulaire.refresh_from_db()
        assert titulaire.check_password(PASSWORD)
