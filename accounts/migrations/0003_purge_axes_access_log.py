"""The axes access log stored the NIR in clear at each successful login until it was disabled
(settings.AXES_DISABLE_ACCESS_LOG): delete what it holds."""

from django.db import migrations


def purge(apps, schema_editor):
    apps.get_model("axes", "AccessLog").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_signuptokentrace"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(purge, migrations.RunPython.noop)]
