"""Hours services on the database: crediting, mobilisation, re-credit, DIF, summary."""

import random
from datetime import date

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.models import AuditEntry, Event
from hours import services
from hours.models import (
    DifMovement,
    EmployerDeclaration,
    HoursAccount,
    ImmutableRowError,
    LedgerEntry,
    LedgerKind,
)

pytestmark = pytest.mark.django_db


def ledger(nir):
    return list(
        LedgerEntry.objects.filter(nir=nir, kind=LedgerKind.CREDIT_ANNUEL)
        .order_by("year")
        .values_list("year", "hours")
    )


def test_hours_credited_before_signup_show_once_the_account_exists(
    nir_factory, row, make_titulaire
):
    nir = nir_factory()
    services.credit_declarations([row(nir, 2015), row(nir, 2016)])
    assert services.cpf_balance(nir) == 48
    titulaire = make_titulaire(nir=nir)
    summary = services.account_summary(titulaire)
    assert summary.cpf_balance == 48 and summary.has_cpf_credits


def reprise(nir, hours):
    """Hours that count toward the step and the ceiling (a correction, unlike a top-up)."""
    services.add_movement(nir, LedgerKind.CORRECTION, hours, "Reprise d'heures", None)


@pytest.mark.parametrize("years", [[2015, 2016, 2017, 2018], [2018, 2016, 2015, 2017]])
def test_years_are_credited_in_chronological_order_whatever_the_row_order(nir_factory, row, years):
    nir = nir_factory()
    reprise(nir, 90)
    services.credit_declarations([row(nir, year) for year in years])
    # 90 + 24 = 114; 2016 crosses the step: 6 h + 18/24 of a year at 12 h = 15 h -> 129;
    # then 12 h a year, ceiling 150: 141, 150.
    assert ledger(nir) == [(2015, 24), (2016, 15), (2017, 12), (2018, 9)]
    assert services.cpf_balance(nir) == 150


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    order=st.permutations(list(range(2015, 2019))),
    part_time=st.integers(0, 1607),
    start=st.integers(0, 150),
)
def test_order_never_changes_the_credits(nir_factory, row, order, part_time, start):
    first, second = nir_factory(), nir_factory()
    for nir in (first, second):
        if start:
            reprise(nir, start)
    services.credit_declarations([row(first, y, 2016 if y != 2017 else part_time) for y in order])
    services.credit_declarations(
        [row(second, y, 2016 if y != 2017 else part_time) for y in sorted(order)]
    )
    assert [h for _y, h in ledger(first)] == [h for _y, h in ledger(second)]
    assert services.cpf_balance(first) <= 150


def test_ceiling_uses_the_hours_currently_held(nir_factory, row):
    nir = nir_factory()
    reprise(nir, 140)
    services.credit_declarations([row(nir, 2016)])
    assert ledger(nir) == [(2016, 10)]  # 12 h a year above 120 h, capped at 150
    services.credit_declarations([row(nir, 2017)])
    assert ledger(nir) == [(2016, 10), (2017, 0)]
    assert "plafond de 150 h atteint" in LedgerEntry.objects.get(nir=nir, year=2017).label
    first = LedgerEntry.objects.get(nir=nir, year=2016)
    assert first.reasons == "full_time,above_step,ceiling_reached"


def test_years_outside_2015_2018_are_refused(nir_factory, row):
    nir = nir_factory()
    report = services.credit_declarations(
        [row(nir, 2016, line=2), row(nir, 2019, line=3), row(nir, 2014, line=4)]
    )
    assert [e.line for e in report.errors] == [3, 4]
    assert all("de 2015 à 2018" in str(e) for e in report.errors)
    assert not EmployerDeclaration.objects.exists() and services.cpf_balance(nir) == 0


# --- Several employers in one year ---------------------------------------------------------


def test_several_declarations_for_a_year_give_one_credit(nir_factory, row):
    nir = nir_factory()
    report = services.credit_declarations(
        [row(nir, 2016, worked=500, line=4), row(nir, 2016, worked="303.5", line=2)]
    )
    assert (report.declarations_created, report.hours_credited) == (2, 12)
    credit = LedgerEntry.objects.get(nir=nir, year=2016)
    assert credit.declaration.hours_worked == 303.5  # the first line of the year
    assert "803,5 h travaillées" in credit.label


def test_database_allows_one_annual_credit_per_nir_and_year(nir_factory, row):
    nir = nir_factory()
    services.credit_declarations([row(nir, 2016, worked=800), row(nir, 2016, worked=807)])
    second = EmployerDeclaration.objects.filter(nir=nir).order_by("pk").last()
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            nir=nir, kind=LedgerKind.CREDIT_ANNUEL, hours=1, year=2016, declaration=second
        )
    assert services.cpf_balance(nir) == 24


