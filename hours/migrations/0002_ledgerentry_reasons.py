from django.db import migrations, models

from hours import accrual


def backfill_reasons(apps, schema_editor):
    """Credits made before the field existed: derive their codes once, from the declaration
    and from the wording accrual.explain() used then."""
    LedgerEntry = apps.get_model("hours", "LedgerEntry")
    credits = LedgerEntry.objects.filter(kind="credit_annuel", reasons="").select_related(
        "declaration"
    )
    for entry in credits:
        declaration = entry.declaration
        if declaration is None:
            continue
        share = accrual.prorata(declaration.hours_worked, declaration.reference_hours)
        codes = [accrual.FULL_TIME if share >= 1 else accrual.PART_TIME]
        if accrual.is_low_qualified_year(declaration.low_qualified, entry.year):
            codes.append(accrual.LOW_QUALIFIED)
        if "palier" in entry.label:
            codes.append(accrual.THRESHOLD_CROSSED)
        if "plafond de" in entry.label:
            codes.append(accrual.CEILING_REACHED)
        # The historical model has none of LedgerEntry's append-only guards.
        LedgerEntry.objects.filter(pk=entry.pk).update(reasons=",".join(codes))


class Migration(migrations.Migration):
    dependencies = [
        ("hours", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="reasons",
            field=models.CharField(blank=True, max_length=100, verbose_name="motifs"),
        ),
        migrations.RunPython(backfill_reasons, migrations.RunPython.noop),
    ]
