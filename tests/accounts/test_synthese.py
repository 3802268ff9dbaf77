"""mon CompteFormation: the synthesis page (hours summary, dossier counts, delegates)."""

from datetime import date

import pytest
from django.urls import reverse

from delegations.access import ACTING_FOR
from delegations.models import Delegation, Level, Status
from dossiers import transitions
from dossiers.models import Dossier
from tests.fixtures.catalogue import make_training

pytestmark = pytest.mark.django_db

SYNTHESE = reverse("accounts:synthese")


def make_dossier(titulaire, status, n, confidential=False):
    training = make_training(code=f"9{n:03d}")
    return Dossier.objects.create(
        reference=f"DOS-{n:06d}",
        titulaire=titulaire,
        training=training,
        nir=titulaire.nir,
        agreement_date=date(2016, 3, 1),
        hours_total=20,
        hours_cpf=20,
        confidential=confidential,
        status=status,
    )


def text(response):
    return response.content.decode().replace("&#x27;", "'")


def test_login_required(client):
    response = client.get(SYNTHESE)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_no_credit_and_no_dif_yet(logged_client, titulaire, summary):
    response = logged_client.get(SYNTHESE)
    html = text(response)
    assert response.status_code == 200
    assert html.count("<h1") == 1 and "Synthèse de votre compte" in html
    assert 'aria-current="page"' in html
    assert "Heures du compte personnel" in html and "Heures CPF disponibles" in html
    assert "ne sera alimenté qu'à partir du mois de mars 2016" in html
    assert "fin du premier trimestre qui suit l'année travaillée" in html
    assert "Heures DIF non renseignées" in html
    assert "(même si celui-ci est à 0)" in html
    assert "Dossiers en cours" in html and "Dossiers clos" in html
    assert summary.asked == [titulaire]
    assert 'href="#"' not in html and "style=" not in html


def test_dif_link_goes_to_the_dif_page(logged_client, summary):
    from django.urls import NoReverseMatch

    try:
        target = reverse("hours:dif")
    except NoReverseMatch:  # the hours app has not published its DIF page yet
        target = reverse("hours:compte")
    assert f'<a href="{target}">ici</a>' in text(logged_client.get(SYNTHESE))


def test_balances_when_known(logged_client, summary):
    summary.has_cpf_credits, summary.cpf_balance = True, 48
    summary.dif_declared, summary.dif_balance = True, 0
    html = text(logged_client.get(SYNTHESE))
    assert '<span class="big-number">48</span> heures' in html
    assert "Heures DIF disponibles" in html and '<span class="big-number">0</span>' in html
    assert "non renseignées" not in html and "ne sera alimenté" not in html


def test_dossier_counts(logged_client, titulaire, make_titulaire, summary):
    open_status = sorted(transitions.OPEN_STATUSES)[0]
    closed_status = sorted(transitions.CLOSED_STATUSES)[0]
    make_dossier(titulaire, open_status, 1)
    make_dossier(titulaire, open_status, 2, confidential=True)
    make_dossier(titulaire, closed_status, 3)
    make_dossier(make_titulaire(), open_status, 4)  # someone else's
    html = text(logged_client.get(SYNTHESE))
    assert "2 dossiers de formation en cours" in html
    assert "1 dossier de formation clos" in html
    assert reverse("dossiers:list") in html


def test_a_delegate_sees_the_delegated_account_without_confidential_dossiers(
    client, make_titulaire, summary
):
    owner, delegate = make_titulaire(), make_titulaire()
    open_status = sorted(transitions.OPEN_STATUSES)[0]
    make_dossier(owner, open_status, 1)
    make_dossier(owner, open_status, 2, confidential=True)
    delegation = Delegation.objects.create(
        titulaire=owner, delegate=delegate, level=Level.VIEW, status=Status.ACCEPTED
    )
    client.force_login(delegate)
    session = client.session
    session[ACTING_FOR] = delegation.pk
    session.save()
    html = text(client.get(SYNTHESE))
    assert summary.asked == [owner]
    assert "1 dossier de formation en cours" in html
    assert "Le titulaire n'a pas encore renseigné" in html


def test_with_the_real_hours_summary(logged_client):
    """No monkeypatch: the page works with hours.services.account_summary as it is."""
    response = logged_client.get(SYNTHESE)
    html = text(response)
    assert response.status_code == 200
    assert "Heures CPF disponibles" in html
    assert "Heures DIF" in html
