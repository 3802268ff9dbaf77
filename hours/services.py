"""Hours services: what views, the admin, commands and other apps call.

CPF hours: a ledger of movements keyed by NIR (LedgerEntry); the balance is their sum. Every
change locks the NIR's HoursAccount row (hours.locking.lock_account) inside a transaction.

API for other apps:
- cpf_balance(nir) -> int
- mobilise(nir, hours, dossier_id, dossier_ref, actor=None) -> LedgerEntry (once per dossier;
  raises InsufficientHours)
- recredit(nir, dossier_id, dossier_ref, actor=None) -> LedgerEntry | None (once per dossier)
- dif_balance, declare_dif, lock_dif, mobilise_dif, recredit_dif (hours.dif)
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

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import nir as nir_rules
from audit.models import Event
from audit.services import record
from hours import accrual
from hours.dif import (  # noqa: F401 - re-exported API
    DIF_MAX,
    declare_dif,
    dif_balance,
    dif_declaration,
    dif_used,
    lock_dif,
    mobilise_dif,
    recredit_dif,
    set_dif_balance,
)
from hours.importer import RowError, parse_declarations, year_problem
from hours.locking import (  # noqa: F401 - re-exported API
    DifError,
    DifLocked,
    HoursError,
    InsufficientHours,
    lock_account,
)
from hours.models import LABEL_MAX_LENGTH, EmployerDeclaration, LedgerEntry, LedgerKind

MARCH = "mars"
FIRST_CREDIT_YEAR = 2016  # the CPF started in 2015; its first credit came in March 2016
STAFF_KINDS = (LedgerKind.ABONDEMENT, LedgerKind.CORRECTION)


def _norm(nir: str) -> str:
    return nir_rules.normalize_nir(nir)


def cpf_balance(nir: str) -> int:
    return LedgerEntry.objects.for_nir(nir).balance()


def mobilise(nir, hours, dossier_id, dossier_ref, actor=None) -> LedgerEntry:
    """Debit CPF hours for a validated dossier. Call inside the caller's transaction.atomic();
    the NIR stays locked until it commits. A second call for the same dossier returns the
    first entry and debits nothing."""
    nir = _norm(nir)
    hours = int(hours)
    if hours <= 0:
        raise ValueError("hours must be > 0")
    with transaction.atomic():
        lock_account(nir)
        existing = LedgerEntry.objects.filter(
            dossier_id=dossier_id, kind=LedgerKind.MOBILISATION
        ).first()
        if existing is not None:
            if existing.nir != nir:
                raise ValueError("dossier already mobilised for another NIR")
            return existing
        available = cpf_balance(nir)
        if available < hours:
            raise InsufficientHours(
                _("%(a)s heures CPF disponibles pour %(h)s demandées")
                % {"a": available, "h": hours}
            )
        return LedgerEntry.objects.create(
            nir=nir,
            kind=LedgerKind.MOBILISATION,
            hours=-hours,
            dossier_id=dossier_id,
            dossier_ref=dossier_ref or "",
            label=_("Dossier %(ref)s") % {"ref": dossier_ref} if dossier_ref else "",
            created_by=actor,
        )


def recredit(nir, dossier_id, dossier_ref, actor=None) -> LedgerEntry | None:
    """Give back exactly what the dossier mobilised, once. None if it mobilised nothing."""
    nir = _norm(nir)
    with transaction.atomic():
        lock_account(nir)
        debit = LedgerEntry.objects.filter(
            dossier_id=dossier_id, kind=LedgerKind.MOBILISATION, nir=nir
        ).first()
        if debit is None:
            return None
        existing = LedgerEntry.objects.filter(
            dossier_id=dossier_id, kind=LedgerKind.RECREDIT
        ).first()
        if existing is not None:
            return existing
        ref = dossier_ref or debit.dossier_ref
        return LedgerEntry.objects.create(
            nir=nir,
            kind=LedgerKind.RECREDIT,
            hours=-debit.hours,
            dossier_id=dossier_id,
            dossier_ref=ref,
            label=_("Annulation du dossier %(ref)s") % {"ref": ref},
            created_by=actor,
        )


def add_movement(nir, kind, hours, label, actor, *, request=None) -> LedgerEntry:
    """Staff: an abondement (> 0) or a correction (non-zero; a negative correction may not
    take the balance below 0). Audited as HOURS_CHANGE."""
    nir = _norm(nir)
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
        lock_account(nir)
        if cpf_balance(nir) + hours < 0:
            raise InsufficientHours(
                _("La correction rendrait le solde négatif (%(b)s heures disponibles).")
                % {"b": cpf_balance(nir)}
            )
        entry = LedgerEntry.objects.create(
            nir=nir, kind=kind, hours=hours, label=label[:300], created_by=actor
        )
        record(
            Event.HOURS_CHANGE,
            request=request,
            actor=actor,
            nir=nir,
            obj=entry,
            detail=f"{entry.get_kind_display()} {hours:+d} h : {label}",
        )
    return entry


def credit_demo_hours(nir, hours) -> LedgerEntry:
    """For demo seeders: an abondement without an actor."""
    return add_movement(nir, LedgerKind.ABONDEMENT, hours, _("Abondement de démonstration"), None)


# --- Employer declarations ------------------------------------------------------------------


@dataclass
class ImportReport:
    errors: list[RowError] = field(default_factory=list)
    declarations_created: int = 0
    already_imported: int = 0
    hours_credited: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRejected(Exception):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _declaration_for(decl: EmployerDeclaration) -> accrual.Declaration:
    return accrual.Declaration(
        year=decl.year,
        hours_worked=decl.hours_worked,
        reference_hours=decl.reference_hours,
        low_qualified=decl.low_qualified,
    )


def credit_declarations(rows, actor=None, *, source_file: str = "") -> ImportReport:
    """Store the declarations and credit their years, all or nothing (one transaction).

    `rows` are hours.importer.DeclarationRow (or objects with the same attributes); rows for
    the same NIR and year are one declaration per employer. A year already imported with the
    same rows is a no-op; with other rows it is an error on each of them and nothing is
    stored. Per NIR, years are credited in chronological order whatever the row order,
    starting from the account as it stands now (see the module docstring)."""
    report = ImportReport()
    by_nir: dict[str, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        problem = year_problem(row.year, None)  # the parser also checks the file's date
        if problem:
            report.errors.append(RowError(getattr(row, "line", 0), problem))
        by_nir[_norm(row.nir)][row.year].append(row)
    try:
        with transaction.atomic():
            for nir in sorted(by_nir):
                lock_account(nir)
                new = _new_rows(nir, by_nir[nir], report)
                if report.errors or not new:
                    continue
                report.hours_credited += _credit_nir(nir, new, actor, source_file)
                report.declarations_created += len(new)
            if report.errors:
                raise ImportRejected(report.errors)
    except ImportRejected:
        report.errors.sort(key=lambda e: e.line)
        report.declarations_created = report.hours_credited = 0
    return report


def _values(declaration) -> tuple[Decimal, int | None, bool]:
    """What makes two declarations the same, for a stored one or a row."""
    return (
        Decimal(declaration.hours_worked),
        declaration.reference_hours,
        bool(declaration.low_qualified),
    )


def _new_rows(nir, rows_by_year, report) -> list:
    """The rows of years not imported yet; counts or reports the others (NIR locked)."""
    stored: dict[int, Counter] = defaultdict(Counter)
    for declaration in EmployerDeclaration.objects.filter(nir=nir, year__in=list(rows_by_year)):
        stored[declaration.year][_values(declaration)] += 1
    new = []
    for year in sorted(rows_by_year):
        rows = rows_by_year[year]
        if not stored[year]:
            new.extend(rows)
        elif stored[year] == Counter(_values(row) for row in rows):
            report.already_imported += len(rows)  # the same file again
        else:
            message = _(
                "déclarations de l'année %(y)s déjà importées avec d'autres valeurs "
                "(NIR %(n)s) : les déclarations d'une année s'importent toutes ensemble"
            ) % {"y": year, "n": nir_rules.mask_nir(nir)}
            report.errors.extend(RowError(getattr(row, "line", 0), message) for row in rows)
    return new


def _accrual_position(nir) -> tuple[int, int]:
    """(balance, outstanding top-up hours) of the NIR, from its ledger in date order."""
    entries = list(LedgerEntry.objects.for_nir(nir).values_list("kind", "hours", "dossier_id"))
    recredited = {dossier for kind, _h, dossier in entries if kind == LedgerKind.RECREDIT}
    topup_movements = [
        hours
        for kind, hours, dossier in entries
        if kind == LedgerKind.ABONDEMENT
        or (kind == LedgerKind.MOBILISATION and dossier not in recredited)
    ]
    balance = sum(hours for _k, hours, _d in entries)
    return balance, accrual.outstanding_topups(topup_movements)


def _credit_nir(nir, rows, actor, source_file) -> int:
    now = timezone.now()
    stored = [
        EmployerDeclaration.objects.create(
            nir=nir,
            year=row.year,
            hours_worked=row.hours_worked,
            reference_hours=row.reference_hours,
            low_qualified=bool(row.low_qualified),
            imported_at=now,
            source_file=(source_file or "")[:255],
        )
        for row in sorted(rows, key=lambda r: (r.year, getattr(r, "line", 0)))
    ]
    first_of_year = {}
    for declaration in stored:
        first_of_year.setdefault(declaration.year, declaration)
    balance, topups = _accrual_position(nir)
    credits = accrual.compute_credits(
        [_declaration_for(decl) for decl in stored], balance=balance, topups=topups
    )
    for credit in credits:
        LedgerEntry.objects.create(
            nir=nir,
            kind=LedgerKind.CREDIT_ANNUEL,
            hours=credit.hours_credited,
            year=credit.year,
            declaration=first_of_year[credit.year],
            label=accrual.explain(credit)[:LABEL_MAX_LENGTH],
            reasons=",".join(credit.reasons),
            created_by=actor,
        )
    return accrual.total_credited(credits)


def import_declarations(
    data: bytes, source_name: str = "", actor=None, *, request=None, today: date | None = None
) -> ImportReport:
    """Parse, check and credit a CSV file (the command and the admin upload both call this).
    A file with any bad row imports nothing; the report lists every bad row."""
    parsed = parse_declarations(data, today=today)
    if not parsed.ok:
        return ImportReport(errors=parsed.errors)
    report = credit_declarations(parsed.rows, actor, source_file=source_name)
    if report.ok:
        record(
            Event.DECLARATIONS_IMPORT,
            request=request,
            actor=actor,
            obj=source_name or "fichier",
            detail=(
                f"{report.declarations_created} déclaration(s) importée(s), "
                f"{report.already_imported} déjà présente(s), {report.hours_credited} h créditées"
            ),
        )
    return report


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
    nir = titulaire.nir
    declaration = dif_declaration(nir)
    return AccountSummary(
        cpf_balance=cpf_balance(nir),
        has_cpf_credits=LedgerEntry.objects.for_nir(nir).exists(),
        dif_declared=declaration is not None,
        dif_balance=dif_balance(nir) if declaration is not None else None,
        dif_locked=bool(declaration and declaration.is_locked),
        first_credit_month_text=next_credit_month_text(today),
    )
