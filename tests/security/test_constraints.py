"""Issue 4, point 10: database constraints back the rules that must never break, even when code
bypasses forms and services (each write below expects IntegrityError)."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import PendingSignup, Titulaire
from dossiers.models import Dossier
from hours.models import DifDeclaration, LedgerEntry

pytestmark = pytest.mark.django_db


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_account_per_nir(titulaire):
    refused(lambda: Titulaire.objects.create(nir=titulaire.nir, email="autre@exemple.test"))


def test_pending_signups_of_one_nir_never_share_a_link(nir_factory):
    """Several signups may wait for one NIR (issue 12, H1: none cancels another); each link's
    token is unique, and the account the first confirmation creates is unique by NIR
    (test_one_account_per_nir)."""
    nir = nir_factory()
    now = timezone.now()

    def make(token):
        return PendingSignup.objects.create(
            nir=nir,
            civility="MME" if nir[0] == "2" else "M",
            first_name="Camille",
            birth_name="Martin",
            email="c@exemple.test",
            password_hash="x",
            token_hash=token,
            created_at=now,
            expires_at=now + datetime.timedelta(days=15),
            last_sent_at=now,
        )

    make("a" * 64)
    make("b" * 64)
    refused(lambda: make("b" * 64))


@pytest.mark.parametrize("hours", [121, 500])
def test_dif_balance_at_most_120(nir_factory, hours):
    refused(lambda: DifDeclaration.objects.create(nir=nir_factory(), hours=hours))


def test_dif_balance_not_negative(nir_factory):
    row = DifDeclaration.objects.create(nir=nir_factory(), hours=120)
    refused(lambda: DifDeclaration.objects.filter(pk=row.pk).update(hours=-1))
    refused(lambda: DifDeclaration.objects.create(nir=row.nir, hours=10))  # one per NIR


@pytest.mark.parametrize(
    "change",
    [
        {"hours_cpf": -5, "hours_total": 25, "hours_dif": 30},
        {"hours_dif": -1, "hours_cpf": 31},
        {"hours_total": 0, "hours_cpf": 0},
        {"hours_total": 40},  # not DIF + CPF
        {"status": "n_importe_quoi"},
        {"hours_debited": True},  # debited while not validated
    ],
)
def test_dossier_hours_never_negative_nor_inconsistent(dossier, change):
    refused(lambda: Dossier.objects.filter(pk=dossier.pk).update(**change))


def test_one_mobilisation_per_dossier(titulaire):
    def debit():
        return LedgerEntry.objects.create(
            nir=titulaire.nir, kind="mobilisation", hours=-10, dossier_id=42
        )

    debit()
    refused(debit)


def test_mobilisation_is_a_debit(titulaire):
    refused(
        lambda: LedgerEntry.objects.create(
            nir=titulaire.nir, kind="mobilisation", hours=10, dossier_id=43
        )
    )
