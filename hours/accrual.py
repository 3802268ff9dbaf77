"""CPF accrual in hours, 2015-2018 rules. Pure functions, no Django, no floats.

Rules (Code du travail, 2014-2018 versions; docs/RULES.md, « Les heures CPF »):
- A full-time year earns 24 h while the account holds less than 120 h, then 12 h a year; the
  account never goes above 150 h through accrual (L6323-11).
- Less than full time: prorata = min(1, hours worked / reference duration), the reference being
  the collective agreement's full-time duration, else 1 607 h. The year's entitlement is
  rounded UP to the next whole hour, year by year (R6323-1).
- From 2017, an employee without a level V qualification earns 48 h a year (prorated), ceiling
  400 h, with no 120 h step (L6323-11-1). A pre-2017 year follows the standard rule even if the
  flag is set.
- Years worked 2015 to 2018 only: the CPF started on 1 January 2015 and its hours were
  converted to euros on 1 January 2019 (see last_accepted_year; the import enforces it).
- Several employers in one year: their shares of a full time are added, capped at one full
  year, and the year is credited once (combine).

Crossing the 120 h step within a year (the portal's reading): the part of the year needed to
reach 120 h is earned at 24 h a year, the rest of that year at 12 h a year. With f the prorata
and b the hours counted before the year (the accrual base, below): if b + 24 f <= 120 the year
gives 24 f; otherwise the share of the year used to reach 120 h is t = (120 - b) / 24 and the
year gives (120 - b) + 12 (f - t).
Example: b = 110, full year: 10 h at the 24 h rate use 10/24 of the year, the remaining 14/24
earn 7 h, so 17 h (total 127 h). The result is then rounded up, then capped at the ceiling.
A year that starts at 120 h or more earns 12 h a year (reason ABOVE_STEP).

Top-ups (the portal's reading of L6323-4 II, 2014 version: the complementary hours "n'entrent
pas en compte dans les modes de calcul des heures qui sont créditées sur le compte du salarié
chaque année et du plafond"): the step and the ceilings apply to the accrual base, the balance
minus the top-up hours not yet used (accrual_base). A top-up funds a specific training, so a
mobilisation uses the top-up hours granted before it first (outstanding_topups); a dossier
cancelled and re-credited counts as never mobilised. Top-up hours therefore never bring the
step or a ceiling closer, and the account may hold more than 150 h through them.

The step and the ceilings apply to hours held in the account: `balance` is what it holds when
the computation starts (hours already mobilised for a training are not in it), of which the
outstanding top-ups are left out. DIF hours are kept apart and never count here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from cpf_portal.numbers import french_number

FULL_TIME_REFERENCE_HOURS = 1607
FULL_RATE = 24
REDUCED_RATE = 12
STEP = 120
CEILING = 150
LOW_QUALIFIED_RATE = 48
LOW_QUALIFIED_CEILING = 400
LOW_QUALIFIED_FROM_YEAR = 2017
FIRST_YEAR_WORKED = 2015  # the CPF started on 1 January 2015
LAST_YEAR_WORKED = 2018  # hours were converted to euros on 1 January 2019

# Reason codes, in the order explain() lists them.
FULL_TIME = "full_time"
PART_TIME = "part_time"
THRESHOLD_CROSSED = "threshold_crossed"
ABOVE_STEP = "above_step"
CEILING_REACHED = "ceiling_reached"
LOW_QUALIFIED = "low_qualified"

REASON_LABELS = {
    FULL_TIME: "année complète à temps plein",
    PART_TIME: "activité inférieure à un temps plein : droits calculés au prorata",
    THRESHOLD_CROSSED: "palier de 120 h franchi : 24 h par an jusqu'à 120 h, puis 12 h par an",
    ABOVE_STEP: "le compte détient déjà 120 h ou plus : 12 h par an",
    CEILING_REACHED: "plafond atteint",
    LOW_QUALIFIED: "salarié sans qualification de niveau V : 48 h par an, plafond de 400 h",
}


@dataclass(frozen=True)
class Declaration:
    """One employer's annual declaration (DADS/DSN) for a year. Several declarations for the
    same year (several employers) are added together."""

    year: int
    hours_worked: Decimal | int
    reference_hours: int | None = None  # None: the legal 1 607 h
    low_qualified: bool = False

    def __post_init__(self):
        if Fraction(self.hours_worked) < 0:
            raise ValueError("hours_worked must be >= 0")
        if self.reference_hours is not None and self.reference_hours <= 0:
            raise ValueError("reference_hours must be > 0")

    @property
    def reference(self) -> int:
        return self.reference_hours or FULL_TIME_REFERENCE_HOURS

    @property
    def share(self) -> Fraction:
        """Hours worked / reference, not capped (capping happens once per year)."""
        return Fraction(self.hours_worked) / self.reference


@dataclass(frozen=True)
class YearCredit:
    year: int
    hours_worked: Decimal | int
    reference_hours: int | None  # None when employers with different references were combined
    prorata: Fraction
    hours_credited: int
    reasons: tuple[str, ...]
    balance_before: int
    balance_after: int  # cumulative total held after this year's credit
    # The accrual base (balance minus outstanding top-ups) the step and ceilings applied to.
    counted_before: int
    counted_after: int

    @property
    def total(self) -> int:
        return self.balance_after


def prorata(hours_worked: Decimal | int, reference_hours: int | None = None) -> Fraction:
    """min(1, hours worked / reference), exact."""
    reference = reference_hours or FULL_TIME_REFERENCE_HOURS
    return min(Fraction(1), Fraction(hours_worked) / reference)


def is_low_qualified_year(low_qualified: bool, year: int) -> bool:
    return bool(low_qualified) and year >= LOW_QUALIFIED_FROM_YEAR


def last_accepted_year(today: date) -> int:
    """The last year worked a declaration may be credited for: an ended year, 2018 at most.
    Below FIRST_YEAR_WORKED when no year has ended yet (in 2015)."""
    return min(LAST_YEAR_WORKED, today.year - 1)


def outstanding_topups(movements: Iterable[int]) -> int:
    """Top-up hours not yet used by a training.

    `movements` in date order: a top-up as +hours, a mobilisation still standing (not
    re-credited) as -hours; every other movement left out. A mobilisation uses the top-up
    hours granted before it first, the titulaire's own hours for the rest, so a top-up
    granted later stays outstanding (it cannot have funded an earlier training). On totals
    alone (top-ups minus net mobilisations) such a late top-up would count and could bring
    the step closer; the result equals the totals' whenever top-ups precede the trainings."""
    pool = 0
    for hours in movements:
        pool = pool + hours if hours > 0 else max(0, pool + hours)
    return pool


