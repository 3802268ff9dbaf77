"""The results list (eligible lists, links back to the same search), control characters in the
query, and how the search columns are kept up to date (save, CSV import, demo, migration)."""

import importlib
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from catalogue.demo_data import DEPARTMENTS, generate_catalogue
from catalogue.importer import HEADER, import_catalogue
from catalogue.models import EligibilityList, ListKind, Training, TrainingKind
from tests.fixtures.catalogue import make_training

pytestmark = pytest.mark.django_db
SEARCH = reverse("catalogue:search")


def card(body: str, title: str) -> str:
    """The results card of the training called `title`."""
    for chunk in body.split('<li class="training-card">')[1:]:
        if f">{title}</a>" in chunk:
            return chunk
    raise AssertionError(f"no card for {title}")


def hrefs(html: str, text: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'href="([^"]*)"[^>]*>{re.escape(text)}</a>', html)]


@pytest.fixture
def lists():
    return {
        "copanef": EligibilityList.objects.get_or_create(kind=ListKind.COPANEF)[0],
        "bretagne": EligibilityList.objects.create(kind=ListKind.COPAREF, region="Bretagne"),
        "metal": EligibilityList.objects.create(kind=ListKind.CPNE, branch="Métallurgie"),
    }


def test_each_result_shows_its_eligible_lists(client, lists):
    make_training("300", lists=[lists["copanef"], lists["bretagne"]])
    make_training("410", title="Soudeur", lists=[lists["metal"]])
    make_training("201", title="Se préparer au CléA", kind=TrainingKind.CLEA, lists=[])
    make_training("202", title="Accompagnement VAE", kind=TrainingKind.VAE, lists=[])
    make_training("203", title="Bilan de compétences", kind=TrainingKind.BILAN, lists=[])
    body = client.get(SEARCH, {"lieu": "rennes"}).content.decode()
    tags = {
        title: re.findall(r"<li>([^<]+)</li>", card(body, title).split('class="tag-list"')[1])
        for title in (
            "Anglais professionnel",
            "Soudeur",
            "Se préparer au CléA",
            "Accompagnement VAE",
            "Bilan de compétences",
        )
    }
    assert tags == {
        "Anglais professionnel": ["COPANEF", "COPAREF Bretagne"],
        "Soudeur": ["CPNE Métallurgie"],
        "Se préparer au CléA": ["CléA"],
        "Accompagnement VAE": ["VAE"],
        "Bilan de compétences": ["Bilan de compétences"],
    }


def test_eligible_lists_do_not_add_queries(client, lists, django_assert_max_num_queries):
    for index in range(20):
        make_training(str(1000 + index), lists=[lists["copanef"], lists["bretagne"]])
    with django_assert_max_num_queries(4):
        body = client.get(SEARCH).content.decode()
    assert body.count("COPAREF Bretagne") == 20


def test_training_page_leads_back_to_the_same_search(client):
    for index in range(25):
        make_training(str(1000 + index), title=f"Électricien {index:02d}")
    criteria = {"q": "electricien", "lieu": "Bretagne", "modalite": "presentiel"}
    results = client.get(SEARCH, {**criteria, "page": 2}).content.decode()
    link = hrefs(results, "Électricien 20")[0]
    assert link.startswith(reverse("catalogue:training", args=["1020"]) + "?retour=")

    training = client.get(link).content.decode()
    back = hrefs(training, "Retour à la recherche")
    breadcrumbs = training.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert back == hrefs(breadcrumbs, "Rechercher une formation")
    url = urlsplit(back[0])
    assert url.path == SEARCH and not url.netloc and not url.scheme
    assert parse_qs(url.query) == {
        "q": ["electricien"],
        "lieu": ["Bretagne"],
        "modalite": ["presentiel"],
        "page": ["2"],
    }
    again = client.get(back[0])
    assert again.context["page_obj"].number == 2
    assert again.context["form"]["q"].value() == "electricien"
    assert "Électricien 20" in again.content.decode()


def test_results_without_criteria_link_plainly(client):
    make_training("300")
    body = client.get(SEARCH).content.decode()
    assert hrefs(body, "Anglais professionnel") == [reverse("catalogue:training", args=["300"])]
    page = client.get(reverse("catalogue:training", args=["300"])).content.decode()
    assert hrefs(page, "Retour à la recherche") == [SEARCH]


@pytest.mark.parametrize(
    "retour, expected",
    [
        ("q=soudeur&page=3", SEARCH + "?q=soudeur&page=3"),
        ("?lieu=Rh%C3%B4ne", SEARCH + "?lieu=Rh%C3%B4ne"),
        ("https://evil.example/", SEARCH),
        ("//evil.example/formations/", SEARCH),
        ("javascript:alert(1)", SEARCH),
        ("/formations/?q=x", SEARCH),  # a path is not what the results send
        ("next=https://evil.example&q=anglais", SEARCH + "?q=anglais"),
        ("q=%22%3E%3Cscript%3E", SEARCH + "?q=%22%3E%3Cscript%3E"),  # encoded, never raw
        ("modalite=nimporte&q=anglais", SEARCH),
        ("q=" + "x" * 300, SEARCH),
        ("q=a&page=-1", SEARCH + "?q=a"),
        ("q=a&page=%C2%B2", SEARCH + "?q=a"),
        ("q=so%00ud%E2%80%AEeur", SEARCH + "?q=soudeur"),
        ("x" * 2000, SEARCH),
    ],
)
def test_retour_can_only_lead_to_the_search_page(client, retour, expected):
    make_training("300")
    response = client.get(reverse("catalogue:training", args=["300"]), {"retour": retour})
    assert response.context["back_url"] == expected
    body = response.content.decode()
    assert 'href="//' not in body and "evil.example" not in body and "<script>" not in body


