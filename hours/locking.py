"""The per-NIR lock row and the errors shared by the CPF and DIF services."""

from django.db import IntegrityError, transaction

from accounts import nir as nir_rules
from hours.models import HoursAccount


class HoursError(Exception):
    """A change of hours refused; str(exc) is a French message for the user."""


class InsufficientHours(HoursError):
    pass


class DifError(HoursError):
    pass


class DifLocked(DifError):
    pass


def lock_account(nir: str) -> HoursAccount:
    """Create the NIR's HoursAccount row if needed, then lock it until the end of the current
    transaction (call inside transaction.atomic())."""
    nir = nir_rules.normalize_nir(nir)
    if not HoursAccount.objects.filter(nir=nir).exists():
        try:
            with transaction.atomic():
                HoursAccount.objects.create(nir=nir)
        except IntegrityError:
            pass  # created by a concurrent request meanwhile
    return HoursAccount.objects.select_for_update().get(nir=nir)
