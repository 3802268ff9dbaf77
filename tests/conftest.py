"""Shared test fixtures (the environment is set in the root conftest.py)."""

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

hypothesis_settings.register_profile(
    "portal", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("portal")


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


@pytest.fixture
def database_cache(settings):
    """The portal's database cache (production without REDIS_URL). Also for tests that move
    the clock: Redis expires its keys by its own clock, which time_machine does not move."""
    from django.core.cache import cache
    from django.core.management import call_command

    # Sessions stay in the cache they were in (Redis holds them when REDIS_URL is set): a
    # client logged in before the switch stays logged in.
    settings.CACHES = {
        "default": settings.PORTAL_DATABASE_CACHE,
        "sessions": settings.CACHES["default"],
    }
    settings.SESSION_CACHE_ALIAS = "sessions"
    call_command("createcachetable", verbosity=0)
    cache.clear()
    yield cache
    cache.clear()


@pytest.fixture
def locmem_email(settings):
    """Emails sent at once (no task queue) into django.core.mail.outbox."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


# Ids as production has them: on PostgreSQL every sequence of the test database starts above
# 1,000,000, and each table in its own million (the n-th sequence, by name, at n million + 1),
# so that a length or overflow bug shows up (a reference built from an id, an id in a 32-bit
# column) and an id of one table used for another's finds no row. SQLite does not check
# lengths: its ids stay small.
BIG_IDS_FROM = 1_000_000


def restart_sequences_above_a_million(connection) -> list[tuple[str, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, sequencename FROM pg_sequences "
            "WHERE schemaname = current_schema() ORDER BY sequencename"
        )
        sequences = cursor.fetchall()
        starts = []
        for n, (schema, name) in enumerate(sequences, start=1):
            start = n * BIG_IDS_FROM + 1
            qualified = f"{connection.ops.quote_name(schema)}.{connection.ops.quote_name(name)}"
            cursor.execute(f"ALTER SEQUENCE {qualified} RESTART WITH {start}")
            starts.append((name, start))
    return starts


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor == "postgresql":
                restart_sequences_above_a_million(connection)
