"""Settings for the test suite: the real settings, read from an environment that puts them in
demo mode (plain http, demo mailbox routes) unless the caller's environment says otherwise.
Production settings are checked in subprocesses (tests/security)."""

import os

os.environ.setdefault("PORTAL_DEMO", "1")
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-0123456789-abcdefghijklmnop")
# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# inside one unless told it is safe (it is: the loop is Playwright's, not Django's).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from cpf_portal.settings import *  # noqa: E402, F403

if not REDIS_URL:  # noqa: F405
    # One process runs the tests: an in-memory cache keeps pure tests free of the database.
    # The database cache of the demo is exercised in tests/security.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not Django's default shared-cache in-memory database: in memory, SQLite's table
    # locks fail at once instead of waiting, so tests of two requests racing would test
    # something the demo's file never does.
    _test_db_dir = BASE_DIR / "test-artifacts"  # noqa: F405
    _test_db_dir.mkdir(exist_ok=True)
    # One file per run, so that two runs side by side do not delete each other's database.
    DATABASES["default"]["TEST"] = {"NAME": str(_test_db_dir / f"test-db-{os.getpid()}.sqlite3")}  # noqa: F405
