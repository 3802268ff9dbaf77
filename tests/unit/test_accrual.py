"""CPF accrual 2015-2018 (hours.accrual)."""

import itertools
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hours import accrual
from hours.accrual import Declaration, compute_credits, credit_for_year

ABOVE_CEILING = ("above_step", "ceiling_reached")


def one_year(hours, *, balance=0, year=2016, reference=None, low_qualified=False):
    (credit,) = compute_credits(
        [Declaration(year, hours, reference, low_qualified)], balance=balance
    )
    return credit


def test_constants():
    assert accrual.FULL_TIME_REFERENCE_HOURS == 1607
    assert (accrual.STEP, accrual.CEILING, accrual.LOW_QUALIFIED_CEILING) == (120, 150, 400)


@pytest.mark.parametrize(
    ("hours", "balance", "year", "low_qualified", "credited", "total", "reasons"),
    [
        (1607, 0, 2016, False, 24, 24, ("full_time",)),
        (2000, 0, 2016, False, 24, 24, ("full_time",)),  # overtime: prorata capped at 1
        (Decimal("803.5"), 0, 2016, False, 12, 12, ("part_time",)),  # half time
        (1000, 0, 2016, False, 15, 15, ("part_time",)),  # 24 x 1000 / 1607 = 14.93 -> 15
        (1, 0, 2016, False, 1, 1, ("part_time",)),  # any fraction rounds up
        (0, 0, 2016, False, 0, 0, ("part_time",)),
        (1607, 96, 2016, False, 24, 120, ("full_time",)),  # lands exactly on the step
        # 10 h at the 24 h rate use 10/24 of the year; 14/24 of a year at 12 h = 7 h.
        (1607, 110, 2016, False, 17, 127, ("full_time", "threshold_crossed")),
        # 1 h to the step (1/24 of a year), then 11/24 of a year at 12 h = 5.5 h -> 6.5 -> 7.
        (Decimal("803.5"), 119, 2016, False, 7, 126, ("part_time", "threshold_crossed")),
        # From 120 h: 12 h a year, and the reason says so.
        (1607, 120, 2016, False, 12, 132, ("full_time", "above_step")),
        (1607, 138, 2016, False, 12, 150, ("full_time", "above_step")),
        (Decimal("803.5"), 120, 2016, False, 6, 126, ("part_time", "above_step")),
        (1000, 130, 2016, False, 8, 138, ("part_time", "above_step")),  # 7.47 -> 8
        (1607, 144, 2016, False, 6, 150, ("full_time", "above_step", "ceiling_reached")),
        (1607, 150, 2016, False, 0, 150, ("full_time", "above_step", "ceiling_reached")),
        # Never removes hours.
        (1607, 160, 2016, False, 0, 160, ("full_time", "above_step", "ceiling_reached")),
        (Decimal("803.5"), 149, 2016, False, 1, 150, ("part_time", *ABOVE_CEILING)),
        # Low qualified, from 2017: 48 h a year, ceiling 400 h, no step at 120 h.
        (1607, 0, 2017, True, 48, 48, ("full_time", "low_qualified")),
        (1607, 120, 2018, True, 48, 168, ("full_time", "low_qualified")),  # no step
        (Decimal("803.5"), 0, 2017, True, 24, 24, ("part_time", "low_qualified")),
        (1000, 0, 2017, True, 30, 30, ("part_time", "low_qualified")),  # 29.87 -> 30
        (1607, 390, 2017, True, 10, 400, ("full_time", "low_qualified", "ceiling_reached")),
        (1607, 400, 2018, True, 0, 400, ("full_time", "low_qualified", "ceiling_reached")),
        # Before 2017 the flag changes nothing.
        (1607, 0, 2016, True, 24, 24, ("full_time",)),
        (1607, 144, 2015, True, 6, 150, ("full_time", "above_step", "ceiling_reached")),
    ],
)
def test_one_year(hours, balance, year, low_qualified, credited, total, reasons):
    credit = one_year(hours, balance=balance, year=year, low_qualified=low_qualified)
    assert credit.hours_credited == credited
    assert credit.balance_after == credit.total == total
    assert credit.balance_before == balance
    assert credit.reasons == reasons


def test_collective_agreement_reference():
    # 1 500 h worked where full time is 1 500 h: a full year.
    assert one_year(1500, reference=1500).hours_credited == 24
    # 1 000 h of 1 820 h: 24 x 1000 / 1820 = 13.19 -> 14.
    credit = one_year(1000, reference=1820)
    assert (credit.hours_credited, credit.prorata, credit.reference_hours) == (
        14,
        Fraction(1000, 1820),
        1820,
    )
    assert one_year(1000).reference_hours == 1607


