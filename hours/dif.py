"""The DIF balance: entered by the titulaire (0 to 120 h, even 0), locked once a dossier using
DIF hours is validated; its use is tracked in DifMovement (balance = declared - used +
recredited), written by hours.services.mobilise_dif / recredit_dif with the CPF's movement
function. DIF hours never count toward the CPF accrual ceiling. Re-exported by hours.services,
which is what other apps import."""

import uuid

from django.db import transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Event
from audit.services import record
from cpf_portal.errors import DifError, DifLocked
from hours.locking import lock_account
from hours.models import DifDeclaration, DifMovement

DIF_MAX = 120


def dif_declaration(nir: str) -> DifDeclaration | None:
    return DifDeclaration.objects.filter(nir=nir).first()


def dif_declaration_with_balance(nir: str) -> DifDeclaration | None:
    """The declaration with `moved` (the net hours of its movements, <= 0) read in the same
    query: its balance is `hours + moved`."""
    moved = (
        DifMovement.objects.filter(nir=OuterRef("nir"))
        .order_by()  # the model's ordering would split the sum's GROUP BY
        .values("nir")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return (
        DifDeclaration.objects.filter(nir=nir).annotate(moved=Coalesce(Subquery(moved), 0)).first()
    )


def dif_balance(nir: str) -> int | None:
    """DIF hours available, or None when the titulaire has not entered the DIF balance yet."""
    declaration = dif_declaration_with_balance(nir)
    return None if declaration is None else declaration.hours + declaration.moved


def dif_used(nir: str) -> int:
    return -(DifMovement.objects.filter(nir=nir).aggregate(t=Sum("hours"))["t"] or 0)


def declare_dif(nir, hours, attestation=None, actor=None, *, attestation_ext=None, request=None):
    """Enter or change the DIF balance. `attestation` is an uploaded file already checked by
    hours.forms (its real type in `attestation_ext`: pdf, jpg or png); it is stored under a
    random name in storages["private"]. Refused once the balance is locked."""
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
    with transaction.atomic():
        lock_account(nir)
        declaration = DifDeclaration.objects.select_for_update().filter(nir=nir).first()
        if declaration is not None and not declaration.is_locked:
            declaration.locked_at = timezone.now()
            declaration.save(update_fields=["locked_at"])
    return declaration
