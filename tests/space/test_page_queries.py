"""Every titulaire page costs at most 6 queries, as many at 1, 10 and 100 dossiers (issue 8),
whether the titulaire looks at it or a delegate acting for them. The data grows everywhere
the pages read: dossiers of every status (confidential ones too) with their history, CPF and
DIF movements, top-ups, employers' declarations and annual credits, delegations given and
received. Counted through the real URLs with a logged-in client."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Civility, Titulaire
from cpf_portal import ratelimit
from delegations import services as delegation_services
from delegations.access import ACTING_FOR
from delegations.models import Level
from dossiers import services as dossier_services
from dossiers.models import ActorRole
from hours import demo_data as hours_demo
from hours import services as hours_services
from hours.importer import DeclarationRow
from hours.models import EmployerDeclaration
from tests.fixtures.catalogue import make_training

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6
SIZES = (1, 10, 100)
ACCORD = datetime.date(2016, 5, 2)
# Years credited as the account grows: one new year at each size.
YEARS = {1: 2015, 10: 2016, 100: 2017}


class Account:
    """Camille's account, grown step by step; Karim manages it by delegation."""

    def __init__(self, camille, karim, nir_factory):
        self.camille, self.karim, self.nir_factory = camille, karim, nir_factory
        self.training = make_training("300", duration_hours=60)
        self.dossiers = []
        self.first = None
        hours_demo.set_dif_balance(camille.nir, 120)
        hours_demo.credit_demo_hours(camille.nir, 1000)

    def _people(self, count):
        people = [
            Titulaire(
                nir=self.nir_factory(),
                civility=Civility.MADAME,
                first_name="Alex",
                birth_name="Durand",
                email=f"alex{len(self.dossiers)}-{i}@exemple.test",
            )
            for i in range(count)
        ]
        for person in people:
            person.set_unusable_password()
        return Titulaire.objects.bulk_create(people)

    def grow(self, size):
        camille, staff = self.camille, None
        for n in range(len(self.dossiers), size):
            dossier = dossier_services.create_dossier(
                camille, self.training, ACCORD, 2, hours_dif=1, confidential=n % 3 == 2
            )
            self.dossiers.append(dossier)
            self.first = self.first or dossier
            kind = n % 5
            if kind >= 1:
                dossier = dossier_services.submit(dossier, actor=camille)
            if kind >= 2:
                dossier = dossier_services.validate(dossier, actor=staff)
            if kind == 3:
                dossier_services.cancel(dossier, actor=staff, role=ActorRole.STAFF)
            if kind == 4:
                dossier_services.close(dossier, actor=staff)
            hours_demo.credit_demo_hours(camille.nir, 1)  # a top-up per dossier
        # Employers' declarations: a new year credited, then more employers on it.
        year = YEARS[size]
        hours_services.credit_declarations(
            [DeclarationRow(0, camille.nir, year, Decimal(800), None, False)]
        )
        EmployerDeclaration.objects.bulk_create(
            EmployerDeclaration(nir=camille.nir, year=year, hours_worked=Decimal(10))
            for _ in range(size)
        )
        # Delegations: Camille invites people; people delegate their accounts to Karim.
        for person in self._people(size):
            delegation_services.invite(camille, person.email, Level.VIEW)
            for delegation in delegation_services.invite(person, self.karim.email, Level.MANAGE):
                delegation_services.accept(delegation, self.karim)


def count(client, url) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries), [q["sql"] for q in queries.captured_queries]


PAGES = {
    "synthese": lambda account: reverse("accounts:synthese"),
    "heures": lambda account: reverse("hours:compte"),
    "dossiers": lambda account: reverse("dossiers:list"),
    "dossier": lambda account: reverse("dossiers:detail", args=[account.first.reference]),
    "nouveau dossier": lambda account: reverse("dossiers:create"),
    "informations": lambda account: reverse("accounts:informations"),
    "délégations": lambda account: reverse("delegations:list"),
}
# What a delegate acting for Camille sees (personal information and delegations are the
# titulaire's own: for those, Karim's own pages, with the delegations he received).
DELEGATE_ACTING = {"synthese", "heures", "dossiers", "dossier", "nouveau dossier"}


@pytest.fixture
def account(camille, karim, nir_factory, locmem_email, monkeypatch):
    # Camille invites up to 100 people in a minute: more than the hourly limit lets a person.
    limit = ratelimit.Limit("test_invite", max_hits=10**6, window_seconds=60)
    monkeypatch.setattr(delegation_services, "INVITE_LIMIT", limit)
    return Account(camille, karim, nir_factory)


@pytest.mark.parametrize("viewer", ["titulaire", "délégataire"])
@pytest.mark.parametrize("page", list(PAGES))
def test_queries_per_page_do_not_grow(client, account, make_delegation, page, viewer):
    if viewer == "titulaire":
        client.force_login(account.camille)
    else:
        delegation = make_delegation(level=Level.MANAGE)
        client.force_login(account.karim)
        if page in DELEGATE_ACTING:
            session = client.session
            session[ACTING_FOR] = delegation.pk
            session.save()
    counts = {}
    # The clock stands still: the session's last-seen time is rewritten once a minute.
    with time_machine.travel(timezone.now(), tick=False):
        for size in SIZES:
            account.grow(size)
            url = PAGES[page](account)
            client.get(url)  # the session's first request starts its clock
            counts[size], queries = count(client, url)
            assert counts[size] <= MAX_QUERIES, (size, queries)
    assert len(set(counts.values())) == 1, counts
