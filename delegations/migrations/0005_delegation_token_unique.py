"""The delegation token, filled for every row by 0004: unique and required from now on. A
migration of its own: PostgreSQL refuses to alter a table in the transaction that updated it."""

from django.db import migrations, models

import delegations.models


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0004_delegation_token"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delegation",
            name="token",
            field=models.CharField(
                default=delegations.models.new_token,
                editable=False,
                max_length=32,
                unique=True,
                verbose_name="jeton",
            ),
        ),
    ]
