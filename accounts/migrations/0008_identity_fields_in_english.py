"""Identity fields in English (issue 11): renames only, so every row keeps its data.

The admin-order indexes follow their columns in the database (PostgreSQL and SQLite rename the
column inside the index), so only the migration state learns their new field names: rebuilding
them would walk the whole titulaire table for nothing.
"""

from django.db import migrations, models

RENAMES = [
    ("civilite", "civility"),
    ("prenom", "first_name"),
    ("nom_naissance", "birth_name"),
    ("telephone_fixe", "landline"),
    ("telephone_portable", "mobile"),
]

ADMIN_ORDER_INDEXES = [
    ("titulaire_admin_order", None),
    ("titulaire_staff_order", models.Q(("is_staff", True))),
    ("titulaire_inactive_order", models.Q(("is_active", False))),
]


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_nir_field"),
    ]

    operations = [
        *(
            migrations.RenameField(model, old, new)
            for model in ("titulaire", "pendingsignup")
            for old, new in RENAMES
        ),
        migrations.RenameField("pendingsignup", "apprenti", "apprentice"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                *(
                    migrations.RemoveIndex(model_name="titulaire", name=name)
                    for name, _condition in ADMIN_ORDER_INDEXES
                ),
                *(
                    migrations.AddIndex(
                        model_name="titulaire",
                        index=models.Index(
                            fields=["birth_name", "first_name", "-id"],
                            condition=condition,
                            name=name,
                        ),
                    )
                    for name, condition in ADMIN_ORDER_INDEXES
                ),
            ]
        ),
    ]
