"""What "Mon compte d'heures" shows, read from the ledger (no writes): the page's one read
model, in four queries (ledger, declarations, DIF declaration, DIF movements) whatever the
number of rows. Movements of dossiers the viewer may not see are flagged in the same queries
(`hidden_dossiers`, a QuerySet of those dossiers given by the page) and shown as one total."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Value

from cpf_portal.numbers import french_number
from hours import accrual
from hours.dif import dif_declaration
from hours.models import DifMovement, EmployerDeclaration, LedgerEntry, LedgerKind
from hours.services import next_credit_month_text


@dataclass(frozen=True)
class YearLine:
    year: int
    hours_worked: str  # French display: "1 607", "803,5"; all employers added
    reference_hours: str  # "" when the employers' references differ
    employers: int  # declarations received for the year
    percent: str  # share of a full time, e.g. "50" or "100"
    low_qualified: bool
    hours_credited: int
    reasons: tuple[str, ...]
    explanation: str


@dataclass(frozen=True)
class DossierMovement:
    created_at: object
    dossier_ref: str
    label: str
    cpf_hours: int | None
    dif_hours: int | None
    hidden: bool = False  # a dossier the viewer may not see (a delegate: a confidential one)


@dataclass(frozen=True)
class Overview:
    years: list[YearLine]
    top_ups: list[LedgerEntry]  # abondements and corrections
    dossier_movements: list[LedgerEntry]  # mobilisations and re-credits
    cpf_balance: int
    dif: object  # DifDeclaration | None
    dif_balance: int | None
    dif_used: int
    dif_movements: list[DifMovement]
    first_credit_month_text: str = ""

    @property
    def dossier_rows(self) -> list[DossierMovement]:
        """CPF and DIF movements of the dossiers, in date order."""
        rows = [
            DossierMovement(
                e.created_at, e.dossier_ref, e.get_kind_display(), e.hours, None, e.hidden
            )
            for e in self.dossier_movements
        ] + [
            DossierMovement(
                m.created_at, m.dossier_ref, m.get_kind_display(), None, m.hours, m.hidden
            )
            for m in self.dif_movements
        ]
        return sorted(rows, key=lambda row: (row.created_at, row.dossier_ref))

    @property
    def visible_rows(self) -> list[DossierMovement]:
        """The rows the viewer may see."""
        return [row for row in self.dossier_rows if not row.hidden]

    @property
    def confidential_total(self) -> tuple[int, int] | None:
        """The net (CPF, DIF) hours of the hidden dossiers' rows, or None. A delegate sees
        confidential dossiers as one total, without dates or count, so that the balance still
        adds up."""
        hidden = [row for row in self.dossier_rows if row.hidden]
        total = (
            sum(row.cpf_hours or 0 for row in hidden),
            sum(row.dif_hours or 0 for row in hidden),
        )
        return total if any(total) else None

    @property
    def is_empty(self) -> bool:
        return not (self.years or self.top_ups or self.dossier_movements)


def _reasons(credit: LedgerEntry) -> tuple[str, ...]:
    """The labels of the reason codes stored with the credit when the rule was applied."""
    codes = [code for code in credit.reasons.split(",") if code in accrual.REASON_LABELS]
    return tuple(accrual.REASON_LABELS[code] for code in codes)


def _declarations_by_year(nir: str) -> dict[int, list[accrual.Declaration]]:
    by_year: dict[int, list[accrual.Declaration]] = {}
    for decl in EmployerDeclaration.objects.filter(nir=nir):
        by_year.setdefault(decl.year, []).append(
            accrual.Declaration(
                decl.year, decl.hours_worked, decl.reference_hours, decl.low_qualified
            )
        )
    return by_year


def _flag_hidden(movements, hidden_dossiers):
    """Each movement with `hidden`: whether its dossier is one of `hidden_dossiers`."""
    if hidden_dossiers is None:
        return movements.annotate(hidden=Value(False))
    return movements.annotate(hidden=Exists(hidden_dossiers.filter(pk=OuterRef("dossier_id"))))


def hours_overview(nir: str, *, hidden_dossiers=None, today=None) -> Overview:
    entries = list(_flag_hidden(LedgerEntry.objects.for_nir(nir), hidden_dossiers))
    declarations = _declarations_by_year(nir)
    years = []
    for entry in entries:
        if entry.kind != LedgerKind.CREDIT_ANNUEL:
            continue
        year_declarations = declarations.get(entry.year, [])
        worked, reference, share, low = accrual.combine(year_declarations)
        percent = round(float(share) * 100, 1)
        years.append(
            YearLine(
                year=entry.year,
                hours_worked=french_number(worked),
                reference_hours=french_number(reference) if reference else "",
                employers=len(year_declarations),
                percent=f"{percent:g}".replace(".", ","),
                low_qualified=accrual.is_low_qualified_year(low, entry.year),
                hours_credited=entry.hours,
                reasons=_reasons(entry),
                explanation=entry.label,
            )
        )
    years.sort(key=lambda line: line.year)
    dif = dif_declaration(nir)
    dif_movements = list(_flag_hidden(DifMovement.objects.for_nir(nir), hidden_dossiers))
    dif_moved = sum(m.hours for m in dif_movements)
    return Overview(
        years=years,
        top_ups=[e for e in entries if e.kind in (LedgerKind.ABONDEMENT, LedgerKind.CORRECTION)],
        dossier_movements=[
            e for e in entries if e.kind in (LedgerKind.MOBILISATION, LedgerKind.RECREDIT)
        ],
        cpf_balance=sum(e.hours for e in entries),
        dif=dif,
        dif_balance=None if dif is None else dif.hours + dif_moved,
        dif_used=-dif_moved if dif is not None else 0,
        dif_movements=dif_movements,
        first_credit_month_text=next_credit_month_text(today),
    )
