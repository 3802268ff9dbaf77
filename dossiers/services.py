"""The only place where dossiers are created, changed and change status.

Views, admin actions, demo data and commands call these functions. Every status change goes
through the pure state machine `dossiers.transitions.transition()` under a row lock on the
dossier, is recorded as a DossierEvent and, for staff decisions, in the audit trail. Hours are
debited from the ledger (hours.services) when a dossier is validated and re-credited when a
validated dossier is cancelled, in the same transaction as the status change.

Errors are raised as DossierError with a French message (and the form field concerned, if any).
"""

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from audit.models import Event
from audit.services import record
from cpf_portal.errors import DossierError
from dossiers import transitions
from dossiers.models import (
    MAX_HOURS_PER_TRAINING,
    ActorRole,
    Dossier,
    DossierEvent,
    dossier_reference,
)
from hours import services as hours_services

# Roles of the state machine for our actor roles: a delegate acts for the titulaire.
MACHINE_ACTOR = {
    ActorRole.TITULAIRE: transitions.ACTOR_TITULAIRE,
    ActorRole.DELEGATE: transitions.ACTOR_TITULAIRE,
    ActorRole.STAFF: transitions.ACTOR_STAFF,
}


@dataclass(frozen=True)
class Balances:
    cpf: int
    dif: int | None  # None: DIF balance not entered


def balances(nir: str) -> Balances:
    return Balances(cpf=hours_services.cpf_balance(nir), dif=hours_services.dif_balance(nir))


def default_dif_hours(nir: str, hours_total: int) -> int:
    """DIF hours are used first ("à mobiliser en priorité")."""
    dif = hours_services.dif_balance(nir) or 0
    return max(0, min(dif, hours_total))


def check_hours(nir: str, hours_total: int, hours_dif: int) -> None:
    """The rules at creation (checked again at validation under the lock)."""
    if hours_total is None or hours_total <= 0:
        raise DossierError(_("Indiquez un nombre d'heures supérieur à 0."), "hours_total")
    if hours_total > MAX_HOURS_PER_TRAINING:
        raise DossierError(
            _("Une formation mobilise au plus %(max)s heures (DIF et CPF ensemble).")
            % {"max": MAX_HOURS_PER_TRAINING},
            "hours_total",
        )
    if hours_dif < 0 or hours_dif > hours_total:
        raise DossierError(
            _("Les heures DIF doivent être comprises entre 0 et le nombre d'heures demandées."),
            "hours_dif",
        )
    current = balances(nir)
    if hours_dif > (current.dif or 0):
        raise DossierError(
            _("Vous ne disposez que de %(n)s heures DIF.") % {"n": current.dif or 0}, "hours_dif"
        )
    if hours_total - hours_dif > current.cpf:
        raise DossierError(
            _("Vous ne disposez que de %(n)s heures CPF : réduisez le nombre d'heures CPF.")
            % {"n": current.cpf},
            "hours_total",
        )


def check_confidential(confidential, role) -> None:
    """Only the titulaire marks a dossier confidential: a delegate would lose sight of it."""
    if confidential and role == ActorRole.DELEGATE:
        raise DossierError(
            _("Seul le titulaire du compte peut rendre un dossier confidentiel."), "confidential"
        )


def _record_event(dossier, from_status, action, actor, role, reason=""):
    DossierEvent.objects.create(
        dossier=dossier,
        from_status=from_status,
        to_status=dossier.status,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_role=role,
        reason=reason,
    )


def create_dossier(
    titulaire,
    training,
    agreement_date,
    hours_total,
    hours_dif=None,
    confidential=False,
    actor=None,
    role=ActorRole.TITULAIRE,
    start_date=None,
    end_date=None,
) -> Dossier:
    nir = titulaire.nir
    if hours_dif is None:
        hours_dif = default_dif_hours(nir, hours_total or 0)
    if start_date and end_date and end_date < start_date:
        raise DossierError(_("La date de fin précède la date de début."), "end_date")
    check_confidential(confidential, role)
    with transaction.atomic():
        check_hours(nir, hours_total, hours_dif)
        dossier = Dossier.objects.create(
            # A unique placeholder, replaced by the readable reference once the id is known.
            # Random, so its length never depends on an id (20 characters, as were the
            # column's first 20: "TMP-<time>-<titulaire id>" overflowed from id 1,000).
            reference=f"TMP-{secrets.token_hex(8)}",
            titulaire=titulaire,
            training=training,
            nir=nir,
            agreement_date=agreement_date,
            start_date=start_date,
            end_date=end_date,
            hours_total=hours_total,
            hours_dif=hours_dif,
            hours_cpf=hours_total - hours_dif,
            confidential=confidential,
            status=transitions.INITIAL_STATUS,
        )
        dossier.reference = dossier_reference(dossier.agreement_date, dossier.pk)
        dossier.save(update_fields=["reference"])
        _record_event(dossier, "", "create", actor or titulaire, role)
    return dossier


def _locked(dossier) -> Dossier:
    return Dossier.objects.select_for_update().select_related("training").get(pk=dossier.pk)


def _apply(locked: Dossier, action: str, role: str) -> tuple[str, transitions.Transition]:
    """Run the state machine on the locked row; returns (previous status, transition)."""
    previous = locked.status
    try:
        result = transitions.transition(previous, action, MACHINE_ACTOR[role])
    except transitions.TransitionError as exc:
        raise DossierError(exc.message) from exc
    locked.status = result.new_status
    return previous, result


