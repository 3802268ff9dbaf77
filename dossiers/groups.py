"""The "Opérateurs" group: staff of OPCA, Pôle emploi, CEP operators who decide on dossiers in the
admin. Migration 0002 creates it; `ensure_operators_group()` recreates it where a database was
emptied since (a test database flushed between tests, a demo reset)."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

OPERATORS_GROUP = "Opérateurs"
# Keep in step with migrations/0002_groupe_operateurs.py (a migration keeps its own frozen copy).
# Dossiers only: their admin page shows the training and the history itself (migration 0004).
OPERATORS_PERMISSIONS = [
    ("dossiers", "view_dossier"),
    ("dossiers", "change_dossier"),
]


def ensure_operators_group() -> Group:
    group, _created = Group.objects.get_or_create(name=OPERATORS_GROUP)
    query = Q()
    for app_label, codename in OPERATORS_PERMISSIONS:
        query |= Q(content_type__app_label=app_label, codename=codename)
    group.permissions.set(Permission.objects.filter(query))
    return group
