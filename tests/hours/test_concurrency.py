"""Two dossiers mobilising the same NIR at the same time: the per-NIR lock lets only one through
when the balance covers one. Real threads, on PostgreSQL (row locks) and SQLite (IMMEDIATE
transactions)."""

import threading

import pytest
from django.db import close_old_connections, connection, transaction

from hours import services
from hours.models import LedgerEntry, LedgerKind


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_mobilisations_only_one_succeeds(nir_factory, row):
    nir = nir_factory()
    services.credit_declarations([row(nir, 2015), row(nir, 2016)])  # 48 h
    barrier = threading.Barrier(2)
    results = {}

    def attempt(dossier_id):
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                services.mobilise(nir, 40, dossier_id, f"DOS-{dossier_id}")
            results[dossier_id] = "ok"
        except services.InsufficientHours:
            results[dossier_id] = "refused"
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in (101, 102)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results.values()) == ["ok", "refused"]
    assert services.cpf_balance(nir) == 8
    assert LedgerEntry.objects.filter(nir=nir, kind=LedgerKind.MOBILISATION).count() == 1


@pytest.mark.parametrize(
    "lines",
    [
        ["{nir};2016;1607;;", "{nir};2017;1607;;"],
        ["{nir};2016;803.5;;", "{nir};2017;1607;;", "{nir};2016;803.5;;"],  # two employers
    ],
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_imports_of_the_same_file_credit_once(nir_factory, csv_bytes, lines):
    nir = nir_factory()
    data = csv_bytes(*(line.format(nir=nir) for line in lines))
    barrier = threading.Barrier(2)
    errors = []

    def attempt():
        try:
            barrier.wait(timeout=10)
            services.import_declarations(data, "dads.csv")
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert services.cpf_balance(nir) == 48
    assert LedgerEntry.objects.filter(nir=nir, kind=LedgerKind.CREDIT_ANNUEL).count() == 2
    assert len(errors) <= 1  # the loser may hit the unique constraint, never double-credit


@pytest.mark.django_db(transaction=True)
def test_an_import_waits_for_a_mobilisation_in_progress_and_credits_on_what_it_left(
    nir_factory, csv_bytes
):
    """The bulk import locks every NIR of its file before it reads a balance: a mobilisation
    not yet committed makes it wait, and the year is credited on the balance after it (30 h:
    24 h below the 120 h step), not on the one before (130 h: 12 h above it)."""
    nir = nir_factory()
    services.add_movement(nir, "correction", 130, "Reprise d'heures", None)
    locked, release = threading.Event(), threading.Event()
    done = {}

    def mobilisation():
        try:
            with transaction.atomic():
                services.mobilise(nir, 100, 501, "DOS-501")
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def importer():
        try:
            locked.wait(timeout=10)
            done["report"] = services.import_declarations(csv_bytes(f"{nir};2016;1607;;"), "a")
        finally:
            connection.close()

    threads = [threading.Thread(target=mobilisation), threading.Thread(target=importer)]
    for thread in threads:
        thread.start()
    assert locked.wait(timeout=10)
    threads[1].join(timeout=1)
    assert threads[1].is_alive(), "the import must wait for the NIR's lock"
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert done["report"].ok and done["report"].hours_credited == 24
    assert services.cpf_balance(nir) == 130 - 100 + 24
