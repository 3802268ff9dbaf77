"""Rights of a delegate: what each level lets them see and do, and everything else refused."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from delegations import services
from delegations.access import ACTING_FOR
from delegations.models import Level, Status
from tests.fixtures.catalogue import make_training
from tests.fixtures.delegations import act_for

pytestmark = pytest.mark.django_db

SYNTHESE = reverse("accounts:synthese")
OWN_ONLY = [
    ("accounts:informations", "get"),
    ("accounts:phones", "get"),
    ("accounts:phones", "post"),
    ("accounts:email", "get"),
    ("accounts:email", "post"),
    ("accounts:password_change", "get"),
    ("accounts:password_change", "post"),
    ("delegations:list", "get"),
    ("delegations:list", "post"),
]


@pytest.fixture
def make_dossier(db):
    from dossiers.models import Dossier

    training = make_training()

    def make(titulaire, reference, confidential=False):
        return Dossier.objects.create(
            reference=reference,
            titulaire=titulaire,
            training=training,
            nir=titulaire.nir,
            agreement_date=timezone.localdate(),
            hours_total=10,
            hours_dif=0,
            hours_cpf=10,
            confidential=confidential,
        )

    return make


def test_consulter_shows_the_synthesis_with_the_banner(karim_client, make_delegation):
    delegation = make_delegation()
    response = act_for(karim_client, delegation)
    assert response.status_code == 302 and response.url == SYNTHESE
    html = karim_client.get(SYNTHESE).content.decode()
    assert "Vous consultez le compte de <strong>Camille Martin</strong>" in html
    assert "Droits : Consultation." in html
    assert "Revenir à mon compte" in html
    # The menu hides what a delegate may not use.
    assert f'href="{reverse("accounts:informations")}"' not in html
    assert f'href="{reverse("delegations:list")}"' not in html


def test_revenir_a_mon_compte(karim_client, make_delegation):
    act_for(karim_client, make_delegation())
    response = karim_client.post(reverse("delegations:stop"))
    assert response.status_code == 302
    assert ACTING_FOR not in karim_client.session
    assert "Vous consultez le compte" not in karim_client.get(SYNTHESE).content.decode()


@pytest.mark.parametrize(("name", "method"), OWN_ONLY)
@pytest.mark.parametrize("level", [Level.VIEW, Level.MANAGE])
def test_delegates_never_reach_own_account_pages(
    karim_client, make_delegation, name, method, level
):
    act_for(karim_client, make_delegation(level=level))
    response = getattr(karim_client, method)(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "name", ["delegations:accept", "delegations:decline", "delegations:revoke"]
)
def test_delegate_cannot_handle_delegations_while_acting(karim_client, make_delegation, name):
    delegation = make_delegation()
    act_for(karim_client, delegation)
    assert karim_client.post(reverse(name, args=[delegation.token])).status_code == 403
    delegation.refresh_from_db()
    assert delegation.status == Status.ACCEPTED


def test_dif_page_refused_to_delegates_if_it_exists(karim_client, make_delegation):
    from django.urls import NoReverseMatch

    try:
        url = reverse("hours:dif")
    except NoReverseMatch:
        pytest.skip("hours:dif not built yet")
    act_for(karim_client, make_delegation(level=Level.MANAGE))
    assert karim_client.get(url).status_code == 403
    assert karim_client.post(url, {"heures": "100"}).status_code == 403


def test_confidential_dossiers_hidden_from_delegates(
    karim_client, make_delegation, make_dossier, camille
):
    make_dossier(camille, "D-VISIBLE")
    secret = make_dossier(camille, "D-SECRET", confidential=True)
    act_for(karim_client, make_delegation(level=Level.MANAGE))
    listing = karim_client.get(reverse("dossiers:list")).content.decode()
    assert "D-VISIBLE" in listing and "D-SECRET" not in listing
    detail = karim_client.get(reverse("dossiers:detail", args=[secret.reference]))
    assert detail.status_code == 404
    assert karim_client.get(reverse("dossiers:detail", args=["D-VISIBLE"])).status_code == 200


def test_consultation_cannot_change_dossiers(karim_client, make_delegation, make_dossier, camille):
    dossier = make_dossier(camille, "D-1")
    act_for(karim_client, make_delegation(level=Level.VIEW))
    assert karim_client.get(reverse("dossiers:create")).status_code == 403
    assert karim_client.get(reverse("dossiers:edit", args=[dossier.reference])).status_code == 403
    response = karim_client.post(reverse("dossiers:delete", args=[dossier.reference]))
    assert response.status_code == 403
    assert type(dossier).objects.filter(pk=dossier.pk).exists()


def test_gestion_can_open_the_dossier_form(karim_client, make_delegation):
    act_for(karim_client, make_delegation(level=Level.MANAGE))
    assert karim_client.get(reverse("dossiers:create")).status_code == 200


def test_foreign_dossier_url_is_404(karim_client, make_delegation, make_dossier, make_titulaire):
    stranger = make_titulaire(email="autre@exemple.test")
    foreign = make_dossier(stranger, "D-AUTRE")
    act_for(karim_client, make_delegation(level=Level.MANAGE))
    assert karim_client.get(reverse("dossiers:detail", args=[foreign.reference])).status_code == 404
    response = karim_client.get(reverse("dossiers:edit", args=[foreign.reference]))
    assert response.status_code == 404


def test_revoked_takes_effect_on_next_request(karim_client, make_delegation, camille):
    delegation = make_delegation()
    act_for(karim_client, delegation)
    assert "Camille Martin" in karim_client.get(SYNTHESE).content.decode()
    services.revoke(delegation, camille)
    html = karim_client.get(SYNTHESE).content.decode()
    assert "Vous consultez le compte" not in html
    # The delegate is told why the page now shows their own account, once.
    assert "La délégation du compte de Camille Martin a pris fin" in html
    assert "a pris fin" not in karim_client.get(SYNTHESE).content.decode()
    assert ACTING_FOR not in karim_client.session
    # And cannot pick it again.
    assert act_for(karim_client, delegation).status_code == 404


def test_expired_gives_no_access(karim_client, make_delegation):
    delegation = make_delegation(end_date=timezone.localdate() - timedelta(days=1))
    assert act_for(karim_client, delegation).status_code == 404
    session = karim_client.session
    session[ACTING_FOR] = delegation.pk
    session.save()
    html = karim_client.get(SYNTHESE).content.decode()
    assert "Vous consultez le compte" not in html
    assert "La délégation du compte de Camille Martin a pris fin" in html


def test_pending_or_foreign_delegation_cannot_be_used(
    karim_client, make_delegation, make_titulaire, camille
):
    pending = make_delegation(status=Status.INVITED)
    assert act_for(karim_client, pending).status_code == 404
    other = make_titulaire(email="o@exemple.test", birth_name="Tiers")
    foreign = make_delegation(delegate=other, titulaire=camille, status=Status.ACCEPTED)
    assert act_for(karim_client, foreign).status_code == 404
    session = karim_client.session
    session[ACTING_FOR] = foreign.pk
    session.save()
    assert "Tiers" not in karim_client.get(SYNTHESE).content.decode()


def test_hours_page_shows_the_delegated_account(karim_client, make_delegation):
    act_for(karim_client, make_delegation())
    html = karim_client.get(reverse("hours:compte")).content.decode()
    assert "Vous consultez le compte de" in html


def test_headings_name_whose_account_the_delegate_views(karim_client, make_delegation):
    act_for(karim_client, make_delegation())
    for url, heading in [
        (SYNTHESE, "Synthèse du compte de Camille Martin"),
        (reverse("dossiers:list"), "Dossiers de formation de Camille Martin"),
        (reverse("hours:compte"), "Compte d'heures de Camille Martin"),
    ]:
        html = unescape(karim_client.get(url).content.decode())
        assert re.search(rf"<h1>\s*{heading}\s*</h1>", html), url