def update_dossier(dossier, *, actor, role=ActorRole.TITULAIRE, **fields) -> Dossier:
    """Change a dossier still being prepared (training, dates, hours, confidentiality)."""
    allowed = {
        "training",
        "agreement_date",
        "start_date",
        "end_date",
        "hours_total",
        "hours_dif",
        "confidential",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"champs non modifiables : {sorted(unknown)}")
    check_confidential(fields.get("confidential"), role)
    with transaction.atomic():
        locked = _locked(dossier)
        if not transitions.can_edit(locked.status):
            raise DossierError(_("Seul un dossier en cours d'élaboration peut être modifié."))
        for name, value in fields.items():
            setattr(locked, name, value)
        if fields.get("hours_dif") is None and "hours_total" in fields:
            locked.hours_dif = default_dif_hours(locked.nir, locked.hours_total)
        if locked.start_date and locked.end_date and locked.end_date < locked.start_date:
            raise DossierError(_("La date de fin précède la date de début."), "end_date")
        check_hours(locked.nir, locked.hours_total, locked.hours_dif)
        locked.hours_cpf = locked.hours_total - locked.hours_dif
        locked.save()
        _record_event(locked, locked.status, "update", actor, role)
    return locked


def delete_dossier(dossier, *, actor, role=ActorRole.TITULAIRE) -> None:
    with transaction.atomic():
        locked = _locked(dossier)
        if role == ActorRole.STAFF or not transitions.can_delete(
            locked.status, MACHINE_ACTOR[role]
        ):
            raise DossierError(_("Seul un dossier en cours d'élaboration peut être supprimé."))
        locked.delete()


def submit(dossier, *, actor, role=ActorRole.TITULAIRE) -> Dossier:
    with transaction.atomic():
        locked = _locked(dossier)
        previous, _result = _apply(locked, transitions.SUBMIT, role)
        # The balances may have changed since the dossier was prepared.
        check_hours(locked.nir, locked.hours_total, locked.hours_dif)
        locked.save(update_fields=["status", "updated_at"])
        _record_event(locked, previous, transitions.SUBMIT, actor, role)
    return locked


def _staff_audit(locked, actor, request, detail):
    record(
        Event.DOSSIER_DECISION,
        request=request,
        actor=actor,
        nir=locked.nir,
        obj=locked.reference,
        detail=detail,
    )


def validate(dossier, *, actor, request=None) -> Dossier:
    """Staff accept the dossier: the hours are debited exactly once, DIF first."""
    with transaction.atomic():
        locked = _locked(dossier)
        previous, result = _apply(locked, transitions.VALIDATE, ActorRole.STAFF)
        if not result.debit:  # pragma: no cover - the state machine says validation debits
            raise DossierError(_("Transition inattendue."))
        try:
            if locked.hours_dif:
                hours_services.mobilise_dif(
                    locked.nir, locked.hours_dif, locked.pk, locked.reference
                )
                hours_services.lock_dif(locked.nir)
            if locked.hours_cpf:
                hours_services.mobilise(
                    locked.nir, locked.hours_cpf, locked.pk, locked.reference, actor=actor
                )
        except hours_services.InsufficientHours as exc:
            raise DossierError(
                _(
                    "Le dossier %(ref)s ne peut pas être validé : le solde d'heures du titulaire "
                    "est insuffisant (%(detail)s)."
                )
                % {"ref": locked.reference, "detail": exc}
            ) from exc
        locked.hours_debited = True
        locked.refusal_reason = ""
        locked.save(update_fields=["status", "hours_debited", "refusal_reason", "updated_at"])
        _record_event(locked, previous, transitions.VALIDATE, actor, ActorRole.STAFF)
        _staff_audit(
            locked, actor, request, f"validé ({locked.hours_dif} h DIF, {locked.hours_cpf} h CPF)"
        )
    return locked


def refuse(dossier, *, actor, reason, request=None) -> Dossier:
    reason = (reason or "").strip()
    if not reason:
        raise DossierError(_("Le motif du refus est obligatoire."), "reason")
    with transaction.atomic():
        locked = _locked(dossier)
        previous, _result = _apply(locked, transitions.REFUSE, ActorRole.STAFF)
        locked.refusal_reason = reason
        locked.save(update_fields=["status", "refusal_reason", "updated_at"])
        _record_event(locked, previous, transitions.REFUSE, actor, ActorRole.STAFF, reason)
        _staff_audit(locked, actor, request, "refusé")
    return locked


def close(dossier, *, actor, request=None) -> Dossier:
    """The training is over (staff)."""
    with transaction.atomic():
        locked = _locked(dossier)
        previous, _result = _apply(locked, transitions.CLOSE, ActorRole.STAFF)
        locked.save(update_fields=["status", "updated_at"])
        _record_event(locked, previous, transitions.CLOSE, actor, ActorRole.STAFF)
        _staff_audit(locked, actor, request, "clos")
    return locked


def cancel(dossier, *, actor, role=ActorRole.TITULAIRE, reason="", request=None) -> Dossier:
    """Titulaire before validation, or staff; a validated dossier gets its hours back."""
    with transaction.atomic():
        locked = _locked(dossier)
        previous, result = _apply(locked, transitions.CANCEL, role)
        if result.recredit and locked.hours_debited:
            if locked.hours_cpf:
                hours_services.recredit(locked.nir, locked.pk, locked.reference, actor=actor)
            if locked.hours_dif:
                hours_services.recredit_dif(locked.nir, locked.pk, locked.reference)
            locked.hours_debited = False
        locked.save(update_fields=["status", "hours_debited", "updated_at"])
        _record_event(locked, previous, transitions.CANCEL, actor, role, reason)
        if role == ActorRole.STAFF:
            _staff_audit(locked, actor, request, "annulé")
    return locked
