"""The per-NIR lock row and the errors shared by the CPF and DIF services."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hours.models import HoursAccount
from hours.staging import TABLE


def lock_account(nir: str) -> HoursAccount:
    """Create the NIR's HoursAccount row if needed, then lock it until the end of the current
    transaction (call inside transaction.atomic())."""
    if not HoursAccount.objects.filter(nir=nir).exists():
        try:
            with transaction.atomic():
                HoursAccount.objects.create(nir=nir)
        except IntegrityError:
            pass  # created by a concurrent request meanwhile
    return HoursAccount.objects.select_for_update().get(nir=nir)


def lock_staged_accounts() -> None:
    """lock_account for every NIR of the import's staging table (hours.staging): create the
    missing rows, then lock them all, in bytewise NIR order, until the end of the current
    transaction. Two bulk imports lock in the same order, so they cannot deadlock; a
    mobilisation locks one NIR. Call before reading any balance of these NIRs."""

    accounts = HoursAccount._meta.db_table
    now = timezone.now()  # real clock: when the row was created
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # SQLite: the IMMEDIATE transaction already holds the database's write lock.
            cursor.execute(
                f"INSERT OR IGNORE INTO {accounts} (nir, created_at) "  # noqa: S608 - model tables
                f"SELECT DISTINCT nir, %s FROM {TABLE}",
                [connection.ops.adapt_datetimefield_value(now)],
            )
            return
        cursor.execute(
            # In NIR order too: an insert waits on another import's uncommitted row for the
            # same NIR, and waiting in one order cannot deadlock.
            f"INSERT INTO {accounts} (nir, created_at) SELECT s.nir, %s "  # noqa: S608
            f"FROM (SELECT DISTINCT nir FROM {TABLE}) s "
            f"WHERE NOT EXISTS (SELECT 1 FROM {accounts} a WHERE a.nir = s.nir) "
            'ORDER BY s.nir COLLATE "C" ON CONFLICT (nir) DO NOTHING',
            [now],
        )
        cursor.execute(
            f"SELECT count(*) FROM (SELECT 1 FROM {accounts} WHERE nir IN "  # noqa: S608
            f'(SELECT nir FROM {TABLE}) ORDER BY nir COLLATE "C" FOR UPDATE) locked'
        )
