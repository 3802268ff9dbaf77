import datetime

import pytest

from tests.catalogue.factories import make_training


@pytest.fixture
def superuser_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def staff(make_titulaire):
    return make_titulaire(
        prenom="Alex", nom_naissance="Opérateur", is_staff=True, is_superuser=True
    )


@pytest.fixture
def training(db):
    return make_training("300", duree_heures=60)


@pytest.fixture
def give_hours():
    """Give a NIR CPF hours (credited) and a DIF balance (entered), through hours.services."""
    from tests.dossiers.hours_helpers import give

    return give


@pytest.fixture
def accord():
    return datetime.date(2016, 5, 2)
