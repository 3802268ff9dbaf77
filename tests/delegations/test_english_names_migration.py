"""The delegations' and dossiers' fields got English names (delegations 0006, dossiers 0007):
the rows made under the French names keep every value, and the database constraints still
hold."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from delegations.models import Delegation, Level, Status
from dossiers.models import Dossier

BEFORE = [
    ("delegations", "0005_delegation_token_unique"),
    ("dossiers", "0006_nir_field"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_renamed_fields_keep_their_data(make_titulaire, training):
    old = migrate(BEFORE)
    OldDelegation = old.get_model("delegations", "Delegation")
    OldDossier = old.get_model("dossiers", "Dossier")
    a = make_titulaire(email="a@ex.test")
    b = make_titulaire(email="b@ex.test")
    end = datetime.date(2016, 6, 30)
    delegation = OldDelegation.objects.create(
        titulaire_id=a.pk,
        delegataire_id=b.pk,
        email=b.email,
        niveau="gestion",
        statut="acceptee",
        date_fin=end,
        token="t" * 22,
    )
    dossier = OldDossier.objects.create(
        reference="DOS-2016-000001",
        titulaire_id=a.pk,
        training_id=training.pk,
        nir=a.nir,
        date_accord=datetime.date(2016, 5, 2),
        date_debut=datetime.date(2016, 6, 1),
        date_fin=end,
        hours_total=20,
        hours_cpf=20,
        hours_dif=0,
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = Delegation.objects.get(pk=delegation.pk)
    assert (moved.delegate_id, moved.level, moved.status, moved.end_date) == (
        b.pk,
        Level.MANAGE,
        Status.ACCEPTED,
        end,
    )
    kept = Dossier.objects.get(pk=dossier.pk)
    assert (kept.agreement_date, kept.start_date, kept.end_date) == (
        datetime.date(2016, 5, 2),
        datetime.date(2016, 6, 1),
        end,
    )
    # The constraints were dropped and made again on the new columns.
    with pytest.raises(IntegrityError), transaction.atomic():
        Delegation.objects.filter(pk=delegation.pk).update(status="inconnu")
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(start_date=datetime.date(2016, 7, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(agreement_date=datetime.date(2014, 12, 31))
