"""The "Opérateurs" group (data migrations): see and decide dossiers; nothing more."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from dossiers import services, transitions

pytestmark = pytest.mark.django_db


def test_group_permissions():
    group = Group.objects.get(name="Opérateurs")
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert codenames == {"view_dossier", "change_dossier"}


def test_operator_can_decide_but_not_touch_the_rest(
    operateur_client, titulaire, training, accord, give_hours
):
    give_hours(titulaire.nir, cpf=100)
    dossier = services.create_dossier(titulaire, training, accord, 30, actor=titulaire)
    services.submit(dossier, actor=titulaire)
    changelist = operateur_client.get(reverse("admin:dossiers_dossier_changelist"))
    assert changelist.status_code == 200
    assert "action_validate" in changelist.content.decode()
    operateur_client.post(
        reverse("admin:dossiers_dossier_changelist"),
        {"action": "action_validate", "_selected_action": [dossier.pk]},
    )
    dossier.refresh_from_db()
    assert dossier.status == transitions.VALIDATED
    # The dossier's page shows what deciding needs: the training and the history, as text.
    page = operateur_client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert training.cpf_code in html and training.provider in html
    assert "Validé" in html and "En attente de validation" in html and "Dossier créé" in html
    assert reverse("admin:accounts_titulaire_changelist") not in html  # no link to accounts
    for name in ("catalogue_training_changelist", "catalogue_training_add"):
        assert operateur_client.get(reverse(f"admin:{name}")).status_code == 403
    assert operateur_client.get(reverse("admin:catalogue_training_import")).status_code == 302
    assert operateur_client.get(reverse("admin:accounts_titulaire_changelist")).status_code == 403


def test_ensure_operators_group_rebuilds_what_the_migration_made():
    from dossiers.groups import ensure_operators_group

    migrated = Group.objects.get(name="Opérateurs")
    expected = set(migrated.permissions.values_list("codename", flat=True))
    migrated.delete()
    rebuilt = ensure_operators_group()
    assert set(rebuilt.permissions.values_list("codename", flat=True)) == expected
    assert ensure_operators_group().pk == rebuilt.pk  # idempotent


def test_decisions_from_the_dossier_page(operateur_client, titulaire, training, accord, give_hours):
    give_hours(titulaire.nir, cpf=100)
    dossier = services.create_dossier(titulaire, training, accord, 30, actor=titulaire)
    change = reverse("admin:dossiers_dossier_change", args=[dossier.pk])
    # Being prepared by the titulaire: nothing for staff to decide but cancelling.
    html = operateur_client.get(change).content.decode()
    assert 'value="action_cancel"' in html and 'value="action_validate"' not in html
    assert 'name="_save"' not in html  # the page is read-only
    services.submit(dossier, actor=titulaire)
    html = operateur_client.get(change).content.decode()
    for action in ("action_validate", "action_refuse", "action_cancel"):
        assert f'value="{action}"' in html
    response = operateur_client.post(
        reverse("admin:dossiers_dossier_changelist"),
        {"action": "action_validate", "_selected_action": dossier.pk},
        follow=True,
    )
    assert "dossier validé" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == transitions.VALIDATED
    html = operateur_client.get(change).content.decode()
    assert 'value="action_close"' in html and 'value="action_validate"' not in html
