import io

import pytest

from catalogue import demo_data as catalogue_demo
from dossiers import demo_data, transitions
from dossiers.models import Dossier
from hours import services as hours_services

pytestmark = pytest.mark.django_db


def test_camille_has_a_dossier_in_each_status_and_a_consistent_ledger():
    from demo.seeding import seed_accounts

    accounts = seed_accounts()
    catalogue_demo.seed(io.StringIO(), accounts)
    demo_data.seed(io.StringIO(), accounts)
    camille = accounts["camille"]
    dossiers = Dossier.objects.for_titulaire(camille)
    assert set(dossiers.values_list("status", flat=True)) == set(transitions.STATUSES)
    debited = [d for d in dossiers if d.hours_debited]
    assert {d.status for d in debited} == {transitions.VALIDATED, transitions.CLOSED}
    cpf = hours_services.cpf_balance(camille.nir)
    dif = hours_services.dif_balance(camille.nir)
    assert cpf >= 0 and dif >= 0

    out = io.StringIO()
    demo_data.seed(out, accounts)  # idempotent
    assert "déjà présents" in out.getvalue()
    assert Dossier.objects.for_titulaire(camille).count() == len(transitions.STATUSES)
    assert hours_services.cpf_balance(camille.nir) == cpf
