"""Several employers' declarations for one NIR and year: the declaration table loses its
unique (nir, year); the ledger's guard against a double credit becomes one annual credit per
NIR and year (it was per declaration). Longer labels for the credits' explanations."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hours", "0002_ledgerentry_reasons"),
    ]

    operations = [
        # The new guard first, so a year is never without one. Existing data satisfies it: a
        # year had a single declaration, so a single credit.
        migrations.AddConstraint(
            model_name="ledgerentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "credit_annuel")),
                fields=("nir", "year"),
                name="ledger_one_annual_credit_per_nir_year",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="ledgerentry",
            name="ledger_one_annual_credit_per_declaration",
        ),
        migrations.RemoveConstraint(
            model_name="employerdeclaration",
            name="declaration_one_per_nir_year",
        ),
        migrations.AddIndex(
            model_name="employerdeclaration",
            index=models.Index(fields=["nir", "year"], name="hours_declaration_nir_year"),
        ),
        migrations.AlterField(
            model_name="ledgerentry",
            name="label",
            field=models.CharField(blank=True, max_length=500, verbose_name="libellé"),
        ),
    ]
