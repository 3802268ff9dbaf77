"""`migrate` makes the database cache's table (pages/migrations/0001_database_cache_table.py):
a portal without Redis works without `createcachetable`."""

import importlib

import pytest
from django.db import connection

migration = importlib.import_module("pages.migrations.0001_database_cache_table")

pytestmark = pytest.mark.django_db


def tables():
    return connection.introspection.table_names()


def test_the_test_database_was_migrated_with_the_cache_table():
    assert "portal_cache" in tables()


@pytest.mark.django_db(transaction=True)  # SQLite edits a schema outside a transaction
def test_creating_the_tables_is_idempotent_and_reversible(settings):
    settings.CACHES = {
        "default": settings.PORTAL_DATABASE_CACHE,
        "other": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "autre"},
    }
    with connection.schema_editor() as editor:
        migration.drop_cache_tables(None, editor)
    assert "portal_cache" not in tables() and "autre" not in tables()
    for _ in range(2):
        with connection.schema_editor() as editor:
            migration.create_cache_tables(None, editor)
    assert {"portal_cache", "autre"} <= set(tables())

    from django.core.cache import caches

    caches["default"].set("clé", "valeur", 60)
    assert caches["default"].get("clé") == "valeur"
    with connection.schema_editor() as editor:
        migration.drop_cache_tables(None, editor)
    assert "portal_cache" not in tables() and "autre" not in tables()
    # Leave the test database as migrate made it.
    settings.CACHES = {"default": settings.PORTAL_DATABASE_CACHE}
    with connection.schema_editor() as editor:
        migration.create_cache_tables(None, editor)
    assert "portal_cache" in tables()