def test_part_time_is_rounded_up_and_explained(nir_factory, row):
    nir = nir_factory()
    services.credit_declarations([row(nir, 2016, worked="803.5")])
    entry = LedgerEntry.objects.get(nir=nir)
    assert entry.hours == 12
    assert "prorata" in entry.label


def test_low_qualified_from_2017(nir_factory, row):
    nir = nir_factory()
    services.credit_declarations([row(nir, 2016, low=True), row(nir, 2017, low=True)])
    assert ledger(nir) == [(2016, 24), (2017, 48)]


def test_reimport_same_values_is_a_no_op_and_other_values_an_error(nir_factory, row):
    nir = nir_factory()
    first = services.credit_declarations([row(nir, 2015)])
    again = services.credit_declarations([row(nir, 2015)])
    assert (first.declarations_created, again.declarations_created) == (1, 0)
    assert again.already_imported == 1 and again.ok
    other = services.credit_declarations([row(nir, 2016), row(nir, 2015, worked=800, line=3)])
    assert not other.ok
    assert "l'année 2015 déjà importées avec d'autres valeurs" in str(other.errors[0])
    assert other.errors[0].line == 3
    assert services.cpf_balance(nir) == 24  # 2016 was not credited either
    assert EmployerDeclaration.objects.filter(nir=nir).count() == 1


def test_ledger_rows_are_never_changed(nir_factory):
    nir = nir_factory()
    entry = services.add_movement(nir, LedgerKind.ABONDEMENT, 10, "Région", None)
    entry.hours = 100
    with pytest.raises(ImmutableRowError):
        entry.save()
    with pytest.raises(ImmutableRowError):
        entry.delete()
    with pytest.raises(ImmutableRowError):
        LedgerEntry.objects.filter(nir=nir).update(hours=100)
    assert services.cpf_balance(nir) == 10


@pytest.mark.parametrize(
    "kind, hours",
    [
        ("mobilisation", 5),
        ("credit_annuel", -1),
        ("abondement", 0),
        ("recredit", -3),
        ("correction", 0),
    ],
)
def test_database_refuses_wrong_sign_per_kind(nir_factory, kind, hours):
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(
            nir=nir_factory(), kind=kind, hours=hours, year=2016, dossier_id=1
        )


def test_mobilise_debits_once_per_dossier(nir_factory, row):
    nir = nir_factory()
    services.credit_declarations([row(nir, 2015), row(nir, 2016)])
    with transaction.atomic():
        entry = services.mobilise(nir, 30, 7, "DOS-7")
    with transaction.atomic():
        again = services.mobilise(nir, 30, 7, "DOS-7")
    assert again.pk == entry.pk
    assert entry.hours == -30 and entry.dossier_ref == "DOS-7"
    assert services.cpf_balance(nir) == 18
    assert HoursAccount.objects.filter(nir=nir).count() == 1


def test_mobilise_refuses_insufficient_hours(nir_factory, row):
    nir = nir_factory()
    services.credit_declarations([row(nir, 2015)])
    with pytest.raises(services.InsufficientHours, match="24 heures CPF disponibles"):
        services.mobilise(nir, 25, 8, "DOS-8")
    assert services.cpf_balance(nir) == 24
    assert not LedgerEntry.objects.filter(kind=LedgerKind.MOBILISATION).exists()


