"""Who may see or change what, asked of the access object and the QuerySet (issue 11, point 3):
the one place where confidential dossiers are hidden from delegates."""

import pytest

from delegations.access import AccountAccess
from delegations.models import Delegation, Level
from dossiers import services
from dossiers.models import Dossier

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner_with_dossiers(titulaire, training, accord, give_hours):
    give_hours(titulaire.nir, cpf=100, dif=0)
    public = services.create_dossier(titulaire, training, accord, 10, 0, actor=titulaire)
    secret = services.create_dossier(
        titulaire, training, accord, 10, 0, confidential=True, actor=titulaire
    )
    return titulaire, public, secret


def delegate_access(owner, make_titulaire, level):
    delegation = Delegation(titulaire=owner, delegate=make_titulaire(), level=level)
    return AccountAccess(titulaire=owner, delegation=delegation)


def test_the_titulaire_sees_every_dossier_of_the_account(owner_with_dossiers, make_titulaire):
    owner, public, secret = owner_with_dossiers
    other = make_titulaire()
    access = AccountAccess(titulaire=owner)
    assert set(Dossier.objects.visible_to(access)) == {public, secret}
    assert not Dossier.objects.hidden_from(access).exists()
    assert not Dossier.objects.visible_to(AccountAccess(titulaire=other)).exists()


@pytest.mark.parametrize("level", [Level.VIEW, Level.MANAGE])
def test_a_delegate_never_sees_confidential_dossiers(owner_with_dossiers, make_titulaire, level):
    owner, public, secret = owner_with_dossiers
    access = delegate_access(owner, make_titulaire, level)
    assert list(Dossier.objects.visible_to(access)) == [public]
    assert list(Dossier.objects.hidden_from(access)) == [secret]


def test_who_may_manage_dossiers(titulaire, make_titulaire):
    assert AccountAccess(titulaire=titulaire).can_manage_dossiers
    assert not delegate_access(titulaire, make_titulaire, Level.VIEW).can_manage_dossiers
    assert delegate_access(titulaire, make_titulaire, Level.MANAGE).can_manage_dossiers
