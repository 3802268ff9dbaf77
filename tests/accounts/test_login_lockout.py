"""Lockout after 5 failures per identifier (django-axes), per-IP limit, staff unlock."""

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.services import gate
from accounts.services import login as login_service
from audit.models import AuditEntry, Event
from cpf_portal.ratelimit import Limit
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
LOCKED = "Votre compte est temporairement verrouillé après plusieurs tentatives infructueuses."
BAD = "Identifiant ou mot de passe incorrect."


def attempt(client, username, password="Mauvais2015!", ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def fail(client, username, times, ip="10.0.0.1"):
    return [attempt(client, username, ip=ip).status_code for _ in range(times)]


@pytest.mark.parametrize("known", [True, False], ids=["known-nir", "unknown-nir"])
def test_fifth_failure_locks_the_identifier(client, make_titulaire, nir_factory, known):
    nir = make_titulaire().nir if known else nir_factory()
    assert fail(client, nir, 4) == [200] * 4
    fifth = attempt(client, nir)
    assert fifth.status_code == 429
    assert LOCKED in fifth.content.decode().replace("&#x27;", "'")
    # Even the right password is refused while locked.
    locked = attempt(client, nir, PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(event=Event.LOCKOUT).count() >= 1


def test_lock_page_is_the_login_page_with_the_notice(client, nir_factory):
    nir = nir_factory()
    fail(client, nir, 5)
    html = attempt(client, nir).content.decode()
    assert html.count("<h1") == 1 and "Espace Titulaire" in html
    assert "Mot de passe oublié" in html and 'name="username"' in html


def test_spaces_do_not_give_extra_attempts(client, titulaire):
    nir = titulaire.nir
    spaced = f"{nir[:1]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"
    fail(client, spaced, 3)
    assert fail(client, nir, 2)[-1] == 429


def test_success_resets_the_count(client, titulaire):
    fail(client, titulaire.nir, 4)
    assert attempt(client, titulaire.nir, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    assert fail(client, titulaire.nir, 4) == [200] * 4


def test_lock_ends_after_the_cool_off(client, titulaire, database_cache):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        fail(client, titulaire.nir, 5)
        assert attempt(client, titulaire.nir, PASSWORD).status_code == 429
        traveller.shift(timedelta(minutes=14))  # the lock lasts the full 15 minutes
        assert attempt(client, titulaire.nir, PASSWORD).status_code == 429
        # A try during the lock does not extend it: 15 minutes after the 5th failure, as said.
        traveller.shift(timedelta(minutes=1, seconds=1))
        assert attempt(client, titulaire.nir, PASSWORD).status_code == 302


def test_another_identifier_is_not_locked(client, make_titulaire):
    first, second = make_titulaire(), make_titulaire()
    fail(client, first.nir, 5)
    assert attempt(client, second.nir, PASSWORD).status_code == 302


def test_staff_unlock_lifts_the_lock(client, titulaire):
    fail(client, titulaire.nir, 5)
    assert login_service.unlock(titulaire.nir) >= 1
    assert attempt(client, titulaire.nir, PASSWORD).status_code == 302
    assert AuditEntry.objects.filter(event=Event.UNLOCK).exists()


def test_axes_tables_never_hold_the_nir(client, titulaire):
    fail(client, titulaire.nir, 2)
    for row in AccessAttempt.objects.all():
        assert titulaire.nir not in f"{row.username}{row.post_data}{row.get_data}"
        assert PASSWORD not in row.post_data


def test_per_ip_limit(client, make_titulaire, nir_factory, monkeypatch):
    monkeypatch.setattr(gate, "IP_LIMIT", Limit("login_ip_test", 3, 3600))
    for _ in range(3):
        assert attempt(client, nir_factory(), ip="10.9.9.9").status_code == 200
    user = make_titulaire()
    blocked = attempt(client, user.nir, PASSWORD, ip="10.9.9.9")
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address is not affected.
    assert attempt(client, user.nir, PASSWORD, ip="10.1.1.1").status_code == 302


def test_fifty_failures_an_hour_block_the_address(
    client, make_titulaire, nir_factory, database_cache
):
    """The default per-IP limit, driven like an attacker spraying one wrong password over many
    NIRs from one address: the 51st try is refused, even with a right pair, for the hour."""
    user = make_titulaire()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        assert set(fail_each(client, [nir_factory() for _ in range(50)], ip="10.5.5.5")) == {200}
        assert attempt(client, user.nir, PASSWORD, ip="10.5.5.5").status_code == 429
        traveller.shift(timedelta(minutes=59))
        assert attempt(client, user.nir, PASSWORD, ip="10.5.5.5").status_code == 429
        assert "_auth_user_id" not in client.session
        traveller.shift(timedelta(minutes=2))
        assert attempt(client, user.nir, PASSWORD, ip="10.5.5.5").status_code == 302


def fail_each(client, usernames, ip):
    return [attempt(client, username, ip=ip).status_code for username in usernames]


def test_the_lock_notice_itself_points_to_the_reset(client, nir_factory):
    """The notice, not just the page around it (whose form always links to the reset), says
    the account is temporarily locked and names "Mot de passe oublié"."""
    nir = nir_factory()
    fail(client, nir, 5)
    html = attempt(client, nir).content.decode()
    (notice,) = re.findall(r'<div class="message message--error" role="alert">(.*?)</div>', html)
    notice = notice.replace("&#x27;", "'")
    assert "temporairement verrouillé" in notice
    assert "Mot de passe oublié" in notice


def test_default_per_ip_limit_is_50_an_hour():
    assert (gate.IP_LIMIT.max_hits, gate.IP_LIMIT.window_seconds) == (50, 3600)


def test_no_log_line_holds_the_nir(client, titulaire, caplog):
    caplog.set_level("DEBUG")
    fail(client, titulaire.nir, 6)
    attempt(client, titulaire.nir, PASSWORD)
    assert caplog.records  # axes did log the failures
    for record in caplog.records:
        assert titulaire.nir not in record.getMessage()


def test_changing_address_or_browser_gives_no_extra_attempts(client, titulaire):
    for n in range(4):
        response = client.post(
            LOGIN,
            {"username": titulaire.nir, "password": "Mauvais2015!"},
            REMOTE_ADDR=f"10.0.{n}.1",
            HTTP_USER_AGENT=f"agent-{n}",
        )
        assert response.status_code == 200
    assert attempt(client, titulaire.nir, ip="10.7.7.7").status_code == 429
    assert attempt(client, titulaire.nir, PASSWORD, ip="10.8.8.8").status_code == 429