def test_database_allows_one_mobilisation_per_dossier(nir_factory):
    nir = nir_factory()
    LedgerEntry.objects.create(nir=nir, kind="mobilisation", hours=-1, dossier_id=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(nir=nir, kind="mobilisation", hours=-2, dossier_id=3)


def test_recredit_gives_back_exactly_once(nir_factory, row):
    nir = nir_factory()
    services.credit_declarations([row(nir, 2015)])
    assert services.recredit(nir, 9, "DOS-9") is None  # nothing mobilised
    services.mobilise(nir, 20, 9, "DOS-9")
    first = services.recredit(nir, 9, "DOS-9")
    second = services.recredit(nir, 9, "DOS-9")
    assert first.pk == second.pk and first.hours == 20
    assert services.cpf_balance(nir) == 24


def test_add_movement_is_audited_and_checked(nir_factory, make_titulaire):
    staff = make_titulaire(is_staff=True)
    nir = nir_factory()
    services.add_movement(nir, LedgerKind.ABONDEMENT, 100, "Abondement correctif", staff)
    assert AuditEntry.objects.filter(event=Event.HOURS_CHANGE, actor=staff).count() == 1
    with pytest.raises(services.InsufficientHours):
        services.add_movement(nir, LedgerKind.CORRECTION, -101, "Erreur", staff)
    with pytest.raises(services.HoursError):
        services.add_movement(nir, LedgerKind.ABONDEMENT, -5, "Négatif", staff)
    with pytest.raises(services.HoursError):
        services.add_movement(nir, LedgerKind.MOBILISATION, -5, "Interdit", staff)
    with pytest.raises(services.HoursError):
        services.add_movement("123", LedgerKind.ABONDEMENT, 5, "NIR faux", staff)
    services.add_movement(nir, LedgerKind.CORRECTION, -40, "Erreur de saisie", staff)
    assert services.cpf_balance(nir) == 60


# --- DIF --------------------------------------------------------------------------------------


@pytest.mark.parametrize("hours", [0, 1, 120])
def test_dif_accepts_0_to_120(nir_factory, hours):
    nir = nir_factory()
    assert services.dif_balance(nir) is None
    services.declare_dif(nir, hours)
    assert services.dif_balance(nir) == hours
    assert AuditEntry.objects.filter(event=Event.DIF_CHANGE).count() == 1


@pytest.mark.parametrize("hours", [-1, 121, None])
def test_dif_refuses_out_of_range(nir_factory, hours):
    with pytest.raises(services.DifError):
        services.declare_dif(nir_factory(), hours)


def test_dif_database_constraint(nir_factory):
    from hours.models import DifDeclaration

    with pytest.raises(IntegrityError), transaction.atomic():
        DifDeclaration.objects.create(nir=nir_factory(), hours=121)


def test_dif_mobilise_lock_and_recredit(nir_factory, row):
    nir = nir_factory()
    services.declare_dif(nir, 60)
    services.declare_dif(nir, 50)  # may change until locked
    with transaction.atomic():
        services.mobilise_dif(nir, 20, 11, "DOS-11")
        services.mobilise_dif(nir, 20, 11, "DOS-11")
        services.lock_dif(nir)
    assert services.dif_balance(nir) == 30
    assert services.dif_used(nir) == 20
    with pytest.raises(services.DifLocked):
        services.declare_dif(nir, 80)
    with pytest.raises(services.InsufficientHours):
        services.mobilise_dif(nir, 31, 12, "DOS-12")
    services.recredit_dif(nir, 11, "DOS-11")
    services.recredit_dif(nir, 11, "DOS-11")
    assert services.dif_balance(nir) == 50
    assert DifMovement.objects.filter(nir=nir).count() == 2
    assert services.cpf_balance(nir) == 0  # DIF never counts as CPF


def test_dif_does_not_count_toward_the_ceiling(nir_factory, row):
    nir = nir_factory()
    services.declare_dif(nir, 120)
    reprise(nir, 24)
    services.credit_declarations([row(nir, year) for year in range(2015, 2019)])
    assert services.cpf_balance(nir) == 120


def test_dif_mobilise_without_declaration_refused(nir_factory):
    with pytest.raises(services.InsufficientHours):
        services.mobilise_dif(nir_factory(), 1, 13, "DOS-13")


# --- Summary ----------------------------------------------------------------------------------


def test_account_summary_states(make_titulaire, row):
    titulaire = make_titulaire()
    empty = services.account_summary(titulaire, today=date(2015, 6, 1))
    assert empty == services.AccountSummary(0, False, False, None, False, "mars 2016")
    services.credit_declarations([row(titulaire.nir, 2015)])
    services.declare_dif(titulaire.nir, 0)
    summary = services.account_summary(titulaire)
    assert (summary.cpf_balance, summary.has_cpf_credits) == (24, True)
    assert (summary.dif_declared, summary.dif_balance, summary.dif_locked) == (True, 0, False)
    services.lock_dif(titulaire.nir)
    assert services.account_summary(titulaire).dif_locked


@pytest.mark.parametrize(
    "today, text",
    [
        (date(2015, 1, 10), "mars 2016"),
        (date(2017, 2, 1), "mars 2017"),
        (date(2017, 4, 1), "mars 2018"),
    ],
)
def test_next_credit_month(today, text):
    assert services.next_credit_month_text(today) == text


def test_demo_seed_is_idempotent(make_titulaire):
    import io

    from hours import demo_data

    accounts = {"camille": make_titulaire(), "karim": make_titulaire()}
    out = io.StringIO()
    demo_data.seed(out, accounts)
    balances = (
        services.cpf_balance(accounts["camille"].nir),
        services.cpf_balance(accounts["karim"].nir),
    )
    demo_data.seed(out, accounts)
    assert balances == (60, 84)
    assert (
        services.cpf_balance(accounts["camille"].nir),
        services.cpf_balance(accounts["karim"].nir),
    ) == balances
    assert services.dif_balance(accounts["camille"].nir) == 60
    assert services.dif_balance(accounts["karim"].nir) is None
    assert services.cpf_balance(accounts["nouveau"].nir) == 0
    assert random.Random  # deterministic seeds used by demo_titulaire
