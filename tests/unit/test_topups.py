"""Top-ups and the accrual (hours.accrual): outside the 120 h step and the ceilings
(Code du travail L6323-4 II, 2014 version), the portal's reading."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hours import accrual
from hours.accrual import Declaration, compute_credits

hours_worked = st.one_of(
    st.integers(0, 2500),
    st.decimals(min_value=0, max_value=2500, places=2, allow_nan=False, allow_infinity=False),
)
declarations = st.lists(
    st.builds(
        Declaration,
        year=st.integers(2015, 2018),
        hours_worked=hours_worked,
        reference_hours=st.one_of(st.none(), st.integers(1200, 1820)),
        low_qualified=st.booleans(),
    ),
    max_size=8,
)
balances = st.integers(0, 450)


@pytest.mark.parametrize(
    ("movements", "outstanding"),
    [
        ([], 0),
        ([30], 30),
        ([30, 20], 50),
        ([30, -20], 10),  # the training used 20 top-up hours
        ([30, -30], 0),
        ([30, -40], 0),  # 30 top-up hours, then 10 of the titulaire's own
        ([-20, 30], 30),  # granted after a training paid with own hours: all outstanding
        ([30, -40, 25], 25),
        ([30, -20, 10, -25], 0),
        ([30, -20, 10, -5], 15),
    ],
)
def test_outstanding_topups(movements, outstanding):
    assert accrual.outstanding_topups(movements) == outstanding


@pytest.mark.parametrize(
    ("balance", "outstanding", "base"),
    [(0, 0, 0), (140, 0, 140), (140, 100, 40), (100, 100, 0), (10, 30, 0)],
)
def test_accrual_base(balance, outstanding, base):
    assert accrual.accrual_base(balance, outstanding) == base


@pytest.mark.parametrize(
    ("balance", "topups", "credited", "reasons"),
    [
        (140, 0, 10, ("full_time", "above_step", "ceiling_reached")),
        (140, 100, 24, ("full_time",)),  # counts 40 h: the full rate
        (140, 30, 17, ("full_time", "threshold_crossed")),  # counts 110 h
        (250, 100, 0, ("full_time", "above_step", "ceiling_reached")),  # counts 150 h
    ],
)
def test_top_ups_do_not_count_toward_the_step_or_the_ceiling(balance, topups, credited, reasons):
    (credit,) = compute_credits([Declaration(2016, 1607)], balance=balance, topups=topups)
    assert (credit.hours_credited, credit.reasons) == (credited, reasons)
    assert (credit.balance_before, credit.balance_after) == (balance, balance + credited)
    assert credit.counted_before == balance - topups
    assert credit.counted_after == balance - topups + credited


def test_explain_names_the_top_ups_left_out():
    (credit,) = compute_credits([Declaration(2016, 1607)], balance=140, topups=100)
    text = accrual.explain(credit)
    assert "24 heures créditées : le compte passe de 140 h à 164 h." in text
    assert text.endswith("hors abondements, de 40 h à 64 h.")


# --- Properties ---------------------------------------------------------------------------


@given(declarations=declarations, balance=balances, topups=st.integers(0, 300))
def test_with_top_ups_the_counted_hours_never_pass_a_ceiling(declarations, balance, topups):
    for credit in compute_credits(declarations, balance=balance + topups, topups=topups):
        ceiling = 400 if "low_qualified" in credit.reasons else 150
        assert credit.counted_after <= max(credit.counted_before, ceiling)
        assert credit.balance_after - credit.counted_after == topups  # top-ups ride along


# Ledger-like histories for the top-up properties: own hours (annual credits, corrections),
# then signed top-up movements (+ top-up, - standing mobilisation) in date order.
topup_movements = st.lists(st.one_of(st.integers(1, 100), st.integers(-100, -1)), max_size=8)


def position(own, movements):
    """(balance, outstanding top-ups) of a history, or None if the balance went negative."""
    balance = own + sum(movements)
    if balance < 0:
        return None
    return balance, accrual.outstanding_topups(movements)


def next_year_credit(own, movements, year_declarations):
    balance, outstanding = position(own, movements)
    return compute_credits(year_declarations, balance=balance, topups=outstanding)[0]


next_year = st.lists(
    st.builds(Declaration, year=st.just(2018), hours_worked=hours_worked), min_size=1, max_size=3
)


@given(own=balances, movements=topup_movements)
def test_outstanding_top_ups_and_base_bounds(own, movements):
    if position(own, movements) is None:
        return
    balance, outstanding = position(own, movements)
    top_ups = sum(h for h in movements if h > 0)
    used = -sum(h for h in movements if h < 0)
    assert 0 <= outstanding <= top_ups
    # Never less favourable than "mobilisations use top-ups first" on the totals; the same
    # when every top-up came before the trainings.
    assert outstanding >= max(0, top_ups - used)
    if movements == sorted(movements, reverse=True):
        assert outstanding == max(0, top_ups - used)
    assert 0 <= accrual.accrual_base(balance, outstanding) <= balance


@given(own=balances, movements=topup_movements, top_up=st.integers(1, 200), year=next_year)
def test_a_top_up_never_changes_what_the_next_year_earns(own, movements, top_up, year):
    if position(own, movements) is None:
        return
    without = next_year_credit(own, movements, year)
    with_top_up = next_year_credit(own, [*movements, top_up], year)
    assert with_top_up.hours_credited == without.hours_credited
    assert with_top_up.reasons == without.reasons


@given(
    own=balances,
    movements=topup_movements,
    top_up=st.integers(1, 200),
    at=st.integers(0, 8),
    year=next_year,
)
def test_a_top_up_granted_at_any_time_never_lowers_the_hours_held(own, movements, top_up, at, year):
    """Granted before a training, a top-up pays for it and the own hours stay counted; the
    account after the next year's credit still never holds fewer hours than without it."""
    if position(own, movements) is None:
        return
    at %= len(movements) + 1
    more = [*movements[:at], top_up, *movements[at:]]
    without = next_year_credit(own, movements, year)
    with_top_up = next_year_credit(own, more, year)
    assert with_top_up.balance_after >= without.balance_after
    assert with_top_up.counted_before >= without.counted_before