def test_credit_for_year_direct():
    assert credit_for_year(110, Fraction(1), False, 2016) == (
        17,
        ("full_time", "threshold_crossed"),
    )
    assert credit_for_year(0, Fraction(1, 2), True, 2017) == (24, ("part_time", "low_qualified"))
    assert credit_for_year(0, Fraction(3, 2), False, 2016) == (24, ("full_time",))
    assert credit_for_year(120, Fraction(1), False, 2016) == (12, ("full_time", "above_step"))
    with pytest.raises(ValueError):
        credit_for_year(0, Fraction(-1), False, 2016)


def test_prorata():
    assert accrual.prorata(1000) == Fraction(1000, 1607)
    assert accrual.prorata(2000) == 1
    assert accrual.prorata(Decimal("803.5")) == Fraction(1, 2)
    assert accrual.prorata(750, 1500) == Fraction(1, 2)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (lambda: Declaration(2016, -1), "hours_worked must be >= 0"),
        (lambda: Declaration(2016, Decimal("-0.01")), "hours_worked must be >= 0"),
        (lambda: Declaration(2016, 100, reference_hours=0), "reference_hours must be > 0"),
        (lambda: Declaration(2016, 100, reference_hours=-1607), "reference_hours must be > 0"),
    ],
)
def test_invalid_declarations(bad, message):
    with pytest.raises(ValueError, match=f"^{message}$"):
        bad()


FIVE_DECLARATIONS = [
    Declaration(2015, 1607),  # 24 -> 24
    Declaration(2016, 1000),  # 14.93 -> 15 -> 39
    Declaration(2017, 500),  # two employers in 2017: 803.5 h, half time: 12 -> 51
    Declaration(2017, Decimal("303.5")),
    Declaration(2018, 1600, reference_hours=1500),  # capped at full time: 24 -> 75
]


def test_five_declarations_in_any_order():
    expected = [(2015, 24, 24), (2016, 15, 39), (2017, 12, 51), (2018, 24, 75)]
    for order in itertools.permutations(FIVE_DECLARATIONS):
        credits = compute_credits(order)
        assert [(c.year, c.hours_credited, c.balance_after) for c in credits] == expected
    assert accrual.total_credited(compute_credits(FIVE_DECLARATIONS)) == 75


def test_full_time_years_from_102_h_cross_the_step_then_reach_the_ceiling():
    # 18 h to the step use 18/24 of 2015, the last 6/24 earn 3 h: 21 h, then 12 h a year.
    credits = compute_credits([Declaration(year, 1607) for year in range(2015, 2019)], balance=102)
    assert [(c.hours_credited, c.balance_after) for c in credits] == [
        (21, 123),
        (12, 135),
        (12, 147),
        (3, 150),
    ]
    assert [c.reasons[1:] for c in credits] == [
        ("threshold_crossed",),
        ("above_step",),
        ("above_step",),
        ("above_step", "ceiling_reached"),
    ]


@pytest.mark.parametrize(
    ("today", "last"),
    [
        (date(2015, 6, 1), 2014),  # no year ended yet: nothing can be credited
        (date(2016, 1, 1), 2015),
        (date(2017, 12, 31), 2016),  # 2017 not ended
        (date(2019, 1, 1), 2018),
        (date(2026, 12, 1), 2018),  # hours became euros on 1 January 2019
    ],
)
def test_last_accepted_year(today, last):
    assert accrual.last_accepted_year(today) == last
    assert (accrual.FIRST_YEAR_WORKED, accrual.LAST_YEAR_WORKED) == (2015, 2018)


def test_several_employers_in_a_year_are_added():
    credits = compute_credits(
        [Declaration(2016, 500), Declaration(2015, 1607), Declaration(2016, Decimal("303.5"))]
    )
    assert [(c.year, c.hours_credited) for c in credits] == [(2015, 24), (2016, 12)]
    assert credits[1].hours_worked == Decimal("803.5")
    assert credits[1].prorata == Fraction(1, 2)
    # Different references: shares are added, capped at a full year.
    (mixed,) = compute_credits(
        [Declaration(2016, 750, reference_hours=1500), Declaration(2016, 1000)]
    )
    assert mixed.reference_hours is None
    assert mixed.prorata == 1 and mixed.hours_credited == 24


