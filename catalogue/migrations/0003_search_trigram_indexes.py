"""Trigram GIN indexes so that the search's LIKE '%term%' on the normalised columns stops reading
the whole table (PostgreSQL only).

pg_trgm's gin_trgm_ops serves LIKE with a leading wildcard, so TrainingQuerySet.search() keeps
its exact substring semantics (and its results) and simply gets an index. The indexes live in
the database only, not in the model state: on SQLite, Django rebuilds a table from the model's
Meta.indexes when a field changes, and a GIN index there would break that rebuild.
pg_trgm is a trusted extension (PostgreSQL >= 13): the database's owner may create it.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.migrations.operations.base import Operation


class OnPostgreSQL(Operation):
    """Runs `operation` against PostgreSQL only and leaves the model state untouched."""

    reversible = True

    def __init__(self, operation):
        self.operation = operation

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            self.operation.database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"{self.operation.describe()} (PostgreSQL only)"


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_search_columns"),
    ]

    operations = [
        # A no-op on other databases by itself (CreateExtension checks the vendor).
        TrigramExtension(),
        OnPostgreSQL(
            migrations.AddIndex(
                model_name="training",
                index=GinIndex(
                    fields=["keywords_search"],
                    opclasses=["gin_trgm_ops"],
                    name="training_keywords_trgm",
                ),
            )
        ),
        OnPostgreSQL(
            migrations.AddIndex(
                model_name="training",
                index=GinIndex(
                    fields=["lieu_search"], opclasses=["gin_trgm_ops"], name="training_lieu_trgm"
                ),
            )
        ),
    ]
