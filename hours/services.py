"""Hours services: what views, the admin, commands and other apps call.

CPF hours: a ledger of movements keyed by NIR (LedgerEntry); the balance is their sum. Every
change locks the NIR's HoursAccount row (hours.locking.lock_account) inside a transaction.

API for other apps:
- cpf_balance(nir) -> int
- mobilise(nir, hours, dossier_id, dossier_ref, actor=None) -> LedgerEntry (once per dossier;
  raises InsufficientHours)
- recredit(nir, dossier_id, dossier_ref, actor=None) -> LedgerEntry | None (once per dossier)
- mobilise_dif, recredit_dif: the same for DIF hours (one movement function serves both books)
- dif_balance, declare_dif, lock_dif (hours.dif)
- account_summary(titulaire) -> AccountSummary
- credit_declarations(rows, actor=None) / import_declarations(data, source_name, ...)
- add_movement(nir, kind, hours, label, actor) (staff: abondement or correction)

Crediting declarations (the portal's readings):
- A year's declarations arrive in one file, as the annual DADS campaign does: rows for the
  same NIR and year are several employers' declarations, stored each and credited once from
  their combined prorata. The same rows imported again credit nothing; another set of rows for
  a year already credited is an error on each of its lines, and nothing is imported.
- A late declaration, for a year earlier than years already credited, is credited on the
  account as it stands when it is imported; later years are not recomputed (the ledger is
  append-only; staff correct with a correction if needed).
- The 120 h step and the ceilings apply to the accrual base: the balance minus the top-up hours
  not yet used by a training (hours.accrual.outstanding_topups, L6323-4 II).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import BinaryIO

from django.db import connection, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.models import Event
from audit.services import record
from cpf_portal.errors import (  # noqa: F401 - re-exported API
    DifError,
    DifLocked,
    HoursError,
    ImportRejected,
    InsufficientHours,
)
from hours import crediting
from hours.crediting import ImportReport  # noqa: F401 - re-exported API
from hours.dif import (  # noqa: F401 - re-exported API
    DIF_MAX,
    declare_dif,
    dif_balance,
    dif_declaration,
    dif_declaration_with_balance,
    dif_used,
    lock_dif,
)
from hours.importer import DeclarationReader, RowError, year_problem
from hours.locking import lock_account, lock_staged_accounts
from hours.models import (
    DifKind,
    DifMovement,
    EmployerDeclaration,
    HoursAccount,
    LedgerEntry,
    LedgerKind,
)
from hours.staging import BATCH_ROWS, Staging
from nir import rules as nir_rules

MARCH = "mars"
FIRST_CREDIT_YEAR = 2016  # the CPF started in 2015; its first credit came in March 2016
STAFF_KINDS = (LedgerKind.ABONDEMENT, LedgerKind.CORRECTION)


def cpf_balance(nir: str) -> int:
    return LedgerEntry.objects.for_nir(nir).balance()


def _add_to_stored_balance(account, hours: int) -> None:
    """HoursAccount.cpf_balance follows the ledger: called in the transaction that writes the
    movement, with the account's row locked (lock_account)."""
    type(account).objects.filter(pk=account.pk).update(cpf_balance=F("cpf_balance") + hours)


def _add_to_stored_balances(totals: dict[str, int]) -> None:
    """The bulk form of _add_to_stored_balance: {nir: hours credited}, under the import's
    locks (lock_staged_accounts)."""
    if not totals:
        return
    table = HoursAccount._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE {table} a SET cpf_balance = a.cpf_balance + v.hours "  # noqa: S608
                "FROM unnest(%s::varchar[], %s::integer[]) AS v(nir, hours) WHERE a.nir = v.nir",
                [list(totals), list(totals.values())],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET cpf_balance = cpf_balance + %s WHERE nir = %s",  # noqa: S608
                [(hours, nir) for nir, hours in totals.items()],
            )


@dataclass(frozen=True)
class _Book:
    """One of the two kinds of hours a dossier moves: CPF (the ledger) or DIF (its
    movements). mobilise() and recredit() serve both."""

    model: type  # LedgerEntry or DifMovement: nir, kind, hours, dossier_id, dossier_ref
    mobilisation: str
    recredit: str
    balance: Callable[[str], int | None]  # None: the DIF balance was never entered
    shortfall: str  # "%(a)s heures … disponibles pour %(h)s demandées"
    labelled: bool  # the ledger keeps a label and who moved the hours; DIF movements do not
    stored_balance: bool  # HoursAccount.cpf_balance follows the CPF ledger (admin at 1 M rows)


