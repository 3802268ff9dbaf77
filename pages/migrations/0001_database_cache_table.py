"""The portal's database cache table (`portal_cache`), created by `migrate`.

Without Redis the rate limits and lockouts live in this table (cpf_portal/cache.py); a portal
migrated without `createcachetable` answered 500 at the first counter (a login failure, a
signup). The table is created whatever the cache of the moment (a portal that drops Redis later
finds it), as `createcachetable` would: idempotent, a table already there is left as it is.
It lives in the pages app, which also carries cpf_portal's checks (cpf_portal is no app).
"""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def cache_tables():
    tables = {settings.PORTAL_DATABASE_CACHE["LOCATION"]}
    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith(("db.DatabaseCache", "cache.DatabaseCache")):
            tables.add(cache["LOCATION"])
    return sorted(tables)


def create_cache_tables(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    for table in cache_tables():
        command.create_table(schema_editor.connection.alias, table, dry_run=False)


def drop_cache_tables(apps, schema_editor):
    existing = schema_editor.connection.introspection.table_names()
    for table in cache_tables():
        if table in existing:
            schema_editor.execute(f"DROP TABLE {schema_editor.quote_name(table)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_tables, drop_cache_tables, elidable=False)]
