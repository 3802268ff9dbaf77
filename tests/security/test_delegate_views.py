"""Issue 4, point 8: a delegate never sees the full NIR of the account they consult: every page
reachable from the delegated account (synthesis, hours, dossiers and each dossier, for both
levels of delegation) is walked as the delegate."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from delegations.models import Delegation, Level, Status
from dossiers import services as dossier_services
from tests.fixtures.catalogue import make_training
from tests.fixtures.hours import give
from tests.fixtures.personal_data import leaks

pytestmark = pytest.mark.django_db

LINK = re.compile(r'href="(/mon-compte/[^"]*)"')


@pytest.mark.parametrize("level", [Level.VIEW, Level.MANAGE])
def test_a_delegate_never_sees_the_full_nir(client, make_titulaire, level):
    camille = make_titulaire(first_name="Camille", email="camille@exemple.test")
    karim = make_titulaire(first_name="Karim", email="karim@exemple.test")
    give(camille.nir, cpf=120, dif=30)
    training = make_training("300", duration_hours=60)
    for confidential in (False, True):
        dossier_services.create_dossier(
            camille, training, dt.date(2016, 5, 2), 20, actor=camille, confidential=confidential
        )
    delegation = Delegation.objects.create(
        titulaire=camille,
        delegate=karim,
        email=karim.email,
        level=level,
        status=Status.ACCEPTED,
    )
    client.force_login(karim)
    assert client.post(reverse("delegations:act_for", args=[delegation.token])).status_code == 302

    queue, seen = [reverse("accounts:synthese")], set()
    while queue:
        url = queue.pop(0)
        if url in seen or "/delegations/" in url:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), url
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        if url == reverse("accounts:synthese"):
            assert "Vous consultez le compte de" in html  # seen as the delegate
        assert not leaks(html, [camille.nir]), f"NIR du titulaire en clair : {url}"
        queue += [link.replace("&amp;", "&") for link in LINK.findall(html)]
    assert {reverse("hours:compte"), reverse("dossiers:list")} <= seen
    assert any(url.startswith(reverse("dossiers:list")) and url.count("/") > 3 for url in seen)
