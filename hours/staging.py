"""The staging table of a declarations import: rows go in by batches (COPY on PostgreSQL,
bulk_create on SQLite) while the file is read, and come back sorted by NIR, a chunk of NIRs at
a time, so the crediting never holds more than a chunk in memory.

The table is TEMPORARY: private to the connection (several imports run side by side), never
written to the WAL on PostgreSQL, created and dropped inside the import's transaction (so a
failed import leaves nothing, and a transaction-pooling proxy never sees it outlive one)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

from hours.models import StagedDeclaration
from nir.rules import NIR_LENGTH

TABLE = StagedDeclaration._meta.db_table
COLUMNS = ("position", "line", "nir", "year", "hours_worked", "reference_hours", "low_qualified")
BATCH_ROWS = 20_000

_DDL = {
    # No index: COPY appends, and the one read sorts the whole table once.
    "postgresql": (
        f"CREATE TEMPORARY TABLE {TABLE} (position integer NOT NULL, line integer NOT NULL, "
        f"nir varchar({NIR_LENGTH}) NOT NULL, year smallint NOT NULL, "
        "hours_worked numeric(6, 2) NOT NULL, "
        "reference_hours integer NULL, low_qualified boolean NOT NULL)"
    ),
    "sqlite": (
        f"CREATE TEMPORARY TABLE {TABLE} (position integer NOT NULL PRIMARY KEY, "
        f"line integer NOT NULL, nir varchar({NIR_LENGTH}) NOT NULL, year integer NOT NULL, "
        "hours_worked decimal NOT NULL, reference_hours integer NULL, "
        "low_qualified bool NOT NULL)"
    ),
}


def nir_order():
    """Bytewise NIR order, the same in Python and in the database (a locale's collation may
    sort letters and digits otherwise): the streams below are merged on it."""
    return Collate(F("nir"), "C" if connection.vendor == "postgresql" else "BINARY")


class Staging:
    """Use inside transaction.atomic(): `with Staging() as staging: staging.add(...)`."""

    def __init__(self):
        self.vendor = connection.vendor
        if self.vendor not in _DDL:
            raise NotImplementedError(f"declarations import on {self.vendor}")
        self.batch: list[tuple] = []
        self.count = 0

    def __enter__(self) -> Staging:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")
            cursor.execute(_DDL[self.vendor])
        return self

    def __exit__(self, exc_type, *exc_info) -> None:
        if exc_type is not None:
            return  # the transaction's rollback removes the table (a failed one refuses SQL)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TABLE}")

    def add(self, line: int, nir: str, year: int, hours_worked, reference_hours, low) -> None:
        self.count += 1
        self.batch.append(
            (self.count, line, nir, year, Decimal(hours_worked), reference_hours, bool(low))
        )
        if len(self.batch) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                columns = ", ".join(COLUMNS)
                with cursor.copy(f"COPY {TABLE} ({columns}) FROM STDIN") as copy:
                    for values in self.batch:
                        copy.write_row(values)
        else:
            StagedDeclaration.objects.bulk_create(
                [StagedDeclaration(*values) for values in self.batch]
            )
        self.batch = []

    def by_nir(self) -> Iterator[tuple[str, list[tuple]]]:
        """(nir, rows) in NIR order (the order every import locks in), each NIR's rows sorted
        by (year, line, arrival), each row a tuple in COLUMNS order."""
        self.flush()
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {TABLE}")  # temporary tables are never auto-analysed
        rows = (
            StagedDeclaration.objects.order_by(nir_order(), "year", "line", "position")
            .values_list(*COLUMNS)
            .iterator(chunk_size=BATCH_ROWS)  # a server-side cursor on PostgreSQL
        )
        return groupby(rows, key=itemgetter(2))
