"""Issue 4, point 1: lockout per identifier with a growing lock window, the same for a known and
an unknown NIR, reset on success, lifted by staff from the admin (audited)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.backends import axes_username
from accounts.flows import login as login_flow
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
def test_ten_failures_lock_one_hour(client, make_titulaire, nir_factory, known):
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
        traveller.shift(dt.timedelta(minutes=45))  # 61 minutes after the 10th failure
        response = post(client, nir, PASSWORD)
        assert response.status_code == (302 if known else 200)


def test_twenty_five_failures_in_a_day_lock_until_midnight(client, titulaire):
    identity = axes_username(None, {"username": titulaire.nir})
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(24):
            ratelimit.hit(login_flow.DAY_FAILURES, identity)
        assert post(client, titulaire.nir).status_code == 200  # the 25th failure
        traveller.shift(dt.timedelta(hours=13))  # 23:00, still the same day
        assert post(client, titulaire.nir, PASSWORD).status_code == 429
        traveller.move_to(dt.datetime(2026, 3, 11, 0, 1, tzinfo=PARIS))
        assert post(client, titulaire.nir, PASSWORD).status_code == 302


def test_unknown_and_known_nir_get_byte_identical_lock_pages(client, make_titulaire, nir_factory):
    pages = []
    for nir in (make_titulaire().nir, nir_factory()):
        fail_until_locked(client, nir, 5)
        response = post(client, nir)
        pages.append((response.status_code, _strip_tokens(text(response))))
    assert pages[0] == pages[1]


def _strip_tokens(html: str) -> str:
    import re

    return re.sub(r'(csrfmiddlewaretoken" value="|nonce=")[^"]+', r"\1", html)


def test_success_resets_the_daily_count(client, titulaire):
    identity = axes_username(None, {"username": titulaire.nir})
    fail_until_locked(client, titulaire.nir, 3)
    assert ratelimit.hit(login_flow.DAY_FAILURES, identity) == 4
    assert post(client, titulaire.nir, PASSWORD).status_code == 302
    assert ratelimit.hit(login_flow.DAY_FAILURES, identity) == 1


def test_admin_action_unlocks_and_is_audited(client, titulaire):
    with time_machine.travel(START, tick=False) as traveller:
        fail_until_locked(client, titulaire.nir, 5)
        traveller.shift(dt.timedelta(minutes=16))
        fail_until_locked(client, titulaire.nir, 5)  # axes + the 1-hour lock
        assert post(client, titulaire.nir, PASSWORD).status_code == 429
        staff = _staff()
        admin = type(client)()
        admin.force_login(staff)
        response = admin.post(
            reverse("admin:accounts_titulaire_changelist"),
            {"action": "unlock_login", "_selected_action": [titulaire.pk]},
        )
        assert response.status_code == 302
        entry = AuditEntry.objects.filter(event=Event.UNLOCK).get()
        assert entry.actor == staff and entry.subject_hash and titulaire.nir not in entry.detail
        assert post(client, titulaire.nir, PASSWORD).status_code == 302


def _staff():
    import random

    from accounts.nir import generate_fictitious_nir

    nir = generate_fictitious_nir(random.Random(99), sex="M", min_age=30, max_age=50)
    return get_user_model().objects.create_superuser(
        nir,
        "Admin2015!x",
        civilite="M",
        prenom="Admin",
        nom_naissance="Equipe",
        email="admin@exemple.test",
    )


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