def test_explain_in_french():
    text = accrual.explain(one_year(1607, balance=110, year=2016))
    assert text.startswith("2016 : 1\u202f607 h travaillées")
    assert "palier de 120 h franchi" in text
    assert "17 heures créditées" in text and "de 110 h à 127 h" in text
    text = accrual.explain(one_year(1000))
    assert "62,2 % d'un temps plein" in text and "prorata" in text
    text = accrual.explain(one_year(1607, balance=390, year=2017, low_qualified=True))
    assert "plafond de 400 h atteint" in text and "niveau V" in text
    assert "plafond de 150 h atteint" in accrual.explain(one_year(1607, balance=150))
    assert "803,5 h" in accrual.explain(one_year(Decimal("803.5")))
    assert "1 heure créditée" in accrual.explain(one_year(1))
    assert accrual.explain(one_year(1607, balance=120)) == (
        "2016 : 1\u202f607 h travaillées pour 1\u202f607 h de référence. Année complète à temps "
        "plein ; le compte détient déjà 120 h ou plus : 12 h par an. 12 heures créditées : le "
        "compte passe de 120 h à 132 h."
    )
    assert "abondement" not in accrual.explain(one_year(1607, balance=120))


# --- Boundaries (hand-computed; the oracles are the rules, not the module) -------------------


@pytest.mark.parametrize(
    ("balance", "prorata", "low_qualified", "year", "credited", "reasons"),
    [
        # A part-time year that starts between 96 and 120 h. Half time earns 12 h below the
        # step: from 108 h it lands on 120 h exactly, from 109 h it crosses it.
        (100, Fraction(1, 2), False, 2016, 12, ("part_time",)),
        (108, Fraction(1, 2), False, 2016, 12, ("part_time",)),
        # 11 h at 24 h a year use 11/24 of the year; the last 1/24 at 12 h = 0.5 h: 11.5 -> 12.
        (109, Fraction(1, 2), False, 2016, 12, ("part_time", "threshold_crossed")),
        # 10 h use 10/24; 2/24 of a year at 12 h = 1 h: 11 h exactly, no rounding.
        (110, Fraction(1, 2), False, 2016, 11, ("part_time", "threshold_crossed")),
        # Full time from 97 h: 23 h use 23/24; 1/24 at 12 h = 0.5 h: 23.5 -> 24.
        (97, Fraction(1), False, 2016, 24, ("full_time", "threshold_crossed")),
        (96, Fraction(1), False, 2016, 24, ("full_time",)),
        (119, Fraction(1, 100), False, 2016, 1, ("part_time",)),  # 0.24 h -> 1, not past 120
        # Exactly 1 h of room under a ceiling: 1 h earned fits, the ceiling is not reached.
        (149, Fraction(1, 100), False, 2016, 1, ("part_time", "above_step")),  # 0.12 -> 1
        (149, Fraction(1), False, 2016, 1, ("full_time", "above_step", "ceiling_reached")),
        (399, Fraction(1, 100), True, 2017, 1, ("part_time", "low_qualified")),  # 0.48 -> 1
        (399, Fraction(1), True, 2017, 1, ("full_time", "low_qualified", "ceiling_reached")),
        (148, Fraction(1, 100), False, 2016, 1, ("part_time", "above_step")),
        # 0 h worked at (or above) the ceiling: nothing earned, nothing capped.
        (150, Fraction(0), False, 2016, 0, ("part_time", "above_step")),
        (160, Fraction(0), False, 2016, 0, ("part_time", "above_step")),
        (400, Fraction(0), True, 2018, 0, ("part_time", "low_qualified")),
        (0, Fraction(0), False, 2016, 0, ("part_time",)),
        # Any work at the ceiling: capped.
        (150, Fraction(1, 1607), False, 2016, 0, ("part_time", "above_step", "ceiling_reached")),
        (400, Fraction(1, 1607), True, 2017, 0, ("part_time", "low_qualified", "ceiling_reached")),
        # 2016 with the flag: the standard ceiling of 150 h.
        (149, Fraction(1), True, 2016, 1, ("full_time", "above_step", "ceiling_reached")),
    ],
)
def test_credit_for_year_boundaries(balance, prorata, low_qualified, year, credited, reasons):
    assert credit_for_year(balance, prorata, low_qualified, year) == (credited, reasons)


def test_a_negative_prorata_is_a_programming_error():
    with pytest.raises(ValueError, match="^prorata must be >= 0$"):
        credit_for_year(0, Fraction(-1, 1607), False, 2016)


@pytest.mark.parametrize(
    ("low_qualified", "year", "ceiling"),
    [
        (False, 2018, 150),
        (True, 2015, 150),
        (True, 2016, 150),
        (True, 2017, 400),
        (True, 2018, 400),
    ],
)
def test_the_ceiling_of_a_year(low_qualified, year, ceiling):
    """The ceiling credit_for_year applies (ceiling_for, removed: only this test read it)."""
    assert credit_for_year(ceiling - 1, 1, low_qualified, year)[0] == 1
    hours, reasons = credit_for_year(ceiling, 1, low_qualified, year)
    assert hours == 0 and "ceiling_reached" in reasons


def test_a_reference_of_one_hour_is_accepted():
    assert Declaration(2016, 1, reference_hours=1).share == 1
    assert Declaration(2016, 0).share == 0


