"""Shared test fixtures. Settings come from the environment, as in production; the tests run in
demo mode (PORTAL_DEMO=1: plain http, demo mailbox routes) unless a test says otherwise."""

import os

os.environ.setdefault("PORTAL_DEMO", "1")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnop")
# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run inside
# one unless told it is safe (it is: the loop is Playwright's, not Django's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile(
    "portal", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("portal")

pytest_plugins = ["tests.fixtures.accounts", "tests.fixtures.browser"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; the tests that are not about hashing use a fast hasher.
    tests/test_security_hashing.py checks the real configuration."""
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
