import pytest
from django.urls import reverse

from catalogue.models import EligibilityList, ListKind, Training, TrainingKind, TrainingMode
from tests.fixtures.catalogue import make_training

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    coparef = EligibilityList.objects.create(kind=ListKind.COPAREF, region="Bretagne")
    cpne = EligibilityList.objects.create(kind=ListKind.CPNE, branch="Métallurgie")
    return {
        "anglais": make_training("300"),
        "soudeur": make_training(
            "410",
            title="Soudeur",
            certification="CQPM Soudeur industriel",
            provider="Atelier Grand Large",
            town="Metz",
            department_code="57",
            department_name="Moselle",
            mode=TrainingMode.MIXTE,
            lists=[cpne],
        ),
        "compta": make_training(
            "520",
            title="Comptable assistant",
            certification="Titre professionnel Comptable assistant",
            town="Brest",
            department_code="29",
            department_name="Finistère",
            mode=TrainingMode.DISTANCE,
            lists=[coparef],
        ),
        "clea": make_training(
            "201",
            title="Se préparer au CléA",
            certification="Certificat CléA",
            kind=TrainingKind.CLEA,
            lists=[],
        ),
        "elec": make_training(
            "630",
            title="Électricien d'équipement du bâtiment",
            certification="Titre professionnel Électricien d'équipement",
            provider="École des Métiers",
            town="Villefranche-sur-Saône",
            department_code="69",
            department_name="Rhône",
        ),
        "creation": make_training(
            "740",
            title="Création d'entreprise",
            certification="Accompagnement à la création et reprise d'entreprise",
            town="Aix-en-Provence",
            department_code="13",
            department_name="Bouches-du-Rhône",
        ),
    }


@pytest.mark.parametrize(
    "criteria, expected",
    [
        ({}, {"anglais", "soudeur", "compta", "clea", "elec", "creation"}),
        ({"q": "anglais"}, {"anglais"}),
        ({"q": "TOEIC"}, {"anglais"}),
        ({"q": "grand large"}, {"soudeur"}),
        ({"q": "410"}, {"soudeur"}),
        ({"q": "comptable distance"}, set()),
        ({"place": "metz"}, {"soudeur"}),
        ({"place": "Finist"}, {"compta"}),
        ({"place": "35"}, {"anglais", "clea"}),
        ({"mode": TrainingMode.MIXTE}, {"soudeur"}),
        ({"eligibility": "cpne"}, {"soudeur"}),
        ({"eligibility": "coparef"}, {"compta"}),
        ({"eligibility": "copanef"}, {"anglais", "elec", "creation"}),
        ({"eligibility": "clea"}, {"clea"}),
        ({"eligibility": "inconnue"}, set()),
        ({"q": "soudeur", "place": "Rennes"}, set()),
    ],
)
def test_search_queryset(catalogue, criteria, expected):
    found = set(Training.objects.search(**criteria).values_list("cpf_code", flat=True))
    assert found == {catalogue[name].cpf_code for name in expected}


@pytest.mark.parametrize(
    "criteria, expected",
    [
        # Keywords: case and accents do not matter (SQLite's LIKE folds ASCII only).
        ({"q": "Électricien"}, {"elec"}),
        ({"q": "électricien"}, {"elec"}),
        ({"q": "electricien"}, {"elec"}),
        ({"q": "ÉLECTRICIEN"}, {"elec"}),
        ({"q": "batiment"}, {"elec"}),
        ({"q": "ecole des metiers"}, {"elec"}),
        ({"q": "CRÉATION"}, {"creation"}),
        ({"q": "creation d’entreprise"}, {"creation"}),
        ({"q": "prepare clea"}, {"clea"}),
        ({"q": "finistere"}, set()),  # the place is not a keyword
        # Every word is required, in any field and in any order.
        ({"q": "professionnel électricien"}, {"elec"}),
        ({"q": "électricien soudeur"}, set()),
        # Place: town, département (name or number) and région, case and accents ignored.
        ({"place": "Rhône"}, {"elec", "creation"}),  # Rhône and Bouches-du-Rhône
        ({"place": "rhone"}, {"elec", "creation"}),
        ({"place": "RHÔNE"}, {"elec", "creation"}),
        ({"place": "finistere"}, {"compta"}),
        ({"place": "villefranche sur saone"}, {"elec"}),
        ({"place": "Aix-en-Provence"}, {"creation"}),
        ({"place": "Bretagne"}, {"anglais", "compta", "clea"}),
        ({"place": "bretagne"}, {"anglais", "compta", "clea"}),
        ({"place": "Grand Est"}, {"soudeur"}),
        ({"place": "auvergne-rhone-alpes"}, {"elec"}),
        ({"place": "Provence-Alpes-Côte d'Azur"}, {"creation"}),
        ({"place": "Rennes, Bretagne"}, {"anglais", "clea"}),
        ({"place": "Brest (29)"}, {"compta"}),
        ({"place": "69"}, {"elec"}),
        ({"place": "Rennes 29"}, set()),
        ({"place": "Normandie"}, set()),
        ({"q": "électricien", "place": "auvergne"}, {"elec"}),
    ],
)
def test_search_ignores_case_accents_and_matches_regions(catalogue, criteria, expected):
    found = set(Training.objects.search(**criteria).values_list("cpf_code", flat=True))
    assert found == {catalogue[name].cpf_code for name in expected}


