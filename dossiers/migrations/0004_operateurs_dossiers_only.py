"""The "Opérateurs" group may only see and decide dossiers: the catalogue and the history model
leave its permissions (the dossier's admin page shows its training and history itself)."""

from django.db import migrations

GROUP = "Opérateurs"
REMOVED = [("dossiers", "view_dossierevent"), ("catalogue", "view_training")]


def _permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return [
        permission
        for app_label, codename in REMOVED
        for permission in Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        )
    ]


def dossiers_only(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


def as_before(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group is not None:
        group.permissions.add(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0003_accord_after_cpf_start")]

    operations = [migrations.RunPython(dossiers_only, as_before)]