@pytest.mark.parametrize(
    "typed, shown",
    [("soud\x00eur", "soudeur"), ("\u202esoudeur\u202c", "soudeur"), ("sou\u200bdeur", "soudeur")],
)
def test_control_characters_are_stripped_before_searching_and_display(client, typed, shown):
    make_training("410", title="Soudeur")
    response = client.get(SEARCH, {"q": typed, "lieu": "Ren\x00nes"})
    body = response.content.decode()
    assert response.context["page_obj"].paginator.count == 1
    assert f'value="{shown}"' in body and 'value="Rennes"' in body
    assert not re.search("[\x00\u202e\u202c\u200b]", body)
    assert "%00" not in body and "%E2%80%AE" not in body  # nor in the links


def test_search_columns_follow_every_save(lists):
    training = make_training("300", title="Anglais", town="Metz", department_code="57")
    assert training.region == "Grand Est"
    training.title = "Électricité générale"
    training.department_code, training.department_name, training.town = "29", "Finistère", "Brest"
    training.save(update_fields=["title", "department_code", "department_name", "town"])
    training.refresh_from_db()
    assert training.region == "Bretagne"
    assert training.keywords_search.startswith("electricite generale | ")
    assert training.place_search == "brest | finistere"
    assert list(Training.objects.search(q="ÉLECTRICITÉ", place="bretagne")) == [training]
    Training.objects.only("is_active").get().save(update_fields=["is_active"])
    assert Training.objects.get().keywords_search == training.keywords_search


def test_import_fills_the_search_columns():
    text = "\n".join(
        [
            ";".join(HEADER),
            "201;Se préparer au CléA;Certificat CléA;Centre Avenir Pro;Lyon;69 - Rhône;Mixte;60;"
            "CLEA",
            "300;Anglais;TOEIC;Institut Boussole;Rennes;35 Ille-et-Vilaine;presentiel;40;COPANEF",
        ]
    )
    assert import_catalogue(text).ok
    assert Training.objects.get(cpf_code="201").region == "Auvergne-Rhône-Alpes"
    for q, lieu in [("prepare clea", "rhone"), ("CLÉA", "auvergne"), ("cléa avenir", "69")]:
        assert [t.cpf_code for t in Training.objects.search(q=q, place=lieu)] == ["201"]
    # An update by the import refreshes them too (bulk_update skips save()).
    assert import_catalogue(text.replace("Rennes;35 Ille-et-Vilaine", "Caen;14 Calvados")).ok
    assert [t.cpf_code for t in Training.objects.search(place="normandie")] == ["300"]


def test_demo_catalogue_is_searchable_without_accents():
    generate_catalogue(300)
    assert {code for code, *_ in DEPARTMENTS} == set(
        Training.objects.exclude(region="").values_list("department_code", flat=True)
    )
    assert not Training.objects.filter(region="").exists()

    def count(**criteria):
        return Training.objects.search(**criteria).count()

    assert count(q="Électricien") == count(q="électricien") == count(q="ELECTRICIEN") > 0
    assert count(q="CRÉATION") == count(q="creation") > 0
    assert count(place="Rhône") == count(place="rhone") > 0
    bretagne = Training.objects.filter(department_code__in=["29", "35"]).count()
    assert count(place="bretagne") == bretagne > 0


@pytest.mark.django_db(transaction=True)
def test_data_migration_backfills_existing_trainings():
    """0002's backfill on a training as it was then, then the later migrations (0005 renames
    the fields to English): the data and the search columns come through."""
    executor = MigrationExecutor(connection)
    executor.migrate([("catalogue", "0002_search_columns")])
    old_apps = executor.loader.project_state([("catalogue", "0002_search_columns")]).apps
    old_apps.get_model("catalogue", "Training").objects.create(
        code_cpf="300",
        title="Anglais professionnel",
        certification="TOEIC",
        organisme="Langues Loire",
        ville="Saint-Étienne",
        departement_code="42",
        departement_nom="Loire",
        modalite="presentiel",
        duree_heures=40,
    )  # search columns blank, as before 0002
    migration = importlib.import_module("catalogue.migrations.0002_search_columns")
    migration.backfill(old_apps, schema_editor=None)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    training = Training.objects.get()
    assert (training.cpf_code, training.town, training.department_name) == (
        "300",
        "Saint-Étienne",
        "Loire",
    )
    assert (training.provider, training.mode, training.duration_hours) == (
        "Langues Loire",
        "presentiel",
        40,
    )
    assert training.region == "Auvergne-Rhône-Alpes"
    assert training.place_search == "saint etienne | loire"
    assert "anglais professionnel" in training.keywords_search
    assert list(Training.objects.search(q="anglais", place="saint-etienne")) == [training]
