"""The delegation's own rules (delegations/models.py): its last day, its lists, its display.

A delegation with an end date is in force up to and including that day, and over the day
after (the real clock: an end date is a security limit, not part of the CPF story). Dates are
literals; the clock is fixed at noon in Paris.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from delegations.models import Delegation, Level, Status

PARIS = ZoneInfo("Europe/Paris")
TODAY = date(2026, 3, 10)
YESTERDAY = date(2026, 3, 9)
TOMORROW = date(2026, 3, 11)
REVOKED_AT = datetime(2026, 2, 20, 23, 30, tzinfo=ZoneInfo("UTC"))  # 21 February in Paris


@pytest.fixture
def at_noon():
    with time_machine.travel(datetime(2026, 3, 10, 12, 0, tzinfo=PARIS), tick=False):
        yield


# --- One delegation (no database) -------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "end_date", "in_force"),
    [
        (Status.ACCEPTED, None, True),
        (Status.ACCEPTED, TOMORROW, True),
        (Status.ACCEPTED, TODAY, True),  # its last day
        (Status.ACCEPTED, YESTERDAY, False),
        (Status.INVITED, None, False),
        (Status.INVITED, TOMORROW, False),
        (Status.REVOKED, None, False),
        (Status.EXPIRED, TOMORROW, False),
        (Status.DECLINED, None, False),
        (Status.REPLACED, TODAY, False),
    ],
)
def test_is_in_force(at_noon, status, end_date, in_force):
    delegation = Delegation(status=status, end_date=end_date)
    assert delegation.is_in_force(TODAY) is in_force
    assert delegation.is_in_force() is in_force  # today by the real clock
    # Tomorrow: today's last day is over.
    assert delegation.is_in_force(TOMORROW) is (in_force and end_date != TODAY)


@pytest.mark.parametrize(
    ("status", "end_date", "expired", "label"),
    [
        (Status.ACCEPTED, None, False, "Active"),
        (Status.ACCEPTED, TODAY, False, "Active"),
        (Status.ACCEPTED, YESTERDAY, True, "Arrivée à échéance"),
        (Status.INVITED, TODAY, False, "En attente d'acceptation"),
        (Status.INVITED, YESTERDAY, True, "Arrivée à échéance"),
        (Status.REVOKED, YESTERDAY, True, "Révoquée"),  # revoked before its end: revoked
        (Status.DECLINED, None, False, "Refusée"),
    ],
)
def test_expiry_and_label(at_noon, status, end_date, expired, label):
    delegation = Delegation(status=status, end_date=end_date)
    assert delegation.is_expired is expired
    assert delegation.status_label == label


@pytest.mark.parametrize(
    ("status", "end_date", "revoked_at", "ended_on"),
    [
        (Status.ACCEPTED, YESTERDAY, None, YESTERDAY),
        (Status.EXPIRED, YESTERDAY, REVOKED_AT, YESTERDAY),  # its end date, not the sweep's
        (Status.INVITED, TODAY, None, TODAY),
        (Status.REVOKED, TOMORROW, REVOKED_AT, date(2026, 2, 21)),
        (Status.REPLACED, None, REVOKED_AT, date(2026, 2, 21)),
        (Status.ACCEPTED, None, None, None),
        (Status.DECLINED, None, None, None),
    ],
)
def test_ended_on(status, end_date, revoked_at, ended_on):
    delegation = Delegation(status=status, end_date=end_date, revoked_at=revoked_at)
    assert delegation.ended_on == ended_on


def test_rights():
    assert Delegation(level=Level.MANAGE).can_manage_dossiers is True
    assert Delegation(level=Level.VIEW).can_manage_dossiers is False


# --- Lists (database) ------------------------------------------------------------------------


@pytest.fixture
def person(make_titulaire):
    count = iter(range(1, 100))

    def make():
        n = next(count)
        return make_titulaire(
            first_name=f"Personne{n}", birth_name="Test", email=f"p{n}@exemple.test"
        )

    return make


@pytest.fixture
def rows(db, at_noon, camille, karim, person, make_delegation):
    """One delegation of each kind, given by Camille (each to its own person)."""
    made = {}
    kinds = {
        "accepted_open": dict(status=Status.ACCEPTED),
        "accepted_until_tomorrow": dict(status=Status.ACCEPTED, end_date=TOMORROW),
        "accepted_last_day": dict(status=Status.ACCEPTED, end_date=TODAY),
        "accepted_past": dict(status=Status.ACCEPTED, end_date=YESTERDAY),
        "pending_open": dict(status=Status.INVITED),
        "pending_last_day": dict(status=Status.INVITED, end_date=TODAY),
        "pending_past": dict(status=Status.INVITED, end_date=YESTERDAY),
        "revoked_after_acceptance": dict(status=Status.REVOKED),
        "expired": dict(status=Status.EXPIRED, end_date=YESTERDAY),
        "replaced": dict(status=Status.REPLACED),
        "declined": dict(status=Status.DECLINED),
    }
    for name, fields in kinds.items():
        delegation = make_delegation(delegate=person(), **fields)
        if fields["status"] in (Status.REVOKED, Status.EXPIRED, Status.REPLACED):
            Delegation.objects.filter(pk=delegation.pk).update(
                accepted_at=REVOKED_AT, revoked_at=REVOKED_AT
            )
        made[name] = delegation.pk
    # Withdrawn before anybody answered: never known to the person, so not "ended" for them.
    made["withdrawn_invitation"] = make_delegation(delegate=person(), status=Status.REVOKED).pk
    # Karim gives one to Camille: never in Camille's "given" lists.
    made["received"] = make_delegation(titulaire=karim, delegate=camille).pk
    return made


def names(rows, queryset):
    by_pk = {pk: name for name, pk in rows.items()}
    return {by_pk[pk] for pk in queryset.values_list("pk", flat=True)}


def test_in_force_includes_the_last_day(rows, camille):
    given = Delegation.objects.given_by(camille)
    expected = {"accepted_open", "accepted_until_tomorrow", "accepted_last_day"}
    assert names(rows, given.in_force(TODAY)) == expected
    assert names(rows, given.in_force()) == expected
    assert names(rows, given.in_force(TOMORROW)) == {"accepted_open", "accepted_until_tomorrow"}
    assert names(rows, given.in_force(YESTERDAY)) == expected | {"accepted_past"}


def test_overdue_starts_the_day_after(rows, camille):
    given = Delegation.objects.given_by(camille)
    assert names(rows, given.overdue(TODAY)) == {"accepted_past", "pending_past"}
    assert names(rows, given.overdue()) == {"accepted_past", "pending_past"}
    assert names(rows, given.overdue(TOMORROW)) == {
        "accepted_past",
        "pending_past",
        "accepted_last_day",
        "pending_last_day",
    }


def test_ended_lists_what_the_titulaire_knew_of(rows, camille):
    assert names(rows, Delegation.objects.given_by(camille).ended()) == {
        "accepted_past",
        "revoked_after_acceptance",
        "expired",
        "replaced",
        "declined",
    }


def test_pending_live_and_sides(rows, camille, karim):
    given = Delegation.objects.given_by(camille)
    assert names(rows, given.pending()) == {"pending_open", "pending_last_day", "pending_past"}
    assert names(rows, given.live()) == {
        "pending_open",
        "pending_last_day",
        "pending_past",
        "accepted_open",
        "accepted_until_tomorrow",
        "accepted_last_day",
        "accepted_past",
    }
    assert names(rows, Delegation.objects.received_by(camille)) == {"received"}
    assert names(rows, Delegation.objects.given_by(karim)) == {"received"}
    assert "received" not in names(rows, given)
    assert len(names(rows, given)) == len(rows) - 1


def test_str(db, camille, karim, make_delegation):
    assert str(make_delegation(level=Level.MANAGE)) == (
        "Camille Martin → Karim Benali (Consultation et gestion des dossiers)"
    )
    invitation = make_delegation(delegate=None, email="inconnu@exemple.test", status=Status.INVITED)
    assert str(invitation) == "Camille Martin → inconnu@exemple.test (Consultation)"
