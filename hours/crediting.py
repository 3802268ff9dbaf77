"""Crediting declarations, the parts that only read or compute: the import's report, the
comparison with the declarations already stored, each account's position and the credits
(hours.accrual). hours.services writes (it is the only writer of the ledger)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from itertools import groupby
from operator import itemgetter

from django.db import connection
from django.utils.translation import gettext as _

from hours import accrual
from hours.importer import MAX_LISTED_ERRORS, RowError
from hours.models import (
    LABEL_MAX_LENGTH,
    EmployerDeclaration,
    LedgerEntry,
    LedgerKind,
    StagedDeclaration,
)
from hours.staging import BATCH_ROWS, nir_order
from nir import rules as nir_rules


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    declarations_created: int = 0
    already_imported: int = 0
    hours_credited: int = 0
    rows_read: int = 0  # data rows of the file, good and bad
    nirs_credited: int = 0  # NIRs with at least one new year credited
    errors_not_listed: int = 0  # beyond importer.MAX_LISTED_ERRORS

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        return len(self.errors) + self.errors_not_listed


def add_error(report: ImportReport, error: RowError) -> None:
    if len(report.errors) < MAX_LISTED_ERRORS:
        report.errors.append(error)
    else:
        report.errors_not_listed += 1


def rejected(report: ImportReport) -> ImportReport:
    report.errors.sort(key=lambda e: e.line)
    report.declarations_created = report.hours_credited = report.nirs_credited = 0
    return report


def staged(queryset):
    """The rows of `queryset` whose NIR is in the import's staging table."""
    return queryset.filter(nir__in=StagedDeclaration.objects.values("nir"))


class SortedLookup:
    """Look up NIRs in increasing order in a stream of (nir, value) sorted by NIR: one pass,
    one NIR's rows in memory. The stream is opened at once, so it reads the database as it
    stands before the import writes (a PostgreSQL cursor does not see later rows)."""

    def __init__(self, pairs):
        self.pairs = iter(pairs)
        self.head = next(self.pairs, None)

    def get(self, nir, default=None):
        while self.head is not None and self.head[0] < nir:
            self.head = next(self.pairs, None)
        if self.head is not None and self.head[0] == nir:
            return self.head[1]
        return default


def _stream(queryset, *order):
    queryset = queryset.order_by(nir_order(), *order)
    if connection.vendor == "postgresql":
        return queryset.iterator(chunk_size=BATCH_ROWS)  # a server-side cursor
    return list(queryset)  # SQLite does not isolate a read from the same connection's writes


def declaration_values(
    hours_worked, reference_hours, low_qualified
) -> tuple[Decimal, int | None, bool]:
    """What makes two declarations the same, for a stored one or a row."""
    return Decimal(hours_worked), reference_hours, bool(low_qualified)


def stored_declarations() -> SortedLookup:
    """nir -> {year: Counter of declaration_values} for the staged NIRs already declared."""
    rows = _stream(
        staged(EmployerDeclaration.objects).values_list(
            "nir", "year", "hours_worked", "reference_hours", "low_qualified"
        ),
        "year",
    )

    def pairs():
        for nir, group in groupby(rows, key=itemgetter(0)):
            by_year: dict[int, Counter] = defaultdict(Counter)
            for _nir, year, *values in group:
                by_year[year][declaration_values(*values)] += 1
            yield nir, by_year

    return SortedLookup(pairs())


def new_rows(nir, rows, stored: dict[int, Counter] | None, report) -> list:
    """The rows of years not imported yet; counts or reports the others (NIR locked). `rows`
    are staging.COLUMNS tuples sorted by year."""
    new = []
    for year, group in groupby(rows, key=itemgetter(3)):
        group = list(group)
        if not stored or not stored.get(year):
            new.extend(group)
        elif stored[year] == Counter(declaration_values(*row[4:7]) for row in group):
            report.already_imported += len(group)  # the same file again
        else:
            message = _(
                "déclarations de l'année %(y)s déjà importées avec d'autres valeurs "
                "(NIR %(n)s) : les déclarations d'une année s'importent toutes ensemble"
            ) % {"y": year, "n": nir_rules.mask_nir(nir)}
            for row in group:
                add_error(report, RowError(row[1], message))
    return new


def accrual_position(entries) -> tuple[int, int]:
    """(balance, outstanding top-up hours) from a NIR's (kind, hours, dossier_id) ledger
    entries in date order."""
    recredited = {dossier for kind, _h, dossier in entries if kind == LedgerKind.RECREDIT}
    topup_movements = [
        hours
        for kind, hours, dossier in entries
        if kind == LedgerKind.ABONDEMENT
        or (kind == LedgerKind.MOBILISATION and dossier not in recredited)
    ]
    balance = sum(hours for _k, hours, _d in entries)
    return balance, accrual.outstanding_topups(topup_movements)


def accrual_positions() -> SortedLookup:
    """nir -> accrual_position for the staged NIRs that have ledger entries (read once the
    NIRs are locked)."""
    entries = _stream(
        staged(LedgerEntry.objects).values_list("nir", "kind", "hours", "dossier_id"),
        "created_at",
        "pk",
    )
    return SortedLookup(
        (nir, accrual_position([values[1:] for values in group]))
        for nir, group in groupby(entries, key=itemgetter(0))
    )


@lru_cache(maxsize=20_000)
def credits_for(balance: int, topups: int, declarations: tuple) -> tuple:
    """hours.accrual for one NIR's new declarations ((year, hours, reference, low) tuples):
    ((year, hours credited, label, reasons), ...). Cached: a pure rule, and most accounts
    start from the same position with the same full-time declarations."""
    credits = accrual.compute_credits(
        [accrual.Declaration(*values) for values in declarations], balance=balance, topups=topups
    )
    return tuple(
        (
            credit.year,
            credit.hours_credited,
            accrual.explain(credit)[:LABEL_MAX_LENGTH],
            ",".join(credit.reasons),
        )
        for credit in credits
    )
