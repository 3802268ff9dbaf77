"""Issue 12, Info: `Cache-Control: no-store` on every page of the titulaire's space (the dossier
pages lacked it). Every URL pattern of the space (accounts, hours, dossiers, delegations) is
resolved and requested, GET then POST, as the titulaire and as a delegate acting for them:
accounts.middleware.NoStoreMiddleware."""

import datetime as dt
from importlib import import_module

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse
from django.utils import timezone

from delegations.access import ACTING_FOR
from delegations.models import Delegation, Level, Status
from dossiers import services as dossier_services
from tests.fixtures.catalogue import make_training
from tests.fixtures.hours import give

pytestmark = pytest.mark.django_db

NAMESPACES = ("accounts", "hours", "dossiers", "delegations")


def account_urls(values: dict) -> list[str]:
    """Every URL pattern of the titulaire's space, its arguments taken from `values`."""
    urls = []
    for namespace in NAMESPACES:
        for pattern in import_module(f"{namespace}.urls").urlpatterns:
            kwargs = {name: values[name] for name in pattern.pattern.converters}
            urls.append(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
    return urls


@pytest.fixture
def space(make_titulaire):
    camille = make_titulaire(first_name="Camille", email="camille@exemple.test")
    karim = make_titulaire(first_name="Karim", email="karim@exemple.test")
    give(camille.nir, cpf=120, dif=30)
    dossier = dossier_services.create_dossier(
        camille, make_training("300", duration_hours=60), dt.date(2016, 5, 2), 20, actor=camille
    )
    delegation = Delegation.objects.create(
        titulaire=camille,
        delegate=karim,
        email=karim.email,
        level=Level.MANAGE,
        status=Status.ACCEPTED,
        accepted_at=timezone.now(),
    )
    values = {
        "reference": dossier.reference,
        "token": delegation.token,
        "step": 1,
        "key": CaptchaStore.generate_key(),
    }
    return camille, karim, delegation, values


def as_titulaire(client, camille, karim, delegation):
    client.force_login(camille)


def as_delegate(client, camille, karim, delegation):
    client.force_login(karim)
    session = client.session
    session[ACTING_FOR] = delegation.pk
    session.save()


@pytest.mark.parametrize("who", [as_titulaire, as_delegate])
def test_every_page_of_the_titulaires_space_says_no_store(client, space, locmem_email, who):
    camille, karim, delegation, values = space
    urls = account_urls(values)
    assert len(urls) >= 30  # accounts, hours, dossiers, delegations: all of them
    assert any(url.startswith("/mon-compte/dossiers/") for url in urls)
    missing = []
    for method in ("get", "post"):
        for url in urls:
            who(client, camille, karim, delegation)  # a POST may have logged out or revoked
            response = getattr(client, method)(url)
            if "no-store" not in response.get("Cache-Control", ""):
                missing.append(f"{method.upper()} {url} ({response.status_code})")
    assert not missing


def test_the_dossier_pages_say_no_store(client, space):
    """The three pages the attack report named: list, detail, new."""
    camille, _karim, _delegation, values = space
    client.force_login(camille)
    for url in (
        reverse("dossiers:list"),
        reverse("dossiers:detail", args=[values["reference"]]),
        reverse("dossiers:create"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_public_pages_stay_cacheable_for_visitors(client):
    response = client.get(reverse("pages:home"))
    assert "no-store" not in response.get("Cache-Control", "")
