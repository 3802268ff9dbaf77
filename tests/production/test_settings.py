"""Production settings of issue 8: persistent connections with health checks, sessions in
Redis or in the database through the cache, never saved on every request."""

import json

import pytest

from tests.fixtures.production import production_env, run

PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth.hashers import get_hasher
db = settings.DATABASES["default"]
print("JSON" + json.dumps({
    "conn_max_age": db["CONN_MAX_AGE"], "health_checks": db["CONN_HEALTH_CHECKS"],
    "session_engine": settings.SESSION_ENGINE,
    "save_every_request": settings.SESSION_SAVE_EVERY_REQUEST,
    "hasher": [get_hasher().algorithm, get_hasher().memory_cost, get_hasher().time_cost,
               get_hasher().parallelism],
}))
"""


def probe(tmp_path, **extra):
    done = run(["-c", PROBE], production_env(tmp_path, **extra))
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.split("JSON", 1)[1])


def test_production_defaults(tmp_path):
    found = probe(tmp_path)
    assert found == {
        "conn_max_age": 600,
        "health_checks": True,
        "session_engine": "django.contrib.sessions.backends.cached_db",
        "save_every_request": False,
        "hasher": ["argon2", 19 * 1024, 2, 1],
    }


def test_sessions_live_in_redis_when_it_is_configured(tmp_path):
    found = probe(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    assert found["session_engine"] == "django.contrib.sessions.backends.cache"


@pytest.mark.parametrize(("value", "expected"), [("0", 0), ("60", 60), ("None", None)])
def test_conn_max_age_from_the_environment(tmp_path, value, expected):
    found = probe(tmp_path, DJANGO_CONN_MAX_AGE=value)
    assert found["conn_max_age"] == expected and found["health_checks"] is True


def test_the_demo_opens_a_connection_per_request(tmp_path):
    found = probe(tmp_path, PORTAL_DEMO="1")
    assert found["conn_max_age"] == 0
