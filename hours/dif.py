"""The DIF balance: entered by the titulaire (0 to 120 h, even 0), locked once a dossier using
DIF hours is validated; its use is tracked in DifMovement (balance = declared - used +
recredited). DIF hours never count toward the CPF accrual ceiling. Re-exported by
hours.services, which is what other apps import."""

import uuid

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import nir as nir_rules
from audit.models import Event
from audit.services import record
from cpf_portal.errors import DifError, DifLocked, InsufficientHours
from hours.locking import lock_account
from hours.models import DifDeclaration, DifKind, DifMovement

DIF_MAX = 120


def dif_declaration(nir: str) -> DifDeclaration | None:
    return DifDeclaration.objects.filter(nir=nir_rules.normalize_nir(nir)).first()


def _balance_of(declaration: DifDeclaration) -> int:
    used = DifMovement.objects.filter(nir=declaration.nir).aggregate(t=Sum("hours"))["t"] or 0
    return declaration.hours + used


def dif_balance(nir: str) -> int | None:
    """DIF hours available, or None when the titulaire has not entered the DIF balance yet."""
    declaration = dif_declaration(nir)
    return None if declaration is None else _balance_of(declaration)


def dif_used(nir: str) -> int:
    nir = nir_rules.normalize_nir(nir)
    return -(DifMovement.objects.filter(nir=nir).aggregate(t=Sum("hours"))["t"] or 0)


def declare_dif(nir, hours, attestation=None, actor=None, *, attestation_ext=None, request=None):
    """Enter or change the DIF balance. `attestation` is an uploaded file already checked by
    hours.forms (its real type in `attestation_ext`: pdf, jpg or png); it is stored under a
    random name in storages["private"]. Refused once the balance is locked."""
    nir = nir_rules.normalize_nir(nir)
    if hours is None or isinstance(hours, bool) or not 0 <= int(hours) <= DIF_MAX:
        raise DifError(_("Le solde d'heures DIF est un nombre entier de 0 à 120."))
    hours = int(hours)
    with transaction.atomic():
        lock_account(nir)
        declaration = DifDeclaration.objects.select_for_update().filter(nir=nir).first()
        if declaration is not None and declaration.is_locked:
            raise DifLocked(
                _(
                    "Votre solde d'heures DIF ne peut plus être modifié : un dossier de "
                    "formation qui l'utilise a été validé."
                )
            )
        old_file = None
        if declaration is None:
            declaration = DifDeclaration(nir=nir, hours=hours)
        else:
            declaration.hours = hours
            declaration.declared_at = timezone.now()
        if attestation is not None:
            ext = attestation_ext or "pdf"
            old_file = declaration.attestation.name or None
            declaration.attestation_name = (getattr(attestation, "name", "") or "")[-200:]
            declaration.attestation.save(f"{uuid.uuid4().hex}.{ext}", attestation, save=False)
        declaration.save()
        if old_file:
            storage = declaration.attestation.storage
            transaction.on_commit(lambda: storage.delete(old_file))
        record(
            Event.DIF_CHANGE,
            request=request,
            actor=actor,
            nir=nir,
            obj=declaration,
            detail=f"{hours} h" + (" avec attestation" if attestation is not None else ""),
        )
    return declaration


def lock_dif(nir: str) -> DifDeclaration | None:
    """Called when a dossier using DIF hours is validated: the balance can no longer change."""
    nir = nir_rules.normalize_nir(nir)
    with transaction.atomic():
        lock_account(nir)
        declaration = DifDeclaration.objects.select_for_update().filter(nir=nir).first()
        if declaration is not None and not declaration.is_locked:
            declaration.locked_at = timezone.now()
            declaration.save(update_fields=["locked_at"])
    return declaration


def mobilise_dif(nir, hours, dossier_id, dossier_ref) -> DifMovement:
    """Debit DIF hours for a dossier, once (a second call returns the first movement)."""
    nir = nir_rules.normalize_nir(nir)
    hours = int(hours)
    if hours <= 0:
        raise ValueError("hours must be > 0")
    with transaction.atomic():
        lock_account(nir)
        existing = DifMovement.objects.filter(
            dossier_id=dossier_id, kind=DifKind.MOBILISATION
        ).first()
        if existing is not None:
            if existing.nir != nir:
                raise ValueError("dossier already mobilised for another NIR")
            return existing
        available = dif_balance(nir)
        if available is None:
            raise InsufficientHours(_("Le solde d'heures DIF n'a pas été renseigné."))
        if available < hours:
            raise InsufficientHours(
                _("%(a)s heures DIF disponibles pour %(h)s demandées")
                % {"a": available, "h": hours}
            )
        return DifMovement.objects.create(
            nir=nir,
            kind=DifKind.MOBILISATION,
            hours=-hours,
            dossier_id=dossier_id,
            dossier_ref=dossier_ref or "",
        )


def recredit_dif(nir, dossier_id, dossier_ref) -> DifMovement | None:
    """Give back the DIF hours a cancelled dossier used, once. None if it used none."""
    nir = nir_rules.normalize_nir(nir)
    with transaction.atomic():
        lock_account(nir)
        used = DifMovement.objects.filter(
            dossier_id=dossier_id, kind=DifKind.MOBILISATION, nir=nir
        ).first()
        if used is None:
            return None
        existing = DifMovement.objects.filter(dossier_id=dossier_id, kind=DifKind.RECREDIT).first()
        if existing is not None:
            return existing
        return DifMovement.objects.create(
            nir=nir,
            kind=DifKind.RECREDIT,
            hours=-used.hours,
            dossier_id=dossier_id,
            dossier_ref=dossier_ref or used.dossier_ref,
        )
