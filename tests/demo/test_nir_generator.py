"""The fictitious NIR generator page."""

import random
import re
from datetime import date

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from demo import services
from nir import rules as nir_rules

pytestmark = pytest.mark.django_db

GROUPED = re.compile(r'class="demo-nir"[^>]*>([^<]+)<')
RAW = re.compile(r'data-copy="([0-9AB]{15})"')


def is_valid(value: str) -> bool:
    try:
        result = nir_rules.validate_nir(value)
    except nir_rules.NirError:
        return False
    return not isinstance(result, nir_rules.NirError)


def shown_nirs(html: str) -> list[str]:
    grouped = GROUPED.findall(html)
    raw = RAW.findall(html)
    assert [nir_rules.normalize_nir(g) for g in grouped] == raw
    return raw


def test_get_shows_valid_fictitious_nirs(client):
    response = client.get(reverse("demo:nir"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    nirs = shown_nirs(html)
    assert len(nirs) == services.GENERATED_COUNT
    assert all(is_valid(n) for n in nirs)
    assert all(n.startswith("2") for n in nirs)  # default: a woman
    assert "vrai numéro de sécurité sociale" in html
    assert "Copier" in html
    assert 'src="/static/js/demo.js" defer' in html
    assert 'href="#"' not in html


@pytest.mark.parametrize(("sexe", "first"), [("F", "2"), ("M", "1")])
@pytest.mark.parametrize("age", [15, 16, 30, 64, 90])
def test_post_generates_for_the_profile(client, sexe, first, age):
    response = client.post(reverse("demo:nir"), {"sexe": sexe, "age": str(age)})
    assert response.status_code == 200  # shown in the body, no redirect to a URL with the NIR
    nirs = shown_nirs(response.content.decode())
    assert len(nirs) == services.GENERATED_COUNT
    for value in nirs:
        assert is_valid(value)
        assert value[0] == first
        assert nir_rules.age_on(nir_rules.validate_nir(value), date.today()) == age


@pytest.mark.parametrize(
    "data",
    [
        {"sexe": "F", "age": "14"},
        {"sexe": "F", "age": "91"},
        {"sexe": "F", "age": "trente"},
        {"sexe": "X", "age": "30"},
        {},
        {"sexe": "M", "age": "30" * 50},
    ],
)
def test_post_invalid_shows_errors(client, data):
    response = client.post(reverse("demo:nir"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "error-summary" in html
    assert shown_nirs(html) == []


def test_nir_never_in_a_url(client):
    response = client.post(reverse("demo:nir"), {"sexe": "M", "age": "40"})
    for value in shown_nirs(response.content.decode()):
        assert value not in response.request["PATH_INFO"]
        assert value not in response.request.get("QUERY_STRING", "")
    assert 'method="post"' in response.content.decode()


def test_service_is_deterministic_with_a_seeded_rng():
    a = services.generate_nirs("F", 30, count=5, rng=random.Random(1), today=date(2020, 1, 1))
    b = services.generate_nirs("F", 30, count=5, rng=random.Random(1), today=date(2020, 1, 1))
    assert a == b
    assert len(set(a)) == 5


def test_generation_failure_is_a_form_error(client, monkeypatch):
    def fail(*args, **kwargs):
        raise ValueError("no birth date")

    monkeypatch.setattr(services, "generate_nirs", fail)
    response = client.post(reverse("demo:nir"), {"sexe": "F", "age": "30"})
    assert response.status_code == 200
    assert "Impossible de générer un numéro pour cet âge." in response.content.decode()


@pytest.mark.django_db(False)
@given(
    sexe=st.sampled_from(["F", "M"]),
    age=st.integers(min_value=15, max_value=90),
    today=st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31)),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_every_profile_gives_valid_nirs(sexe, age, today, seed):
    values = services.generate_nirs(sexe, age, count=2, today=today, rng=random.Random(seed))
    for value in values:
        info = nir_rules.validate_nir(value)
        assert value[0] == ("2" if sexe == "F" else "1")
        assert nir_rules.age_on(info, today) == age
