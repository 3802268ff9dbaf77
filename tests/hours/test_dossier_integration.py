"""The hours as the dossiers app uses them: validation debits DIF first and locks the DIF,
cancellation gives the hours back once; "Mon compte d'heures" shows the movements, and hides
a confidential dossier's reference from a delegate."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from delegations.access import ACTING_FOR
from delegations.models import Delegation, Level, Status
from dossiers import services as dossiers
from dossiers.models import ActorRole
from hours import services
from hours.models import LedgerKind
from tests.fixtures.catalogue import make_training

pytestmark = pytest.mark.django_db


def test_validate_then_cancel_a_confidential_dossier(client, make_titulaire, superuser):
    owner, delegate = make_titulaire(), make_titulaire()
    services.add_movement(owner.nir, LedgerKind.ABONDEMENT, 50, "Abondement", None)
    services.declare_dif(owner.nir, 20)
    dossier = dossiers.create_dossier(
        owner,
        make_training("300", duration_hours=60),
        datetime.date(2016, 5, 2),
        60,
        confidential=True,
        actor=owner,
    )
    assert dossier.hours_dif == 20  # DIF used first
    dossiers.submit(dossier, actor=owner)
    dossiers.validate(dossier, actor=superuser)
    assert services.cpf_balance(owner.nir) == 10
    assert services.dif_balance(owner.nir) == 0
    assert services.account_summary(owner).dif_locked

    client.force_login(owner)
    page = html.unescape(client.get(reverse("hours:compte")).content.decode())
    assert dossier.reference in page and "-40 h" in page and "-20 h" in page
    assert "ne peut plus être modifié" in client.get(reverse("hours:dif")).content.decode()

    delegation = Delegation.objects.create(
        titulaire=owner,
        delegate=delegate,
        email=delegate.email,
        level=Level.VIEW,
        status=Status.ACCEPTED,
        accepted_at=timezone.now(),
    )
    client.force_login(delegate)
    session = client.session
    session[ACTING_FOR] = delegation.pk
    session.save()
    page = html.unescape(client.get(reverse("hours:compte")).content.decode())
    # One total for the confidential dossiers: the balance adds up, nothing more is told
    # (no reference, no date, no count of movements).
    assert dossier.reference not in page and "Dossiers confidentiels" in page
    assert "-40 h" in page and "-20 h" in page
    assert page.count("Mobilisation") == 1  # the caption of the table only

    dossiers.cancel(dossier, actor=superuser, role=ActorRole.STAFF)
    services.recredit(owner.nir, dossier.pk, dossier.reference)
    services.recredit_dif(owner.nir, dossier.pk, dossier.reference)
    assert services.cpf_balance(owner.nir) == 50
    assert services.dif_balance(owner.nir) == 20
