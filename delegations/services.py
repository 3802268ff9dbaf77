"""Delegations: invite, accept, decline, revoke. Views, admin actions and demo data call these.

An invitation names an email address, never an account: the titulaire is told the same thing
whether or not the address belongs to someone ("Si une personne titulaire d'un compte utilise
cette adresse, elle recevra une invitation."). One Delegation row is created per account using
that address (none for the titulaire's own accounts), or one row without delegate when no
account uses it, so that the list of invitations sent looks the same in both cases.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Titulaire
from audit.models import Event
from audit.services import record
from cpf_portal import ratelimit
from cpf_portal.emails import send_templated_email
from cpf_portal.errors import DelegationError
from delegations.models import Delegation, Level, Status

INVITE_LIMIT = ratelimit.Limit("delegation_invite", max_hits=10, window_seconds=60 * 60)
SAME_ANSWER = _(
    "Si une personne titulaire d'un compte utilise cette adresse, elle recevra une invitation."
)


def _rate_key(titulaire) -> str:
    return f"t{titulaire.pk}"


def invite(titulaire, email: str, level: str, end_date=None, request=None) -> list[Delegation]:
    """Invite the account(s) using `email`. Returns the rows created (possibly one without
    delegate); callers must show SAME_ANSWER whatever the result."""

    email = (email or "").strip()
    if level not in Level.values:
        raise DelegationError(_("Choisissez les droits accordés."), field="level")
    if end_date is not None and end_date < timezone.localdate():
        raise DelegationError(_("La date de fin ne peut pas être déjà passée."), field="end_date")
    if email.lower() == (titulaire.email or "").lower():
        raise DelegationError(
            _("Vous ne pouvez pas vous déléguer votre propre compte."), field="email"
        )
    if ratelimit.is_limited(INVITE_LIMIT, _rate_key(titulaire)):
        record(Event.RATE_LIMITED, request=request, actor=titulaire, detail="délégation")
        raise DelegationError(
            _("Vous avez envoyé trop d'invitations en peu de temps. Réessayez dans une heure.")
        )
    with transaction.atomic():
        # Lock the titulaire's row: two invitations at once cannot both pass the checks below.
        Titulaire.objects.select_for_update().filter(pk=titulaire.pk).first()
        given = Delegation.objects.given_by(titulaire)
        # Past their end date, invitations and delegations are over: say so, so that they
        # neither block this invitation nor stay "active" in the lists.
        given.overdue().update(status=Status.EXPIRED, revoked_at=timezone.now())
        if given.pending().filter(email__iexact=email).exists():
            raise DelegationError(
                _("Une invitation est déjà en attente pour cette adresse."), field="email"
            )
        ratelimit.hit(INVITE_LIMIT, _rate_key(titulaire))
        # Someone who already holds a delegation may be invited again (other rights, a new end
        # date): accepting replaces it. Someone with an invitation pending may not.
        invited = [pk for pk in given.pending().values_list("delegate", flat=True) if pk]
        people = (
            Titulaire.objects.filter(email__iexact=email, is_active=True)
            .exclude(pk=titulaire.pk)
            .exclude(nir=titulaire.nir)
            .exclude(pk__in=invited)
        )
        created = []
        for person in people:
            delegation = Delegation.objects.create(
                titulaire=titulaire,
                delegate=person,
                email=email,
                level=level,
                end_date=end_date,
            )
            send_templated_email(
                "delegation_invitation",
                person.email,
                {"delegation": delegation, "delegate": person, "titulaire": titulaire},
                request=request,
            )
            created.append(delegation)
        already_invited = given.pending().filter(delegate__email__iexact=email)
        if not created and not already_invited.exists():
            created.append(
                Delegation.objects.create(
                    titulaire=titulaire,
                    delegate=None,
                    email=email,
                    level=level,
                    end_date=end_date,
                )
            )
        record(
            Event.DELEGATION_GRANTED,
            request=request,
            actor=titulaire,
            nir=titulaire.nir,
            detail=f"{Level(level).label} ; {len([d for d in created if d.delegate_id])} "
            "compte(s) invité(s)",
        )
    return created


def _record(event, delegation: Delegation, actor, request, detail: str = "") -> None:
    """The audit line of a change to one delegation, filed under its titulaire's NIR."""
    record(
        event,
        request=request,
        actor=actor,
        nir=delegation.titulaire.nir,
        obj=delegation,
        detail=detail,
    )