CPF = _Book(
    LedgerEntry,
    LedgerKind.MOBILISATION,
    LedgerKind.RECREDIT,
    cpf_balance,
    gettext_lazy("%(a)s heures CPF disponibles pour %(h)s demandées"),
    labelled=True,
    stored_balance=True,
)
DIF = _Book(
    DifMovement,
    DifKind.MOBILISATION,
    DifKind.RECREDIT,
    dif_balance,
    gettext_lazy("%(a)s heures DIF disponibles pour %(h)s demandées"),
    labelled=False,
    stored_balance=False,
)


def _mobilise(book: _Book, nir, hours, dossier_id, dossier_ref, actor=None):
    """Debit hours for a validated dossier, once per dossier (a second call returns the first
    movement and debits nothing). Inside the caller's transaction, the NIR stays locked until
    it commits."""
    hours = int(hours)
    if hours <= 0:
        raise ValueError("hours must be > 0")
    with transaction.atomic():
        account = lock_account(nir)
        existing = book.model.objects.filter(dossier_id=dossier_id, kind=book.mobilisation).first()
        if existing is not None:
            if existing.nir != nir:
                raise ValueError("dossier already mobilised for another NIR")
            return existing
        available = book.balance(nir)
        if available is None:
            raise InsufficientHours(_("Le solde d'heures DIF n'a pas été renseigné."))
        if available < hours:
            raise InsufficientHours(str(book.shortfall) % {"a": available, "h": hours})
        extra = {}
        if book.labelled:
            label = _("Dossier %(ref)s") % {"ref": dossier_ref} if dossier_ref else ""
            extra = {"label": label, "created_by": actor}
        movement = book.model.objects.create(
            nir=nir,
            kind=book.mobilisation,
            hours=-hours,
            dossier_id=dossier_id,
            dossier_ref=dossier_ref or "",
            **extra,
        )
        if book.stored_balance:
            _add_to_stored_balance(account, movement.hours)
        return movement


def _recredit(book: _Book, nir, dossier_id, dossier_ref, actor=None):
    """Give back exactly what the dossier mobilised, once. None if it mobilised nothing."""
    with transaction.atomic():
        account = lock_account(nir)
        debit = book.model.objects.filter(
            dossier_id=dossier_id, kind=book.mobilisation, nir=nir
        ).first()
        if debit is None:
            return None
        existing = book.model.objects.filter(dossier_id=dossier_id, kind=book.recredit).first()
        if existing is not None:
            return existing
        ref = dossier_ref or debit.dossier_ref
        extra = {}
        if book.labelled:
            label = _("Annulation du dossier %(ref)s") % {"ref": ref}
            extra = {"label": label, "created_by": actor}
        movement = book.model.objects.create(
            nir=nir,
            kind=book.recredit,
            hours=-debit.hours,
            dossier_id=dossier_id,
            dossier_ref=ref,
            **extra,
        )
        if book.stored_balance:
            _add_to_stored_balance(account, movement.hours)
        return movement


def mobilise(nir, hours, dossier_id, dossier_ref, actor=None) -> LedgerEntry:
    """Debit CPF hours for a validated dossier (raises InsufficientHours)."""
    return _mobilise(CPF, nir, hours, dossier_id, dossier_ref, actor)


def recredit(nir, dossier_id, dossier_ref, actor=None) -> LedgerEntry | None:
    """Give back the CPF hours a cancelled dossier mobilised, once."""
    return _recredit(CPF, nir, dossier_id, dossier_ref, actor)


def mobilise_dif(nir, hours, dossier_id, dossier_ref) -> DifMovement:
    """Debit DIF hours for a dossier, once (raises InsufficientHours, also when the DIF
    balance was never entered)."""
    return _mobilise(DIF, nir, hours, dossier_id, dossier_ref)


def recredit_dif(nir, dossier_id, dossier_ref) -> DifMovement | None:
    """Give back the DIF hours a cancelled dossier used, once. None if it used none."""
    return _recredit(DIF, nir, dossier_id, dossier_ref)


def add_movement(nir, kind, hours, label, actor, *, request=None) -> LedgerEntry:
    """Staff: an abondement (> 0) or a correction (non-zero; a negative correction may not
    take the balance below 0). Audited as HOURS_CHANGE."""
    try:
        nir_rules.validate_nir(nir)
    except nir_rules.NirError as exc:
        raise HoursError(exc.message) from exc
    if kind not in STAFF_KINDS:
        raise HoursError(_("Seuls un abondement ou une correction peuvent être ajoutés."))
    hours = int(hours)
    if kind == LedgerKind.ABONDEMENT and hours <= 0:
        raise HoursError(_("Un abondement est un nombre d'heures supérieur à 0."))
    if hours == 0:
        raise HoursError(_("Une correction est un nombre d'heures différent de 0."))
    label = (label or "").strip()
    if not label:
        raise HoursError(_("Indiquez le motif du mouvement."))
    with transaction.atomic():
        account = lock_account(nir)
        if cpf_balance(nir) + hours < 0:
            raise InsufficientHours(
                _("La correction rendrait le solde négatif (%(b)s heures disponibles).")
                % {"b": cpf_balance(nir)}
            )
        entry = LedgerEntry.objects.create(
            nir=nir, kind=kind, hours=hours, label=label[:300], created_by=actor
        )
        _add_to_stored_balance(account, hours)
        record(
            Event.HOURS_CHANGE,
            request=request,
            actor=actor,
            nir=nir,
            obj=entry,
            detail=f"{entry.get_kind_display()} {hours:+d} h : {label}",
        )
    return entry


