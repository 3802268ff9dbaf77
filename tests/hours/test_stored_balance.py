"""HoursAccount.cpf_balance (the admin's sortable balance) always equals the ledger's sum: it is
kept by hours.services in the transaction of every kind of ledger write."""

import io

import pytest
from django.db.models import Sum

from hours import services
from hours.models import HoursAccount, LedgerEntry, LedgerKind

pytestmark = pytest.mark.django_db(transaction=False)


def mismatches() -> dict[str, tuple[int, int]]:
    """{nir: (stored, ledger sum)} for every NIR whose stored balance is not its ledger's sum."""
    sums = dict(LedgerEntry.objects.order_by().values_list("nir").annotate(Sum("hours")))
    stored = dict(HoursAccount.objects.values_list("nir", "cpf_balance"))
    return {
        nir: (stored.get(nir), sums.get(nir, 0))
        for nir in set(sums) | set(stored)
        if stored.get(nir) != sums.get(nir, 0)
    }


def test_every_ledger_writer_keeps_the_stored_balance(nir_factory, row, csv_bytes):
    a, b, c = nir_factory(), nir_factory(), nir_factory()
    services.credit_declarations([row(a, 2015), row(a, 2016, worked=800), row(b, 2015)])
    assert not mismatches()
    services.add_movement(a, LedgerKind.ABONDEMENT, 30, "Abondement", None)
    services.add_movement(b, LedgerKind.CORRECTION, -4, "Correction", None)
    services.add_movement(c, LedgerKind.ABONDEMENT, 7, "Abondement", None)  # a new account
    assert not mismatches()
    services.mobilise(a, 40, dossier_id=1_000_001, dossier_ref="D1")
    services.mobilise(a, 40, dossier_id=1_000_001, dossier_ref="D1")  # once per dossier
    assert not mismatches()
    services.recredit(a, 1_000_001, "D1")
    services.recredit(a, 1_000_001, "D1")
    assert not mismatches()
    data = csv_bytes(f"{b};2016;1607;;0", f"{c};2017;1607;;1", f"{c};2017;300;;1")
    for _ in range(2):  # the second import is idempotent: nothing credited twice
        report = services.import_declarations(io.BytesIO(data), "f.csv", None)
        assert report.ok, report.errors
    assert not mismatches()
    assert HoursAccount.objects.get(nir=a).cpf_balance == services.cpf_balance(a) > 0


def test_a_refused_write_changes_no_stored_balance(nir_factory, row, csv_bytes):
    a = nir_factory()
    services.credit_declarations([row(a, 2015)])
    before = HoursAccount.objects.get(nir=a).cpf_balance
    with pytest.raises(services.InsufficientHours):
        services.mobilise(a, before + 1, dossier_id=1_000_002, dossier_ref="D2")
    with pytest.raises(services.InsufficientHours):
        services.add_movement(a, LedgerKind.CORRECTION, -(before + 1), "Trop", None)
    bad = csv_bytes(f"{a};2016;1607;;0", "123;2016;1607;;0")  # one bad row: nothing imported
    assert not services.import_declarations(io.BytesIO(bad), "f.csv", None).ok
    assert HoursAccount.objects.get(nir=a).cpf_balance == before
    assert not mismatches()