def accrual_base(balance: int, outstanding: int) -> int:
    """The hours that count toward the 120 h step and the ceilings: the top-up hours still
    outstanding are left out (L6323-4 II)."""
    return max(0, balance - outstanding)


def credit_for_year(
    balance: int, prorata: Fraction, low_qualified: bool, year: int
) -> tuple[int, tuple[str, ...]]:
    """Hours credited for one year given the hours counted before it (the accrual base), and
    the reason codes."""
    f = min(Fraction(1), Fraction(prorata))
    if f < 0:
        raise ValueError("prorata must be >= 0")
    reasons = [FULL_TIME if f == 1 else PART_TIME]
    if is_low_qualified_year(low_qualified, year):
        reasons.append(LOW_QUALIFIED)
        ceiling = LOW_QUALIFIED_CEILING
        raw = LOW_QUALIFIED_RATE * f
    else:
        ceiling = CEILING
        if balance >= STEP:
            raw = REDUCED_RATE * f
            reasons.append(ABOVE_STEP)
        elif balance + FULL_RATE * f <= STEP:
            raw = FULL_RATE * f
        else:
            to_step = STEP - balance
            used = Fraction(to_step, FULL_RATE)  # share of the year needed to reach 120 h
            raw = to_step + REDUCED_RATE * (f - used)
            reasons.append(THRESHOLD_CROSSED)
    hours = math.ceil(raw)  # R6323-1: a fraction of an hour counts as a whole hour
    room = max(0, ceiling - balance)
    if hours > room or (room == 0 and f > 0):
        hours = min(hours, room)
        reasons.append(CEILING_REACHED)
    return hours, tuple(reasons)


def combine(items: list[Declaration]) -> tuple[Decimal | int, int | None, Fraction, bool]:
    """One year's declarations (one per employer): hours worked added, the reference when they
    share one (else None), shares added and capped at one full year, low qualified if any."""
    worked = sum((item.hours_worked for item in items), start=0)
    references = {item.reference for item in items}
    reference = references.pop() if len(references) == 1 else None
    share = min(Fraction(1), sum((item.share for item in items), start=Fraction(0)))
    return worked, reference, share, any(item.low_qualified for item in items)


def compute_credits(
    declarations: Iterable[Declaration], *, balance: int = 0, topups: int = 0
) -> list[YearCredit]:
    """Credit the years in chronological order (whatever the input order), starting from the
    hours the account holds (`balance`), of which `topups` are outstanding top-up hours that
    do not count (outstanding_topups). Returns one YearCredit per year."""
    by_year: dict[int, list[Declaration]] = {}
    for declaration in declarations:
        by_year.setdefault(declaration.year, []).append(declaration)
    counted = accrual_base(balance, topups)
    credits = []
    for year in sorted(by_year):
        worked, reference, share, low_qualified = combine(by_year[year])
        hours, reasons = credit_for_year(counted, share, low_qualified, year)
        credits.append(
            YearCredit(
                year=year,
                hours_worked=worked,
                reference_hours=reference,
                prorata=share,
                hours_credited=hours,
                reasons=reasons,
                balance_before=balance,
                balance_after=balance + hours,
                counted_before=counted,
                counted_after=counted + hours,
            )
        )
        balance += hours
        counted += hours
    return credits


def total_credited(credits: Iterable[YearCredit]) -> int:
    return sum(credit.hours_credited for credit in credits)


def explain(credit: YearCredit) -> str:
    """A plain French sentence explaining one year's credit."""
    reference = (
        f"{french_number(credit.reference_hours)} h de référence"
        if credit.reference_hours
        else "la durée de référence de chaque employeur"
    )
    percent = french_number(round(credit.prorata * 100, 1))
    share = "" if credit.prorata == 1 else f" ({percent} % d'un temps plein)"
    parts = [
        f"{credit.year} : {french_number(credit.hours_worked)} h travaillées pour {reference}"
        + share
        + "."
    ]
    details = []
    for code in credit.reasons:
        if code == CEILING_REACHED:
            ceiling = LOW_QUALIFIED_CEILING if LOW_QUALIFIED in credit.reasons else CEILING
            details.append(f"plafond de {ceiling} h atteint")
        else:
            details.append(REASON_LABELS[code])
    sentence = " ; ".join(details)
    parts.append(sentence[:1].upper() + sentence[1:] + ".")
    unit = "heure créditée" if credit.hours_credited <= 1 else "heures créditées"
    parts.append(
        f"{credit.hours_credited} {unit} : le compte passe de "
        f"{credit.balance_before} h à {credit.balance_after} h."
    )
    if credit.counted_before != credit.balance_before:
        parts.append(
            "Les heures d'abondement ne comptent pas dans ce calcul : hors abondements, de "
            f"{credit.counted_before} h à {credit.counted_after} h."
        )
    return " ".join(parts)
