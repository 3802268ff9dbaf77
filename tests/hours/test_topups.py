"""Top-ups on the ledger: outside the 120 h step and the ceilings (L6323-4 II); a training
uses the top-up hours granted before it first, a cancelled one gives them back."""

import pytest

from hours import services
from hours.models import LedgerEntry, LedgerKind

pytestmark = pytest.mark.django_db


def ledger(nir):
    credits = LedgerEntry.objects.filter(nir=nir, kind=LedgerKind.CREDIT_ANNUEL)
    return list(credits.order_by("year").values_list("year", "hours"))


def reprise(nir, hours):
    """Hours that count toward the step and the ceiling (a correction, unlike a top-up)."""
    services.add_movement(nir, LedgerKind.CORRECTION, hours, "Reprise d'heures", None)


def test_an_outstanding_top_up_leaves_the_step_where_it_was(nir_factory, row):
    nir = nir_factory()
    reprise(nir, 110)
    services.add_movement(nir, LedgerKind.ABONDEMENT, 30, "Abondement de la Région", None)
    services.credit_declarations([row(nir, 2016)])
    # Counted: 110 h, so the year crosses the step (17 h), as without the top-up.
    assert ledger(nir) == [(2016, 17)]
    credit = LedgerEntry.objects.get(nir=nir, year=2016)
    assert credit.reasons == "full_time,threshold_crossed"
    assert "de 140 h à 157 h" in credit.label
    assert "hors abondements, de 110 h à 127 h" in credit.label


def test_top_ups_may_take_the_account_above_150(nir_factory, row):
    nir = nir_factory()
    reprise(nir, 140)
    services.add_movement(nir, LedgerKind.ABONDEMENT, 100, "Abondement correctif", None)
    services.credit_declarations([row(nir, 2016), row(nir, 2017)])
    assert ledger(nir) == [(2016, 10), (2017, 0)]  # the 150 h ceiling applies to 140 + 10
    assert services.cpf_balance(nir) == 250


def test_a_training_uses_the_top_up_first(nir_factory, row):
    nir = nir_factory()
    reprise(nir, 110)
    services.add_movement(nir, LedgerKind.ABONDEMENT, 30, "Abondement employeur", None)
    services.mobilise(nir, 20, 51, "DOS-51")  # 20 of the 30 top-up hours
    services.credit_declarations([row(nir, 2016)])
    # Counted: 120 - 10 outstanding = 110 h, so 17 h (counting the top-up: 12 h; using own
    # hours first: 24 h).
    assert ledger(nir) == [(2016, 17)]


def test_a_top_up_granted_after_a_training_stays_out_of_the_count(nir_factory, row):
    """Own hours paid for the training; the later top-up did not, so it stays outstanding
    (on the totals, "mobilisations use top-ups first" would count 120 h and give 12 h)."""
    nir = nir_factory()
    reprise(nir, 120)
    services.mobilise(nir, 30, 52, "DOS-52")
    services.add_movement(nir, LedgerKind.ABONDEMENT, 30, "Abondement de la Région", None)
    services.credit_declarations([row(nir, 2016)])
    assert ledger(nir) == [(2016, 24)]  # counted: 90 h
    assert services.cpf_balance(nir) == 144


def test_a_cancelled_training_gives_its_top_up_back(nir_factory, row):
    nir = nir_factory()
    reprise(nir, 110)
    services.add_movement(nir, LedgerKind.ABONDEMENT, 30, "Abondement employeur", None)
    services.mobilise(nir, 30, 53, "DOS-53")
    services.recredit(nir, 53, "DOS-53")
    services.credit_declarations([row(nir, 2016)])
    assert ledger(nir) == [(2016, 17)]  # counted: 110 h, the 30 h top-up outstanding again
