"""The per-NIR lock row and the errors shared by the CPF and DIF services."""

from django.db import IntegrityError, connection, transaction

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


def lock_accounts(nirs: list[str]) -> None:
    """lock_account for many NIRs at once (normalised, sorted): create the missing rows, then
    lock them all until the end of the current transaction. Callers lock in ascending NIR
    order across calls, so two bulk imports cannot deadlock; a mobilisation locks one NIR."""
    if connection.vendor == "postgresql":
        # One statement each instead of a model instance per NIR.
        table = HoursAccount._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (nir, created_at) SELECT unnest(%s::varchar[]), now() "
                "ON CONFLICT (nir) DO NOTHING",
                [nirs],
            )
            cursor.execute(
                f"SELECT 1 FROM {table} WHERE nir = ANY(%s) ORDER BY nir FOR UPDATE",  # noqa: S608 - the model's table
                [nirs],
            )
        return
    HoursAccount.objects.bulk_create([HoursAccount(nir=nir) for nir in nirs], ignore_conflicts=True)
    list(
        HoursAccount.objects.select_for_update()
        .filter(nir__in=nirs)
        .order_by("nir")
        .values_list("pk", flat=True)
    )