# --- Employer declarations ------------------------------------------------------------------


def credit_declarations(rows, actor=None, *, source_file: str = "", progress=None) -> ImportReport:
    """Store the declarations and credit their years, all or nothing (one transaction).

    `rows` are hours.importer.DeclarationRow (or objects with the same attributes); rows for
    the same NIR and year are one declaration per employer. A year already imported with the
    same rows is a no-op; with other rows it is an error on each of them and nothing is
    stored. Per NIR, years are credited in chronological order whatever the row order,
    starting from the account as it stands now (see the module docstring)."""
    report = ImportReport()
    try:
        with transaction.atomic(), Staging() as staging:
            for row in rows:
                line = getattr(row, "line", 0)
                problem = year_problem(row.year, None)  # the parser also checks the file's date
                if problem:
                    crediting.add_error(report, RowError(line, problem))
                staging.add(
                    line,
                    row.nir,
                    row.year,
                    row.hours_worked,
                    row.reference_hours,
                    row.low_qualified,
                )
            _credit_staged(staging, report, actor, source_file, progress)
            if report.errors:
                raise ImportRejected(report.errors)
    except ImportRejected:
        crediting.rejected(report)
    return report


def import_declarations(
    data: bytes | BinaryIO,
    source_name: str = "",
    actor=None,
    *,
    request=None,
    today: date | None = None,
    progress=None,
) -> ImportReport:
    """Parse, check and credit a CSV file, read as a stream (bytes or a binary file; the
    command and the admin upload both call this). A file with any bad row imports nothing;
    the report lists every bad row. `progress(stage, done, total)`, if given, is called every
    few thousand rows: ("lecture", rows read, None), then ("crédit", rows done, rows)."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    reader = DeclarationReader(stream, today)
    report = ImportReport()
    try:
        with transaction.atomic(), Staging() as staging:
            for row in reader:
                if reader.ok:  # after a bad row nothing is imported: only read on, for errors
                    staging.add(*row)
                    if progress and not staging.count % BATCH_ROWS:
                        progress("lecture", reader.rows_read, None)
            report.rows_read = reader.rows_read
            if not reader.ok:
                report.errors = reader.errors
                report.errors_not_listed = reader.errors_not_listed
                raise ImportRejected(report.errors)
            _credit_staged(staging, report, actor, source_name, progress)
            if report.errors:
                raise ImportRejected(report.errors)
            record(
                Event.DECLARATIONS_IMPORT,
                request=request,
                actor=actor,
                obj=source_name or "fichier",
                detail=(
                    f"{report.declarations_created} déclaration(s) importée(s), "
                    f"{report.already_imported} déjà présente(s), "
                    f"{report.hours_credited} h créditées"
                ),
            )
    except ImportRejected:
        return crediting.rejected(report)
    return report


def _credit_staged(staging: Staging, report, actor, source_file, progress) -> None:
    """Credit the staged rows NIR by NIR, in NIR order: lock every NIR of the file first (as
    lock_account does for one), then merge the staged rows with the declarations already
    stored and the ledger, compute each new year's credit from the account as it stands
    (hours.accrual) and write in bulk. Once an error is found nothing more is written (the
    caller rolls back) but every row is still checked."""
    rows = staging.by_nir()
    lock_staged_accounts()  # held until the commit
    stored = crediting.stored_declarations()
    positions = crediting.accrual_positions()
    writer = _CreditWriter(actor, source_file)
    done, shown = 0, 0
    for nir, group in rows:
        group = list(group)
        new = crediting.new_rows(nir, group, stored.get(nir), report)
        if new and not report.errors:
            writer.add(nir, new, *positions.get(nir, (0, 0)), report=report)
            if len(writer.declarations) >= BATCH_ROWS:
                writer.flush()
        done += len(group)
        if progress and done - shown >= BATCH_ROWS:
            progress("crédit", done, staging.count)
            shown = done
    if not report.errors:
        writer.flush()


class _CreditWriter:
    """The bulk writer of declarations and annual credits: COPY on PostgreSQL (declaration
    ids drawn from their sequence first, for the credits' foreign key), bulk_create
    elsewhere. Callers hold the NIRs' locks (lock_accounts)."""

    def __init__(self, actor, source_file):
        self.actor_id = actor.pk if actor is not None else None
        self.source_file = (source_file or "")[:255]
        self.now = timezone.now()  # real clock: when the rows were written
        self.declarations: list[tuple] = []  # (nir, year, hours, reference, low)
        self.credits: list[tuple] = []  # (nir, year, hours, label, reasons, declaration index)

    def add(self, nir, rows, balance, topups, *, report) -> None:
        values = tuple((row[3], row[4], row[5], row[6]) for row in rows)
        first_of_year = {}
        for year, hours, reference, low in values:
            first_of_year.setdefault(year, len(self.declarations))
            self.declarations.append((nir, year, hours, reference, low))
        for year, hours, label, reasons in crediting.credits_for(balance, topups, values):
            self.credits.append((nir, year, hours, label, reasons, first_of_year[year]))
            report.hours_credited += hours
        report.declarations_created += len(rows)
        report.nirs_credited += 1

    def flush(self) -> None:
        if not self.declarations:
            return
        if connection.vendor == "postgresql":
            self._copy()
        else:
            self._bulk_create()
        totals: dict[str, int] = {}
        for nir, _year, hours, *_rest in self.credits:
            totals[nir] = totals.get(nir, 0) + hours
        _add_to_stored_balances(totals)
        self.declarations, self.credits = [], []

    def _copy(self) -> None:
        declarations = EmployerDeclaration._meta.db_table
        ledger = LedgerEntry._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [declarations, len(self.declarations)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            with cursor.copy(
                f"COPY {declarations} (id, nir, year, hours_worked, reference_hours, "
                "low_qualified, imported_at, source_file) FROM STDIN"
            ) as copy:
                for pk, values in zip(ids, self.declarations, strict=True):
                    copy.write_row((pk, *values, self.now, self.source_file))
            with cursor.copy(
                f"COPY {ledger} (nir, kind, hours, year, label, reasons, declaration_id, "
                "dossier_ref, created_at, created_by_id) FROM STDIN"
            ) as copy:
                for nir, year, hours, label, reasons, index in self.credits:
                    copy.write_row(
                        (
                            nir,
                            LedgerKind.CREDIT_ANNUEL.value,
                            hours,
                            year,
                            label,
                            reasons,
                            ids[index],
                            "",
                            self.now,
                            self.actor_id,
                        )
                    )

    def _bulk_create(self) -> None:
        stored = EmployerDeclaration.objects.bulk_create(
            EmployerDeclaration(
                nir=nir,
                year=year,
                hours_worked=hours,
                reference_hours=reference,
                low_qualified=low,
                imported_at=self.now,
                source_file=self.source_file,
            )
            for nir, year, hours, reference, low in self.declarations
        )
        LedgerEntry.objects.bulk_create(
            LedgerEntry(
                nir=nir,
                kind=LedgerKind.CREDIT_ANNUEL,
                hours=hours,
                year=year,
                declaration_id=stored[index].pk,
                label=label,
                reasons=reasons,
                created_at=self.now,
                created_by_id=self.actor_id,
            )
            for nir, year, hours, label, reasons, index in self.credits
        )


# --- What the titulaire sees ------------------------------------------------------------------


@dataclass(frozen=True)
class AccountSummary:
    cpf_balance: int
    has_cpf_credits: bool
    dif_declared: bool
    dif_balance: int | None
    dif_locked: bool
    first_credit_month_text: str


def next_credit_month_text(today: date | None = None) -> str:
    """Credits come at the end of the first quarter after the year worked: 'mars 2016'."""
    today = today or timezone.localdate()
    year = today.year if today.month <= 3 else today.year + 1
    return f"{MARCH} {max(FIRST_CREDIT_YEAR, year)}"


def account_summary(titulaire, today: date | None = None) -> AccountSummary:
    """Two queries: the ledger's sum and row count, the DIF declaration with its balance."""
    nir = titulaire.nir
    ledger = LedgerEntry.objects.for_nir(nir).aggregate(balance=Sum("hours"), rows=Count("pk"))
    declaration = dif_declaration_with_balance(nir)
    return AccountSummary(
        cpf_balance=ledger["balance"] or 0,
        has_cpf_credits=bool(ledger["rows"]),
        dif_declared=declaration is not None,
        dif_balance=None if declaration is None else declaration.hours + declaration.moved,
        dif_locked=bool(declaration and declaration.is_locked),
        first_credit_month_text=next_credit_month_text(today),
    )