def test_lieu_is_the_start_of_a_region_not_any_word_of_it(catalogue):
    """ "Rhône" is the département (and Bouches-du-Rhône), not all of Auvergne-Rhône-Alpes."""
    grenoble = make_training("810", town="Grenoble", department_code="38", department_name="Isère")
    assert grenoble.region == "Auvergne-Rhône-Alpes"
    rhone = set(Training.objects.search(place="rhone").values_list("cpf_code", flat=True))
    assert rhone == {"630", "740"}
    for lieu in ("Auvergne", "auvergne rhône", "Auvergne-Rhône-Alpes", "Grenoble 38"):
        assert "810" in Training.objects.search(place=lieu).values_list("cpf_code", flat=True)


def test_search_page_anonymous_and_filters(client, catalogue):
    response = client.get(reverse("catalogue:search"), {"q": "soudeur", "modalite": "mixte"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 formation trouvée" in body
    assert 'role="status"' in body
    assert reverse("catalogue:training", args=["410"]) in body
    assert "Comptable assistant" not in body


def test_search_page_empty_state(client, catalogue):
    response = client.get(reverse("catalogue:search"), {"q": "plongée sous-marine"})
    assert "Aucune formation" in response.content.decode()
    assert response.context["page_obj"].paginator.count == 0
    assert "Aucune formation ne correspond" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"modalite": "nimporte"},
        {"liste": "<script>"},
        {"page": "abc"},
        {"page": "9999"},
        {"q": "x" * 500},
        {"q": "\x00"},
    ],
)
def test_search_page_never_fails(client, catalogue, params):
    response = client.get(reverse("catalogue:search"), params)
    assert response.status_code == 200


def test_pagination(client):
    for index in range(45):
        make_training(str(1000 + index), title=f"Formation {index:02d}")
    response = client.get(reverse("catalogue:search"), {"lieu": "Rennes"})
    body = response.content.decode()
    assert "45 formations trouvées" in body
    assert response.context["page_obj"].paginator.num_pages == 3
    assert len(response.context["page_obj"].object_list) == 20
    assert 'aria-current="page"' in body
    assert "?lieu=Rennes&amp;page=2" in body
    page3 = client.get(reverse("catalogue:search"), {"lieu": "Rennes", "page": 3})
    assert len(page3.context["page_obj"].object_list) == 5
    assert "Précédente" in page3.content.decode()


def test_training_page_anonymous(client, catalogue):
    response = client.get(reverse("catalogue:training", args=["410"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "CQPM Soudeur industriel" in body
    assert "Liste de branche (CPNE) — Métallurgie" in body
    assert "Identifiez-vous pour créer un dossier" in body
    assert "next=" in body


def test_training_page_logged_in(logged_client, catalogue):
    response = logged_client.get(reverse("catalogue:training", args=["410"]))
    body = response.content.decode()
    assert "Créer un dossier de formation" in body
    assert reverse("dossiers:create") + "?formation=410" in body


def test_training_unknown_or_inactive_is_404(client, catalogue):
    assert client.get(reverse("catalogue:training", args=["999999"])).status_code == 404
    Training.objects.filter(cpf_code="410").update(is_active=False)
    assert client.get(reverse("catalogue:training", args=["410"])).status_code == 404
