"""delegations.services: invitations without enumeration, acceptance, decline, revocation."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.models import AuditEntry, Event
from delegations import services
from delegations.models import Delegation, Level, Status

pytestmark = pytest.mark.django_db


def test_invite_existing_account_creates_row_and_emails_it(camille, karim):
    rows = services.invite(camille, "KARIM@exemple.test", Level.MANAGE)
    assert [d.delegate for d in rows] == [karim]
    assert rows[0].status == Status.INVITED and rows[0].level == Level.MANAGE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [karim.email]
    assert "délégation" in message.subject
    assert (
        "Camille Martin" in message.body and "Consultation et gestion des dossiers" in message.body
    )
    assert "/mon-compte/delegations/" in message.body
    assert karim.nir not in message.body + message.subject
    assert message.alternatives and "Camille Martin" in message.alternatives[0][0]
    assert AuditEntry.objects.filter(event=Event.DELEGATION_GRANTED, actor=camille).count() == 1


def test_invite_unknown_address_looks_the_same_to_the_titulaire(camille):
    rows = services.invite(camille, "personne@exemple.test", Level.VIEW)
    assert len(rows) == 1 and rows[0].delegate is None and rows[0].status == Status.INVITED
    assert mail.outbox == []
    pending, accepted, ended = services.given_for_display(camille)
    assert [d.email for d in pending] == ["personne@exemple.test"]


def test_invite_every_account_sharing_the_address_but_show_one_line(camille, karim, make_titulaire):
    other = make_titulaire(first_name="Karim", birth_name="Autre", email="karim@exemple.test")
    rows = services.invite(camille, "karim@exemple.test", Level.VIEW)
    assert {d.delegate for d in rows} == {karim, other}
    assert sorted(m.to[0] for m in mail.outbox) == ["karim@exemple.test"] * 2
    pending, _, _ = services.given_for_display(camille)
    assert len(pending) == 1


def test_own_address_is_refused(camille):
    with pytest.raises(services.DelegationError) as error:
        services.invite(camille, "Camille@exemple.test", Level.VIEW)
    assert error.value.field == "email"
    assert not Delegation.objects.exists()


def test_past_end_date_is_refused(camille):
    with pytest.raises(services.DelegationError):
        services.invite(camille, "x@exemple.test", Level.VIEW, date(2000, 1, 1))


def test_second_pending_invitation_to_same_address_is_refused(camille, karim):
    services.invite(camille, "karim@exemple.test", Level.VIEW)
    with pytest.raises(services.DelegationError):
        services.invite(camille, "Karim@Exemple.test", Level.MANAGE)
    services.invite(camille, "nobody@exemple.test", Level.VIEW)
    with pytest.raises(services.DelegationError):
        services.invite(camille, "nobody@exemple.test", Level.VIEW)


def test_invitations_are_rate_limited(camille):
    for n in range(services.INVITE_LIMIT.max_hits):
        services.invite(camille, f"p{n}@exemple.test", Level.VIEW)
    with pytest.raises(services.DelegationError) as error:
        services.invite(camille, "encore@exemple.test", Level.VIEW)
    assert "trop d'invitations" in error.value.message
    assert AuditEntry.objects.filter(event=Event.RATE_LIMITED).exists()


def test_accept_then_in_force_and_titulaire_notified(camille, karim):
    (delegation,) = services.invite(camille, karim.email, Level.VIEW)
    mail.outbox.clear()
    services.accept(delegation, karim)
    delegation.refresh_from_db()
    assert delegation.status == Status.ACCEPTED and delegation.accepted_at
    assert Delegation.objects.in_force().get() == delegation
    assert mail.outbox[0].to == [camille.email] and "acceptée" in mail.outbox[0].subject
    assert AuditEntry.objects.filter(event=Event.DELEGATION_ACCEPTED, actor=karim).exists()


def test_only_the_invited_person_can_accept(camille, karim, make_titulaire):
    (delegation,) = services.invite(camille, karim.email, Level.VIEW)
    intruder = make_titulaire(email="intrus@exemple.test")
    with pytest.raises(PermissionDenied):
        services.accept(delegation, intruder)
    with pytest.raises(PermissionDenied):
        services.decline(delegation, intruder)
    with pytest.raises(PermissionDenied):
        services.revoke(delegation, intruder)


def test_accept_twice_or_after_end_date_is_refused(camille, karim):
    (delegation,) = services.invite(
        camille, karim.email, Level.VIEW, timezone.localdate() + timedelta(days=1)
    )
    later = timezone.now() + timedelta(days=3)
    with time_machine.travel(later), pytest.raises(services.DelegationError):
        services.accept(delegation, karim)
    services.accept(delegation, karim)
    with pytest.raises(services.DelegationError):
        services.accept(delegation, karim)


def test_decline(camille, karim):
    (delegation,) = services.invite(camille, karim.email, Level.VIEW)
    services.decline(delegation, karim)
    delegation.refresh_from_db()
    assert delegation.status == Status.DECLINED
    assert not Delegation.objects.in_force().exists()
    # A new invitation is possible after a decline.
    services.invite(camille, karim.email, Level.VIEW)


def test_revoke_by_titulaire_delegate_or_staff(camille, karim, make_delegation, make_titulaire):
    delegation = make_delegation()
    services.revoke(delegation, camille)
    delegation.refresh_from_db()
    assert delegation.status == Status.REVOKED and delegation.revoked_at
    with pytest.raises(services.DelegationError):
        services.revoke(delegation, camille)
    second = make_delegation()
    services.revoke(second, karim)
    third = make_delegation()
    staff = make_titulaire(is_staff=True, email="equipe@exemple.test")
    services.revoke(third, staff)
    assert AuditEntry.objects.filter(event=Event.DELEGATION_REVOKED).count() == 3


def test_cancelling_an_invitation_cancels_all_its_rows(camille, karim, make_titulaire):
    make_titulaire(email="karim@exemple.test", birth_name="Double")
    rows = services.invite(camille, "karim@exemple.test", Level.VIEW)
    assert len(rows) == 2
    services.revoke(rows[0], camille)
    assert not Delegation.objects.pending().exists()


def test_one_pending_and_one_accepted_per_pair_is_a_database_rule(make_delegation):
    make_delegation()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_delegation()
    make_delegation(status=Status.INVITED)  # a renewal, pending beside the accepted one
    with pytest.raises(IntegrityError), transaction.atomic():
        make_delegation(status=Status.INVITED)


def test_inviting_again_changes_the_rights_once_accepted(camille, karim, make_delegation):
    current = make_delegation(level=Level.VIEW)
    (renewal,) = services.invite(camille, karim.email, Level.MANAGE)
    assert renewal.delegate == karim and renewal.status == Status.INVITED
    assert [m.to for m in mail.outbox] == [[karim.email]]
    # Until Karim accepts, the current delegation stays in force, with its rights.
    assert Delegation.objects.in_force().get() == current
    services.accept(renewal, karim)
    current.refresh_from_db()
    assert current.status == Status.REPLACED
    assert Delegation.objects.in_force().get().level == Level.MANAGE
    pending, accepted, ended = services.given_for_display(camille)
    assert (pending, accepted, ended) == ([], [renewal], [current])
    assert current.status_label == "Remplacée"


def test_an_expired_delegation_ends_and_can_be_renewed(camille, karim, make_delegation):
    yesterday = timezone.localdate() - timedelta(days=1)
    expired = make_delegation(end_date=yesterday)
    pending, accepted, ended = services.given_for_display(camille)
    assert accepted == [] and ended == [expired]
    assert expired.status_label == "Arrivée à échéance" and expired.ended_on == yesterday
    (renewal,) = services.invite(camille, karim.email, Level.VIEW)
    expired.refresh_from_db()
    assert expired.status == Status.EXPIRED
    assert len(mail.outbox) == 1
    services.accept(renewal, karim)
    assert Delegation.objects.in_force().get() == renewal


def test_an_expired_invitation_no_longer_blocks_a_new_one(camille, karim, make_delegation):
    stale = make_delegation(status=Status.INVITED, end_date=timezone.localdate() - timedelta(1))
    assert services.given_for_display(camille) == ([], [], [])
    (fresh,) = services.invite(camille, karim.email, Level.VIEW)
    stale.refresh_from_db()
    assert stale.status == Status.EXPIRED and fresh.status == Status.INVITED


def test_cannot_delegate_to_oneself_in_database(camille):
    with pytest.raises(IntegrityError), transaction.atomic():
        Delegation.objects.create(titulaire=camille, delegate=camille, level=Level.MANAGE)


def test_accepted_needs_a_delegate_in_database(camille):
    with pytest.raises(IntegrityError), transaction.atomic():
        Delegation.objects.create(
            titulaire=camille,
            delegate=None,
            email="x@exemple.test",
            level=Level.MANAGE,
            status=Status.ACCEPTED,
        )


@pytest.mark.parametrize(
    ("status", "end_date_days", "in_force"),
    [
        (Status.ACCEPTED, None, True),
        (Status.ACCEPTED, 0, True),
        (Status.ACCEPTED, -1, False),
        (Status.INVITED, None, False),
        (Status.REVOKED, None, False),
        (Status.DECLINED, None, False),
    ],
)
def test_in_force_table(make_delegation, status, end_date_days, in_force):
    end_date = None if end_date_days is None else timezone.localdate() + timedelta(end_date_days)
    delegation = make_delegation(status=status, end_date=end_date)
    assert delegation.is_in_force() is in_force
    assert Delegation.objects.in_force().filter(pk=delegation.pk).exists() is in_force


def test_given_list_hides_cancelled_invitations_to_existing_accounts(camille, karim):
    (row,) = services.invite(camille, karim.email, Level.VIEW)
    services.revoke(row, camille)
    (ghost,) = services.invite(camille, "nobody@exemple.test", Level.VIEW)
    services.revoke(ghost, camille)
    assert services.given_for_display(camille) == ([], [], [])
