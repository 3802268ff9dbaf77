"""Search that scales: no exact count past a threshold, pages without it, the order of the results
whatever plan serves them, and the trigram indexes on PostgreSQL."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue import views
from catalogue.models import (
    TEXT_SEARCH_ORDER,
    TITLE_ORDER,
    EligibilityList,
    ListKind,
    Training,
    results_order,
)
from tests.fixtures.catalogue import make_training

pytestmark = pytest.mark.django_db
SEARCH = reverse("catalogue:search")
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)


def bulk_trainings(count: int, title=lambda i: f"Formation {i % 7} anglais", **fields):
    rows = []
    for index in range(count):
        training = Training(
            cpf_code=str(5000 + index),
            title=title(index),
            certification="TOEIC",
            provider="Institut Horizon",
            town=fields.get("town", "Rennes"),
            department_code="35",
            department_name="Ille-et-Vilaine",
            mode="presentiel",
            duration_hours=40,
        )
        training.refresh_search_fields()
        rows.append(training)
    Training.objects.bulk_create(rows)


def heading(response) -> str:
    body = response.content.decode()
    return unescape(re.search(r'class="search-count">\s*<h2>([^<]*)</h2>', body)[1])


def page_links(response) -> list[str]:
    nav = response.content.decode().split('class="pagination"')[1].split("</ul>")[0]
    items = re.findall(r"<li>(.*?)</li>", nav)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in items]


@pytest.mark.parametrize(
    "count, expected",
    [(0, "Aucune formation trouvée"), (1, "1 formation trouvée"), (45, "45 formations trouvées")],
)
def test_count_wording(client, count, expected):
    bulk_trainings(count)
    assert heading(client.get(SEARCH, {"q": "anglais"})) == expected


def test_past_the_threshold_the_count_is_an_estimate(client):
    bulk_trainings(1001)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SEARCH, {"lieu": "Rennes"})
    assert heading(response) == "Plus de 1\u202f000 formations trouvées"
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1 and "LIMIT 1001" in counts[0]  # never a count of the whole table
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.count_is_exact) == (1000, False)


def test_exactly_the_threshold_is_counted_exactly(client):
    bulk_trainings(1000)
    assert heading(client.get(SEARCH)) == "1\u202f000 formations trouvées"


def test_pages_without_an_exact_count(client, monkeypatch):
    monkeypatch.setattr(views, "EXACT_COUNT_UP_TO", 30)
    bulk_trainings(200, title=lambda i: f"Formation {i:03d}")
    first = client.get(SEARCH, {"lieu": "rennes"})
    assert heading(first) == "Plus de 30 formations trouvées"
    # The pages known to exist, then « … » and « Suivante »: no last page that is not known.
    assert page_links(first) == ["Page 1", "Page 2", "Page 3", "…", "Suivante"]
    sixth = client.get(SEARCH, {"lieu": "rennes", "page": 6})
    assert page_links(sixth) == [
        "Précédente",
        "Page 1",
        "…",
        "Page 4",
        "Page 5",
        "Page 6",
        "Page 7",
        "Page 8",
        "…",
        "Suivante",
    ]
    titles = [t.title for t in sixth.context["page_obj"]]
    assert titles == [f"Formation {i:03d}" for i in range(100, 120)]
    # The last page: the count needed to reach it is exact, and so is the page range.
    last = client.get(SEARCH, {"lieu": "rennes", "page": 10})
    assert heading(last) == "200 formations trouvées"
    assert [t.title for t in last.context["page_obj"]][-1] == "Formation 199"
    assert "Suivante" not in page_links(last) and "Page 10" in page_links(last)
    beyond = client.get(SEARCH, {"lieu": "rennes", "page": "9" * 30})
    assert beyond.status_code == 200 and beyond.context["page_obj"].number == 10


@pytest.mark.parametrize("threshold", [10, 1000])
@pytest.mark.parametrize("criteria", [{"q": "anglais"}, {"lieu": "rennes"}, {"lieu": "35"}, {}])
def test_results_keep_title_then_code_order_whatever_the_plan(
    client, monkeypatch, threshold, criteria
):
    """Few or many matches, sorted by the index or not: the same order, title then code."""
    monkeypatch.setattr(views, "EXACT_COUNT_UP_TO", threshold)
    bulk_trainings(60, title=lambda i: ["Zèbre anglais", "Anglais", "anglais B"][i % 3])
    shown = []
    for page in (1, 2, 3):
        response = client.get(SEARCH, {**criteria, "page": page})
        shown += [(t.title, t.cpf_code) for t in response.context["page_obj"]]
    expected = list(Training.objects.order_by("title", "cpf_code").values_list("title", "cpf_code"))
    assert shown == expected


@pytest.mark.parametrize(
    "q, lieu, few, expected",
    [
        ("anglais", "", False, TEXT_SEARCH_ORDER),  # keywords follow the titles: sort matches
        ("anglais", "", True, TEXT_SEARCH_ORDER),
        ("", "Rennes", True, TEXT_SEARCH_ORDER),  # few places: sort them
        ("", "Rennes", False, TITLE_ORDER),  # many places: spread through the titles
        ("", "35", True, TITLE_ORDER),  # too short for a trigram: no index finds them
        ("ab", "", True, TITLE_ORDER),
        ("", "", True, TITLE_ORDER),
        ("", "", False, TITLE_ORDER),
    ],
)
def test_results_order_follows_what_the_indexes_can_find(q, lieu, few, expected):
    assert results_order(q, lieu, few=few) == expected


def test_a_training_in_two_lists_of_a_kind_is_listed_once():
    bretagne = EligibilityList.objects.create(kind=ListKind.COPAREF, region="Bretagne")
    normandie = EligibilityList.objects.create(kind=ListKind.COPAREF, region="Normandie")
    make_training("300", lists=[bretagne, normandie])
    assert list(
        Training.objects.search(eligibility="coparef").values_list("cpf_code", flat=True)
    ) == ["300"]


@on_postgresql
@pytest.mark.parametrize(
    "criteria, index",
    [({"q": "anglais"}, "training_keywords_trgm"), ({"place": "rennes"}, "training_lieu_trgm")],
)
def test_postgresql_finds_matches_through_the_trigram_indexes(criteria, index):
    """LIKE '%term%' on the normalised columns is served by the GIN trigram indexes."""
    make_training("300")
    sql, params = Training.objects.active().search(**criteria).query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table would be read whole, or walked through the title index.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Bitmap Index Scan on {index}" in plan
