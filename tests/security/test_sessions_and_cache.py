"""Issue 4, points 3 and 5: sessions (the cases not covered in tests/accounts/test_sessions.py,
test_login.py, test_reset.py and test_profile_password.py) and the shared cache that holds the
counters: the database cache (the default when REDIS_URL is unset) works across processes."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.flows import login as login_flow
from cpf_portal import ratelimit
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def test_login_when_already_logged_in_as_the_same_person_cycles_the_key(client, titulaire):
    client.post(LOGIN, {"username": titulaire.nir, "password": PASSWORD})
    first = client.session.session_key
    client.post(LOGIN, {"username": titulaire.nir, "password": PASSWORD})
    assert client.session.session_key != first
    assert not Session.objects.filter(session_key=first).exists()  # old key is dead
    assert client.session["_auth_user_id"] == str(titulaire.pk)


def test_a_stolen_old_key_is_useless_after_logout(client, titulaire):
    client.post(LOGIN, {"username": titulaire.nir, "password": PASSWORD})
    key = client.session.session_key
    client.post(reverse("accounts:logout"))
    thief = Client()
    thief.cookies["sessionid"] = key
    response = thief.get(reverse("accounts:synthese"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_password_change_ends_the_other_sessions(client, titulaire):
    other = Client()
    other.post(LOGIN, {"username": titulaire.nir, "password": PASSWORD})
    assert other.get(reverse("accounts:synthese")).status_code == 200
    client.post(LOGIN, {"username": titulaire.nir, "password": PASSWORD})
    response = client.post(
        reverse("accounts:password_change"),
        {
            "current_password": PASSWORD,
            "password1": "Nouveau2016!x",
            "password2": "Nouveau2016!x",
        },
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:synthese")).status_code == 200  # this one stays
    assert other.get(reverse("accounts:synthese")).status_code == 302  # the other is out


@pytest.fixture
def database_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }
    call_command("createcachetable", verbosity=0)
    yield caches["default"]
    cache.clear()


def test_counters_live_in_the_database_cache_without_the_nir(database_cache, titulaire):
    limit = ratelimit.Limit("essai", max_hits=2, window_seconds=60)
    assert ratelimit.hit(limit, "abc") == 1
    assert ratelimit.hit(limit, "abc") == 2
    assert ratelimit.hit_and_check(limit, "abc") is True
    # Another process reads the same table: a fresh cache object sees the count.
    from django.core.cache.backends.db import DatabaseCache

    assert DatabaseCache("portal_cache", {}).get("rl:essai:abc") == 3
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM portal_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("rl:essai:abc" in key for key in keys)
    # The login counters are keyed by a hash, never the NIR.
    client = Client()
    client.post(LOGIN, {"username": titulaire.nir, "password": "Faux2015!x"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM portal_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any("login_fail_day" in key for key in keys)
    assert not any(titulaire.nir in key for key in keys)
    assert login_flow.DAY_FAILURES.max_hits == 25
