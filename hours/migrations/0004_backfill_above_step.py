from django.db import migrations

# Frozen copies of hours.accrual's values: this migration must keep meaning what it meant.
STEP = 120
ABOVE_STEP = "above_step"
CEILING_REACHED = "ceiling_reached"
NO_STEP = {"low_qualified", "threshold_crossed"}


def backfill_above_step(apps, schema_editor):
    """Credits made before the code existed: a standard year that started at 120 h or more
    was credited at 12 h a year. The balance before each credit is the sum of the NIR's
    earlier movements (movements of one NIR are written one after another under its lock, so
    the primary key gives their order). Only `reasons` is filled in; hours and labels stay."""
    LedgerEntry = apps.get_model("hours", "LedgerEntry")
    credits = LedgerEntry.objects.filter(kind="credit_annuel").exclude(
        reasons__contains=ABOVE_STEP
    )
    for entry in list(credits):  # not iterator(): SQLite reads and writes one table here
        codes = [code for code in entry.reasons.split(",") if code]
        if not codes or NO_STEP & set(codes):
            continue
        earlier = LedgerEntry.objects.filter(nir=entry.nir, pk__lt=entry.pk)
        balance = sum(earlier.values_list("hours", flat=True))
        if balance < STEP:
            continue
        # Keep explain()'s order: the step reason comes before the ceiling.
        at = codes.index(CEILING_REACHED) if CEILING_REACHED in codes else len(codes)
        codes.insert(at, ABOVE_STEP)
        # The historical model has none of LedgerEntry's append-only guards.
        LedgerEntry.objects.filter(pk=entry.pk).update(reasons=",".join(codes))


class Migration(migrations.Migration):
    dependencies = [
        ("hours", "0003_declarations_per_employer"),
    ]

    operations = [
        migrations.RunPython(backfill_above_step, migrations.RunPython.noop),
    ]