def test_explain_spells_out_every_case():
    # Thousands and decimals in the same number.
    assert accrual.explain(one_year(Decimal("1607.5"), reference=1820)).startswith(
        "2016 : 1\u202f607,5 h travaillées pour 1\u202f820 h de référence "
        "(88,3 % d'un temps plein)."
    )
    # 80.35 h is 5 % of a full time: 1.2 h -> 2 h, plural.
    assert "2 heures créditées : le compte passe de 0 h à 2 h." in accrual.explain(
        one_year(Decimal("80.35"))
    )
    assert "0 heure créditée" in accrual.explain(one_year(0))
    # Employers with different references: no single reference to name.
    (mixed,) = compute_credits(
        [Declaration(2016, 300, reference_hours=1500), Declaration(2016, 500)]
    )
    assert accrual.explain(mixed).startswith(
        "2016 : 800 h travaillées pour la durée de référence de chaque employeur ("
    )
    # Outstanding top-ups are left out of the count, and the sentence says so.
    (credit,) = compute_credits([Declaration(2016, 1607)], balance=50, topups=30)
    assert accrual.explain(credit).endswith(
        "24 heures créditées : le compte passe de 50 h à 74 h. Les heures d'abondement ne "
        "comptent pas dans ce calcul : hors abondements, de 20 h à 44 h."
    )


# --- Properties ---------------------------------------------------------------------------

hours_worked = st.one_of(
    st.integers(0, 2500),
    st.decimals(min_value=0, max_value=2500, places=2, allow_nan=False, allow_infinity=False),
)
declaration = st.builds(
    Declaration,
    year=st.integers(2015, 2018),
    hours_worked=hours_worked,
    reference_hours=st.one_of(st.none(), st.integers(1200, 1820)),
    low_qualified=st.booleans(),
)
declarations = st.lists(declaration, max_size=8)
balances = st.integers(0, 450)


@given(declarations=declarations, balance=balances)
def test_never_above_the_ceiling(declarations, balance):
    for credit in compute_credits(declarations, balance=balance):
        # The ceiling from the declarations themselves (L6323-11 and L6323-11-1): 400 h for a
        # year from 2017 declared by a low-qualified employee, 150 h otherwise.
        low_qualified = credit.year >= 2017 and any(
            d.low_qualified for d in declarations if d.year == credit.year
        )
        ceiling = 400 if low_qualified else 150
        assert ("low_qualified" in credit.reasons) is low_qualified
        assert credit.hours_credited >= 0
        assert credit.balance_after <= max(credit.balance_before, ceiling)
        if credit.balance_before <= 150:
            assert credit.balance_after <= 400
        if not low_qualified and credit.balance_before <= 150:
            assert credit.balance_after <= 150


@given(declarations=st.lists(declaration.filter(lambda d: not d.low_qualified), max_size=10))
def test_standard_accounts_never_pass_150(declarations):
    credits = compute_credits(declarations)
    assert all(c.balance_after <= 150 for c in credits)


@given(declarations=declarations, balance=balances, index=st.integers(0, 7), extra=hours_worked)
def test_more_hours_never_earn_fewer(declarations, balance, index, extra):
    if not declarations:
        return
    index %= len(declarations)
    more = list(declarations)
    d = more[index]
    more[index] = Declaration(d.year, d.hours_worked + extra, d.reference_hours, d.low_qualified)
    before = accrual.total_credited(compute_credits(declarations, balance=balance))
    after = accrual.total_credited(compute_credits(more, balance=balance))
    assert after >= before


@given(declarations=declarations, balance=balances, more=st.integers(0, 100))
def test_higher_starting_balance_never_lowers_the_final_balance(declarations, balance, more):
    low = compute_credits(declarations, balance=balance)
    high = compute_credits(declarations, balance=balance + more)
    final_low = low[-1].balance_after if low else balance
    final_high = high[-1].balance_after if high else balance + more
    assert final_high >= final_low


@given(declarations=declarations, balance=balances, seed=st.randoms(use_true_random=False))
def test_order_independent(declarations, balance, seed):
    shuffled = list(declarations)
    seed.shuffle(shuffled)
    assert compute_credits(shuffled, balance=balance) == compute_credits(
        declarations, balance=balance
    )
    years = [c.year for c in compute_credits(declarations)]
    assert years == sorted(set(years))


@given(balance=st.integers(0, 160), f=st.fractions(0, 1), g=st.fractions(0, 1))
def test_credit_monotonic_in_prorata(balance, f, g):
    low, high = sorted([f, g])
    assert (
        credit_for_year(balance, low, False, 2016)[0]
        <= credit_for_year(balance, high, False, 2016)[0]
    )
    assert (
        credit_for_year(balance, low, True, 2017)[0]
        <= credit_for_year(balance, high, True, 2017)[0]
    )
