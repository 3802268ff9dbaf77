"""With real threads, on PostgreSQL and SQLite: validating and cancelling one dossier at the same
moment leaves the hours right (debited once then re-credited, or never debited)."""

import threading

import pytest

from dossiers import services, transitions
from dossiers.models import ActorRole, Dossier
from hours import services as hours_services

pytestmark = [pytest.mark.django_db(transaction=True)]


def run_together(*functions):
    barrier = threading.Barrier(len(functions))
    outcomes = [None] * len(functions)

    def worker(index, function):
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            function()
            outcomes[index] = "ok"
        except services.DossierError as exc:
            outcomes[index] = exc.message
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.parametrize("repeat", range(3))
def test_validate_and_cancel_at_once(titulaire, superuser, training, accord, give_hours, repeat):
    give_hours(titulaire.nir, cpf=100, dif=30)
    dossier = services.create_dossier(titulaire, training, accord, 50, actor=titulaire)
    services.submit(dossier, actor=titulaire)
    outcomes = run_together(
        lambda: services.validate(dossier, actor=superuser),
        lambda: services.cancel(dossier, actor=superuser, role=ActorRole.STAFF),
    )
    assert outcomes[1] == "ok"  # cancel always wins in the end (before or after validation)
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.status == transitions.CANCELLED and not dossier.hours_debited
    assert hours_services.cpf_balance(titulaire.nir) == 100
    assert hours_services.dif_balance(titulaire.nir) == 30


def test_two_validations_at_once_debit_once(titulaire, superuser, training, accord, give_hours):
    give_hours(titulaire.nir, cpf=100)
    dossier = services.create_dossier(titulaire, training, accord, 60, actor=titulaire)
    services.submit(dossier, actor=titulaire)
    outcomes = run_together(
        lambda: services.validate(dossier, actor=superuser),
        lambda: services.validate(dossier, actor=superuser),
    )
    assert sorted(o == "ok" for o in outcomes) == [False, True]
    assert hours_services.cpf_balance(titulaire.nir) == 40
