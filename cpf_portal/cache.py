"""Django's database cache with an increment fit for counters (cpf_portal.ratelimit).

Django's DatabaseCache.incr() is a get() then a set() with the default timeout: two requests at
once count one hit, and every hit gives the key 5 more minutes instead of keeping the end of
its window, so a counter of failed logins died 5 minutes after its last hit. This incr() reads
and rewrites the value in one transaction, the row locked (SELECT … FOR UPDATE on PostgreSQL;
SQLite's IMMEDIATE transactions serialise writers), and leaves `expires` as it is.
"""

import base64
import pickle

from django.core.cache.backends import db
from django.db import connections, models, router, transaction
from django.utils.timezone import now


class DatabaseCache(db.DatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        qn = connection.ops.quote_name
        table, value_col, key_col = qn(self._table), qn("value"), qn("cache_key")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        # Quoted identifiers from the settings; the key and the value are parameters.
        select = f"SELECT {value_col}, {qn('expires')} FROM {table} WHERE {key_col} = %s{lock}"  # noqa: S608
        update = f"UPDATE {table} SET {value_col} = %s WHERE {key_col} = %s"  # noqa: S608
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(select, [key])
            row = cursor.fetchone()
            if row is None or self._expires(connection, row[1]) < now():
                raise ValueError(f"Key '{key}' not found")
            stored = connection.ops.process_clob(row[0])
            pickled = base64.b64decode(stored.encode(), validate=True)
            value = pickle.loads(pickled) + delta  # noqa: S301 - as DatabaseCache, own table
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(update, [encoded, key])
        return value

    @staticmethod
    def _expires(connection, raw):
        # As DatabaseCache.get_many() reads it: aware or naive depending on the database.
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression)
        for converter in converters + expression.get_db_converters(connection):
            raw = converter(raw, expression, connection)
        return raw
