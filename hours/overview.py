"""What "Mon compte d'heures" shows, read from the ledger (no writes)."""

from __future__ import annotations

from dataclasses import dataclass

from accounts import nir as nir_rules
from cpf_portal.numbers import french_number
from hours import accrual
from hours.dif import dif_declaration, dif_used
from hours.models import DifMovement, EmployerDeclaration, LedgerEntry, LedgerKind


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

    @property
    def dossier_rows(self) -> list[DossierMovement]:
        """CPF and DIF movements of the dossiers, in date order."""
        rows = [
            DossierMovement(e.created_at, e.dossier_ref, e.get_kind_display(), e.hours, None)
            for e in self.dossier_movements
        ] + [
            DossierMovement(m.created_at, m.dossier_ref, m.get_kind_display(), None, m.hours)
            for m in self.dif_movements
        ]
        return sorted(rows, key=lambda row: (row.created_at, row.dossier_ref))

    def dossier_rows_for(self, hidden_refs: set[str]):
        """The rows a viewer may see, and the net (CPF, DIF) hours of the hidden dossiers'
        rows, or None. A delegate sees confidential dossiers as one total, without dates or
        count, so that the balance still adds up (hidden_refs: their references)."""
        rows = self.dossier_rows
        hidden = [row for row in rows if row.dossier_ref in hidden_refs]
        visible = [row for row in rows if row.dossier_ref not in hidden_refs]
        total = (
            sum(row.cpf_hours or 0 for row in hidden),
            sum(row.dif_hours or 0 for row in hidden),
        )
        return visible, (total if any(total) else None)

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


def hours_overview(nir: str) -> Overview:
    nir = nir_rules.normalize_nir(nir)
    entries = list(LedgerEntry.objects.for_nir(nir))
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
    dif_movements = list(DifMovement.objects.for_nir(nir))
    return Overview(
        years=years,
        top_ups=[e for e in entries if e.kind in (LedgerKind.ABONDEMENT, LedgerKind.CORRECTION)],
        dossier_movements=[
            e for e in entries if e.kind in (LedgerKind.MOBILISATION, LedgerKind.RECREDIT)
        ],
        cpf_balance=sum(e.hours for e in entries),
        dif=dif,
        dif_balance=None if dif is None else dif.hours + sum(m.hours for m in dif_movements),
        dif_used=dif_used(nir) if dif is not None else 0,
        dif_movements=dif_movements,
    )
