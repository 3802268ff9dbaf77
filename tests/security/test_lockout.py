"""Issue 4, point 1: lockout per identifier with a growing lock window, the same for a known and
an unknown NIR, reset on success, lifted by staff from the admin (audited)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.backends import axes_username
from accounts.services import gate
from audit.models import AuditEntry, Event
from cpf_portal import ratelimit
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
PARIS = ZoneInfo("Europe/Paris")
START = dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)
LOCKED = "Votre compte est temporairement verrouillé"


def post(client, username, password="Mauvais2015!"):
    return client.post(LOGIN, {"username": username, "password": password})


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&#39;", "'")


def fail_until_locked(client, username, times):
    """`times` failures; each time axes locks (5 failures), wait out its 15 minutes."""
    statuses = []
    for _ in range(times):
        response = post(client, username)
        statuses.append(response.status_code)
    return statuses


@pytest.mark.parametrize("known", [True, False], ids=["known-nir", "unknown-nir"])
def test_ten_failures_lock_one_hour(client, make_titulaire, nir_factory, known, database_cache):
    nir = make_titulaire().nir if known else nir_factory()
    with time_machine.travel(START, tick=False) as traveller:
        assert fail_until_locked(client, nir, 5) == [200] * 4 + [429]  # axes: 15 minutes
        traveller.shift(dt.timedelta(minutes=16))
        assert fail_until_locked(client, nir, 5) == [200] * 4 + [429]  # 10th failure
        traveller.shift(dt.timedelta(minutes=16))  # axes' lock is over, the 1-hour one is not
        response = post(client, nir, PASSWORD)
        assert response.status_code == 429
        assert LOCKED in text(response) and "Mot de passe oublié" in text(response)
        assert "_auth_user_id" not in client.session
        traveller.shift(dt.timedelta(minutes=43))  # 59 minutes after the 10th failure
        assert post(client, nir, PASSWORD).status_code == 429
        traveller.shift(dt.timedelta(minutes=2))  # 61 minutes after the 10th failure
        response = post(client, nir, PASSWORD)
        assert response.status_code == (302 if known else 200)


def test_twenty_five_failures_in_a_day_lock_until_midnight(client, titulaire):
    identity = axes_username(None, {"username": titulaire.nir})
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(24):
            ratelimit.hit(gate.DAY_FAILURES, gate.day_identity(identity))
        assert post(client, titulaire.nir).status_code == 200  # the 25th failure
        traveller.shift(dt.timedelta(hours=13))  # 23:00, still the same day
        assert post(client, titulaire.nir, PASSWORD).status_code == 429
        traveller.move_to(dt.datetime(2026, 3, 11, 0, 1, tzinfo=PARIS))
        assert post(client, titulaire.nir, PASSWORD).status_code == 302


def a_day_of_guessing(client, nir):
    """An attacker who reads the lock notice: after a refusal they wait 16 minutes, otherwise
    they try the next wrong password a minute later, for a whole day. Returns the statuses."""
    statuses = []
    day = dt.datetime(2026, 3, 10, 0, 0, tzinfo=PARIS)
    with time_machine.travel(day, tick=False) as traveller:
        while dt.datetime.now(PARIS) < day + dt.timedelta(days=1):
            statuses.append(post(client, nir).status_code)
            traveller.shift(dt.timedelta(minutes=16 if statuses[-1] == 429 else 1))
    return statuses


@pytest.mark.parametrize("cache_backend", ["configured", "database"])
def test_a_day_of_guessing_checks_at_most_25_passwords(
    request, client, titulaire, nir_factory, password_checks, cache_backend
):
    """The CNIL case 2 bound, end to end: whatever the pace, no more than 25 passwords are
    checked against one account in a day, and an unknown NIR is answered exactly alike."""
    if cache_backend == "database":
        request.getfixturevalue("database_cache")
    known = a_day_of_guessing(client, titulaire.nir)
    assert 0 < len(password_checks) <= 25, len(password_checks)
    assert a_day_of_guessing(client, nir_factory()) == known


def test_unknown_and_known_nir_get_byte_identical_lock_pages(client, make_titulaire, nir_factory):
    pages = []
    for nir in (make_titulaire().nir, nir_factory()):
        # The same instant for both: the notice names the time the lock ends.
        with time_machine.travel(START, tick=False):
            fail_until_locked(client, nir, 5)
            response = post(client, nir)
        pages.append((response.status_code, _strip_tokens(text(response))))
    assert pages[0] == pages[1]
    assert "Réessayez à partir de 10 h 15 " in text(response)


def _strip_tokens(html: str) -> str:
    import re

    return re.sub(r'(csrfmiddlewaretoken" value="|nonce=")[^"]+', r"\1", html)


def test_success_resets_the_daily_count(client, titulaire):
    identity = axes_username(None, {"username": titulaire.nir})
    fail_until_locked(client, titulaire.nir, 3)
    assert ratelimit.hit(gate.DAY_FAILURES, gate.day_identity(identity)) == 4
    assert post(client, titulaire.nir, PASSWORD).status_code == 302
    assert ratelimit.hit(gate.DAY_FAILURES, gate.day_identity(identity)) == 1


def test_admin_action_unlocks_and_is_audited(client, titulaire, superuser):
    with time_machine.travel(START, tick=False) as traveller:
        fail_until_locked(client, titulaire.nir, 5)
        traveller.shift(dt.timedelta(minutes=16))
        fail_until_locked(client, titulaire.nir, 5)  # axes + the 1-hour lock
        assert post(client, titulaire.nir, PASSWORD).status_code == 429
        admin = type(client)()
        admin.force_login(superuser)
        response = admin.post(
            reverse("admin:accounts_titulaire_changelist"),
            {"action": "unlock_login", "_selected_action": [titulaire.pk]},
        )
        assert response.status_code == 302
        entry = AuditEntry.objects.filter(event=Event.UNLOCK).get()
        assert entry.actor == superuser and entry.subject_hash and titulaire.nir not in entry.detail
        assert post(client, titulaire.nir, PASSWORD).status_code == 302


def test_the_lock_lives_in_the_shared_cache_keyed_by_a_hash(client, titulaire, settings):
    """The growing lock is kept in the shared cache (several processes see it), under a keyed
    hash: the NIR is in no cache key."""
    from django.core.cache import cache

    keys = []
    original = cache.set

    def spy(key, *args, **kwargs):
        keys.append(key)
        return original(key, *args, **kwargs)

    cache.set = spy
    try:
        with time_machine.travel(START, tick=False) as traveller:
            fail_until_locked(client, titulaire.nir, 5)
            traveller.shift(dt.timedelta(minutes=16))
            fail_until_locked(client, titulaire.nir, 5)
    finally:
        cache.set = original
    assert any(key.startswith("login_lock:") for key in keys)
    assert not any(titulaire.nir in key for key in keys)


def notice(response) -> str:
    import re

    (found,) = re.findall(r'role="alert">(.*?)</div>', text(response), flags=re.S)
    return " ".join(found.split())


@pytest.mark.parametrize("known", [True, False], ids=["known-nir", "unknown-nir"])
def test_the_lock_notice_says_when_the_lock_ends(
    client, make_titulaire, nir_factory, known, database_cache
):
    """15 minutes after the 5th failure; an hour after the 10th; tomorrow at midnight after
    the 25th. Tries during a lock neither extend it nor change the time announced."""
    nir = make_titulaire().nir if known else nir_factory()
    with time_machine.travel(START, tick=False) as traveller:
        fail_until_locked(client, nir, 4)
        traveller.shift(dt.timedelta(seconds=30))
        assert "Réessayez à partir de 10 h 16 " in notice(post(client, nir))  # 10:15:30, up
        traveller.shift(dt.timedelta(minutes=10))
        assert "Réessayez à partir de 10 h 16 " in notice(post(client, nir, PASSWORD))
        traveller.shift(dt.timedelta(minutes=6))  # 10:16:30: axes' lock is over
        fail_until_locked(client, nir, 4)
        traveller.move_to(dt.datetime(2026, 3, 10, 10, 20, tzinfo=PARIS))
        assert "Réessayez à partir de 11 h 20 " in notice(post(client, nir))  # 10th failure
        traveller.move_to(dt.datetime(2026, 3, 10, 23, 0, tzinfo=PARIS))
        identity = axes_username(None, {"username": nir})
        for _ in range(14):
            ratelimit.hit(gate.DAY_FAILURES, gate.day_identity(identity))
        assert post(client, nir).status_code == 200  # the 25th failure
        assert "Réessayez demain à partir de 0 h 00 " in notice(post(client, nir, PASSWORD))


def test_the_address_limit_does_not_say_the_account_is_locked(client, nir_factory):
    for n in range(50):
        client.post(LOGIN, {"username": nir_factory(), "password": "x"}, REMOTE_ADDR="10.9.9.9")
    response = client.post(
        LOGIN, {"username": nir_factory(), "password": "x"}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429
    said = notice(response)
    assert "Trop de tentatives de connexion depuis votre réseau" in said
    assert "verrouillé" not in said
