"""Fixtures for delegations: two titulaires, emails kept in memory."""

import pytest
from django.utils import timezone

from delegations.models import Delegation, Niveau, Statut


@pytest.fixture(autouse=True)
def _locmem_email(locmem_email):
    """Every delegation test: emails at once, in the outbox."""


@pytest.fixture
def camille(make_titulaire):
    return make_titulaire(prenom="Camille", nom_naissance="Martin", email="camille@exemple.test")


@pytest.fixture
def karim(make_titulaire):
    from accounts.models import Civilite

    return make_titulaire(
        civilite=Civilite.MONSIEUR,
        prenom="Karim",
        nom_naissance="Benali",
        email="karim@exemple.test",
    )


@pytest.fixture
def make_delegation(camille, karim):
    def make(niveau=Niveau.CONSULTATION, statut=Statut.ACCEPTEE, date_fin=None, **fields):
        fields.setdefault("titulaire", camille)
        fields.setdefault("delegataire", karim)
        fields.setdefault("email", fields["delegataire"].email if fields["delegataire"] else "")
        return Delegation.objects.create(
            niveau=niveau,
            statut=statut,
            date_fin=date_fin,
            accepted_at=timezone.now() if statut == Statut.ACCEPTEE else None,
            **fields,
        )

    return make


@pytest.fixture
def karim_client(client, karim):
    client.force_login(karim)
    return client


def act_for(client, delegation):
    """Karim clicks "Consulter ce compte"."""
    from django.urls import reverse

    return client.post(reverse("delegations:act_for", args=[delegation.token]))
