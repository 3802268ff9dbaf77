"""Data migrations of the hours app, run on rows made with the historical models."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

pytestmark = pytest.mark.django_db

BACKFILL = "0004_backfill_above_step"


def historical_apps(name):
    return MigrationLoader(connection).project_state(("hours", name)).apps


def test_backfill_above_step(nir_factory):
    apps = historical_apps("0003_declarations_per_employer")
    LedgerEntry = apps.get_model("hours", "LedgerEntry")
    Declaration = apps.get_model("hours", "EmployerDeclaration")

    def credit(nir, year, hours, reasons, low=False):
        declaration = Declaration.objects.create(
            nir=nir, year=year, hours_worked=1607, low_qualified=low
        )
        return LedgerEntry.objects.create(
            nir=nir,
            kind="credit_annuel",
            hours=hours,
            year=year,
            declaration=declaration,
            reasons=reasons,
        )

    above, below, low = nir_factory(), nir_factory(), nir_factory()
    LedgerEntry.objects.create(nir=above, kind="correction", hours=120)
    at_120 = credit(above, 2015, 12, "full_time")
    at_132 = credit(above, 2016, 12, "part_time")
    at_144 = credit(above, 2017, 6, "full_time,ceiling_reached")
    under = credit(below, 2015, 24, "full_time")
    LedgerEntry.objects.create(nir=below, kind="correction", hours=100)
    crossed = credit(below, 2016, 17, "full_time,threshold_crossed")
    LedgerEntry.objects.create(nir=low, kind="correction", hours=130)
    low_qualified = credit(low, 2017, 48, "full_time,low_qualified", low=True)

    migration = importlib.import_module(f"hours.migrations.{BACKFILL}")
    migration.backfill_above_step(apps, None)
    migration.backfill_above_step(apps, None)  # twice: nothing more

    def reasons(entry):
        return LedgerEntry.objects.get(pk=entry.pk).reasons

    assert reasons(at_120) == "full_time,above_step"
    assert reasons(at_132) == "part_time,above_step"
    assert reasons(at_144) == "full_time,above_step,ceiling_reached"
    assert reasons(under) == "full_time"
    assert reasons(crossed) == "full_time,threshold_crossed"
    assert reasons(low_qualified) == "full_time,low_qualified"
    assert LedgerEntry.objects.get(pk=at_120.pk).hours == 12  # only the reasons change
