"""The trainings' change list at 100 k rows: its sidebar filters offer fixed choices (the régions
and départements of catalogue.geography, the list kinds of the model), so a page runs no
SELECT DISTINCT over the table and no join to the lists (issue 8, « admin at 1 M rows »)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.geography import DEPARTMENT_NAMES, REGION_BY_DEPARTMENT
from catalogue.models import EligibilityList, ListKind
from tests.fixtures.catalogue import make_training

pytestmark = pytest.mark.django_db

URL = reverse("admin:catalogue_training_changelist")


@pytest.fixture
def trainings():
    copanef = EligibilityList.objects.create(kind=ListKind.COPANEF)
    bretagne = EligibilityList.objects.create(kind=ListKind.COPAREF, region="Bretagne")
    metallurgie = EligibilityList.objects.create(kind=ListKind.CPNE, branch="Métallurgie")
    return {
        "rennes": make_training("300", lists=[copanef, bretagne]),
        "lyon": make_training(
            "301", town="Lyon", department_code="69", department_name="Rhône", lists=[copanef]
        ),
        "metz": make_training(
            "302",
            title="Soudeur",
            town="Metz",
            department_code="57",
            department_name="Moselle",
            lists=[metallurgie],
        ),
    }


def get(client, query=""):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL + query)
    return response, [q["sql"] for q in captured.captured_queries]


def shown(response) -> set[str]:
    return {training.cpf_code for training in response.context["cl"].result_list}


def sidebar_links(html: str) -> dict[str, str]:
    """{query string: link text} of the filters' links."""
    links = re.findall(r'<a href="(\?[^"]*)"[^>]*>\s*([^<]*?)\s*</a>', html)
    return {unescape(href): unescape(text) for href, text in links}


def test_the_list_runs_no_distinct_and_no_join_to_the_lists(staff_client, trainings):
    response, queries = get(staff_client)
    assert response.status_code == 200
    assert shown(response) == {"300", "301", "302"}
    listing = [sql for sql in queries if "catalogue_training" in sql]
    assert listing
    assert not [sql for sql in listing if "DISTINCT" in sql.upper()]
    assert not [sql for sql in listing if "catalogue_training_lists" in sql]


def test_the_filters_offer_every_region_and_departement_and_list_kind(staff_client, trainings):
    response, _queries = get(staff_client)
    texts = set(sidebar_links(response.content.decode()).values())
    regions = set(REGION_BY_DEPARTMENT.values())
    assert regions <= texts
    assert "35 Ille-et-Vilaine" in texts and "2A Corse-du-Sud" in texts
    assert len(DEPARTMENT_NAMES) == 101
    assert {str(label) for _value, label in ListKind.choices} <= texts


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Bretagne", {"300"}),
        ("Auvergne-Rhône-Alpes", {"301"}),
        ("Grand Est", {"302"}),
        ("Normandie", set()),
        ("35 Ille-et-Vilaine", {"300"}),
        ("69 Rhône", {"301"}),
        ("29 Finistère", set()),
        (str(ListKind.COPANEF.label), {"300", "301"}),
        (str(ListKind.COPAREF.label), {"300"}),
        (str(ListKind.CPNE.label), {"302"}),
    ],
)
def test_each_sidebar_link_filters_without_distinct(staff_client, trainings, text, expected):
    """Follow the sidebar's own link, as an operator clicks it."""
    response, _queries = get(staff_client)
    by_text = {label: href for href, label in sidebar_links(response.content.decode()).items()}
    response, queries = get(staff_client, by_text[text])
    assert response.status_code == 200
    assert shown(response) == expected
    assert not [sql for sql in queries if "DISTINCT" in sql.upper()]
    assert not [sql for sql in queries if "catalogue_training_lists" in sql]


def test_filters_combine(staff_client, trainings):
    response, _queries = get(staff_client, "?region=Bretagne&liste=copanef")
    assert shown(response) == {"300"}
    response, _queries = get(staff_client, "?departement=69&liste=cpne")
    assert shown(response) == set()


@pytest.mark.parametrize(
    "query",
    ["?region=Atlantide", "?region=", "?departement=99", "?departement=6", "?liste=clea"],
)
def test_values_the_sidebar_does_not_offer_get_the_admins_error(staff_client, trainings, query):
    response = staff_client.get(URL + query)
    assert response.status_code == 302 and response["Location"].endswith("?e=1")
