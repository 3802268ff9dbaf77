"""Delegations get a random token for their addresses (issue 12, L5): added empty, then filled
for the existing rows (0005 makes it unique and required)."""

import secrets

from django.db import migrations, models


def fill_tokens(apps, schema_editor):
    Delegation = apps.get_model("delegations", "Delegation")
    for delegation in Delegation.objects.filter(token__isnull=True).only("pk").iterator():
        Delegation.objects.filter(pk=delegation.pk).update(token=secrets.token_urlsafe(16))


class Migration(migrations.Migration):
    dependencies = [
        ("delegations", "0003_renewal_and_end_statuses"),
    ]

    operations = [
        migrations.AddField(
            model_name="delegation",
            name="token",
            field=models.CharField(editable=False, max_length=32, null=True, verbose_name="jeton"),
        ),
        migrations.RunPython(fill_tokens, migrations.RunPython.noop, elidable=True),
    ]
