"""Issue 4, points 3 and 5: sessions (the cases not covered in tests/accounts/test_sessions.py,
test_login.py, test_reset.py and test_profile_password.py) and the shared cache that holds the
counters: the database cache (the default when REDIS_URL is unset) works across processes."""

import datetime as dt
import json
import os
import uuid
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.services import gate
from cpf_portal import ratelimit
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.concurrency import run_together

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def session_exists(key) -> bool:
    """In the configured store: Redis, or the database through the cache."""
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def test_login_when_already_logged_in_as_the_same_person_cycles_the_key(client, titulaire):
    client.post(LOGIN, {"username": titulaire.nir, "password": PASSWORD})
    first = client.session.session_key
    client.post(LOGIN, {"username": titulaire.nir, "password": PASSWORD})
    assert client.session.session_key != first
    assert not session_exists(first)  # old key is dead
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
    assert gate.DAY_FAILURES.max_hits == 25


# One server process: the password reset form posted `count` times for one NIR, each from its
# own address (so only the per-NIR limit can apply); prints what the audit trail says.
RESET_REQUESTS = r"""
import json, sys, django
django.setup()
from django.test import Client
from django.urls import reverse
from audit.models import AuditEntry, Event
nir, count, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
client = Client()
for n in range(first, first + count):
    response = client.post(reverse("accounts:reset_request"),
                           {"username": nir, "email": "x@exemple.test"},
                           HTTP_HOST="cpf.example", HTTP_X_FORWARDED_PROTO="https",
                           REMOTE_ADDR=f"10.6.0.{n}")
    assert response.status_code == 302, response.status_code
entries = AuditEntry.objects.filter(event=Event.PASSWORD_RESET_REQUEST).order_by("pk")
print("JSON" + json.dumps([entry.detail for entry in entries]))
"""


def test_limits_hold_across_server_processes(tmp_path, nir_factory):
    """Production settings (Redis when REDIS_URL is set, else the database cache): the
    counters are shared, so a second server process sees the first one's hits."""
    from tests.fixtures.production import production_env, run

    extra = {"CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    if os.environ.get("REDIS_URL"):
        extra["REDIS_URL"] = os.environ["REDIS_URL"]
    env = production_env(tmp_path, **extra)
    for command in (["migrate", "--noinput", "-v", "0"], ["createcachetable", "-v", "0"]):
        done = run(["manage.py", *command], env)
        assert done.returncode == 0, done.stderr
    nir = nir_factory()

    def server_process(count, first):
        result = run(["-c", RESET_REQUESTS, nir, str(count), str(first)], env)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout.split("JSON", 1)[1])

    assert server_process(3, 1) == ["", "", ""]  # 3 requests an hour per NIR
    assert server_process(1, 4)[-1] == "limite atteinte"  # another process, the same count


def test_a_database_counter_keeps_its_window(database_cache):
    """Django's own DatabaseCache.incr() re-sets the key for 5 minutes at every hit: an hourly
    limit would forget its count 5 minutes after the last hit. The portal's keeps the window."""
    limit = ratelimit.Limit("fenetre", max_hits=3, window_seconds=60 * 60)
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        for _ in range(3):
            ratelimit.hit(limit, "abc")
        t.shift(dt.timedelta(minutes=40))
        assert ratelimit.is_limited(limit, "abc")  # still the same hour
        assert ratelimit.hit(limit, "abc") == 4
        t.shift(dt.timedelta(minutes=21))
        assert not ratelimit.is_limited(limit, "abc")  # the hour is over
        assert ratelimit.hit(limit, "abc") == 1


@pytest.mark.django_db(transaction=True)
def test_database_counter_hits_at_once_are_all_counted(database_cache):
    """Twenty threads hit one counter at the same moment: the count is twenty, on SQLite and on
    PostgreSQL (a read then a write would lose hits)."""
    limit = ratelimit.Limit("course", max_hits=100, window_seconds=60)
    ratelimit.hit(limit, "abc")
    _results, errors = run_together(20, lambda _i: ratelimit.hit(limit, "abc"))
    assert errors == []
    assert database_cache.get("rl:course:abc") == 21


def test_a_flood_of_keys_does_not_cull_the_counters(database_cache):
    """Django culls a third of the database cache past MAX_ENTRIES (300 by default): a few
    hundred junk keys would have wiped a lockout counter."""
    limit = ratelimit.Limit("crue", max_hits=5, window_seconds=60 * 60)
    for _ in range(5):
        ratelimit.hit(limit, "cible")
    for n in range(400):
        database_cache.set(f"zz:{n}", n, timeout=3600)  # sorted after the counter
    assert ratelimit.is_limited(limit, "cible")
