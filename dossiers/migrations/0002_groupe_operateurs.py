"""The "Opérateurs" group: staff of OPCA, Pôle emploi, CEP who decide on dossiers in the admin.
They may view dossiers and trainings and use the decision actions (which need change_dossier);
nothing on the titulaires' personal data (the dossier admin shows the NIR masked)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Opérateurs"
PERMISSIONS = [
    ("dossiers", "view_dossier"),
    ("dossiers", "change_dossier"),
    ("dossiers", "view_dossierevent"),
    ("catalogue", "view_training"),
]


def create_group(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_label in ("dossiers", "catalogue"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=GROUP)
    for app_label, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0001_initial"),
        ("catalogue", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