def _locked(delegation) -> Delegation:
    return (
        Delegation.objects.select_for_update(of=("self",))  # PostgreSQL: not the outer join
        .select_related("titulaire", "delegate")
        .get(pk=delegation.pk)
    )


def _locked_invitation(delegation: Delegation, user) -> Delegation:
    """The invitation, locked (call inside transaction.atomic()), if it is `user`'s and still
    pending; PermissionDenied or DelegationError otherwise."""
    delegation = _locked(delegation)
    if delegation.delegate_id != user.pk:
        raise PermissionDenied
    if delegation.status != Status.INVITED:
        raise DelegationError(_("Cette invitation n'est plus en attente."))
    return delegation


def accept(delegation: Delegation, user, request=None) -> Delegation:
    """The invited person accepts. Refused if it is not theirs, no longer pending or expired."""
    with transaction.atomic():
        delegation = _locked_invitation(delegation, user)
        if delegation.is_expired:
            raise DelegationError(
                _("Cette délégation a pris fin : elle ne peut plus être acceptée.")
            )
        now = timezone.now()
        # The delegation this one renews or changes, if any, ends now.
        Delegation.objects.given_by(delegation.titulaire).received_by(user).filter(
            status=Status.ACCEPTED
        ).update(status=Status.REPLACED, revoked_at=now)
        delegation.status = Status.ACCEPTED
        delegation.accepted_at = now
        delegation.save(update_fields=["status", "accepted_at"])
        _record(Event.DELEGATION_ACCEPTED, delegation, user, request)
        send_templated_email(
            "delegation_accepted",
            delegation.titulaire.email,
            {
                "delegation": delegation,
                "titulaire": delegation.titulaire,
                "delegate": delegation.delegate,
            },
            request=request,
        )
    return delegation


def decline(delegation: Delegation, user, request=None) -> Delegation:
    """The invited person declines the invitation."""
    with transaction.atomic():
        delegation = _locked_invitation(delegation, user)
        delegation.status = Status.DECLINED
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["status", "revoked_at"])
        _record(Event.DELEGATION_REVOKED, delegation, user, request, "invitation refusée")
    return delegation


def revoke(delegation: Delegation, by, request=None) -> Delegation:
    """End a delegation (or cancel an invitation): by its titulaire, by the delegate who gives
    it up, or by staff. Takes effect on the delegate's next request (access.py re-reads it).
    Cancelling an invitation cancels every row created by the same invitation (same address)."""
    with transaction.atomic():
        delegation = _locked(delegation)
        if by.pk not in (delegation.titulaire_id, delegation.delegate_id) and not by.is_staff:
            raise PermissionDenied
        if delegation.status not in (Status.INVITED, Status.ACCEPTED):
            raise DelegationError(_("Cette délégation a déjà pris fin."))
        rows = Delegation.objects.filter(pk=delegation.pk)
        if delegation.status == Status.INVITED and by.pk != delegation.delegate_id:
            rows = (
                Delegation.objects.given_by(delegation.titulaire)
                .pending()
                .filter(email__iexact=delegation.email)
                | rows
            )
        now = timezone.now()
        for row in rows.select_for_update():
            row.status = Status.REVOKED
            row.revoked_at = now
            row.save(update_fields=["status", "revoked_at"])
        detail = (
            "par le titulaire"
            if by.pk == delegation.titulaire_id
            else ("par le délégataire" if by.pk == delegation.delegate_id else "par l'équipe")
        )
        _record(Event.DELEGATION_REVOKED, delegation, by, request, detail)
        delegation.refresh_from_db()
    return delegation


def received_for_display(user):
    """What "Comptes qui me sont délégués" lists: invitations pending and delegations in force."""
    qs = Delegation.objects.received_by(user).select_related("titulaire")
    today = timezone.localdate()
    pending = [d for d in qs.pending() if not d.is_expired]
    active = list(qs.in_force(today))
    return pending, active


def given_for_display(titulaire):
    """Delegations given: pending invitations grouped by address (one line per invitation, so
    that several accounts sharing an address do not show), the others one per row."""
    qs = Delegation.objects.given_by(titulaire).select_related("delegate")
    pending, seen = [], set()
    for delegation in qs.pending():
        key = delegation.email.lower()
        if key not in seen and not delegation.is_expired:
            seen.add(key)
            pending.append(delegation)
    accepted = list(qs.in_force())
    ended = list(qs.ended()[:20])
    return pending, accepted, ended
