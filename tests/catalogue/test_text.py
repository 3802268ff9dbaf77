"""The pure text rules of the search (catalogue/text.py) and the région of each département
(catalogue/geography.py): hand-written tables, then hypothesis properties."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue import text
from catalogue.geography import REGION_BY_DEPARTMENT, region_for, regions_starting_with
from catalogue.text import (
    FIELD_SEPARATOR,
    MAX_TERMS,
    joined,
    normalise,
    search_terms,
    strip_controls,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Électricien", "electricien"),
        ("électricien", "electricien"),
        ("ELECTRICIEN", "electricien"),
        ("CRÉATION", "creation"),
        ("Rhône", "rhone"),
        ("RHÔNE", "rhone"),
        ("Île-de-France", "ile de france"),
        ("Côte-d'Or", "cote d or"),
        ("Côte-d’Or", "cote d or"),  # typographic apostrophe
        ("Œnologie, cæcum", "oenologie caecum"),
        ("Straße", "strasse"),
        ("e\u0301lectricien", "electricien"),  # decomposed accent (NFD input)
        ("ＴＯＥＩＣ　１２３", "toeic 123"),  # full-width letters and space
        ("Bureautique : Excel", "bureautique excel"),
        ("  plusieurs   espaces\t\n", "plusieurs espaces"),
        ("soud\x00eur", "soudeur"),
        ("\u202eadmin\u202c", "admin"),
        ("", ""),
        ("—", ""),
    ],
)
def test_normalise(text, expected):
    assert normalise(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Électricien", ["electricien"]),
        ("comptable   assistant", ["comptable", "assistant"]),
        ("CRÉATION d'entreprise", ["creation", "entreprise"]),
        ("création d’entreprise", ["creation", "entreprise"]),
        ("l'anglais", ["anglais"]),
        ("Saint-Denis 974", ["saint denis", "974"]),
        ("Côte-d'Or", ["cote d or"]),
        ("Lyon (69)", ["lyon", "69"]),
        ("Rennes, Bretagne", ["rennes", "bretagne"]),
        ("anglais ANGLAIS Anglais", ["anglais"]),
        ("- ! ?", []),
        ("\x00", []),
        (" ".join(f"mot{n}" for n in range(12)), [f"mot{n}" for n in range(MAX_TERMS)]),
    ],
)
def test_search_terms(text, expected):
    assert search_terms(text) == expected


def test_strip_controls_keeps_text_and_separates_lines():
    assert strip_controls("a\x00b\u200bc\u202e") == "abc"
    assert strip_controls("ligne 1\nligne 2\tfin") == "ligne 1 ligne 2 fin"
    assert strip_controls("Électricien d’équipement 😀") == "Électricien d’équipement 😀"


def test_joined_keeps_fields_apart():
    assert joined("Anglais", "", "TOEIC") == "anglais | toeic"
    assert "anglais toeic" not in joined("Anglais", "TOEIC")


def test_search_columns_hold_every_field_in_order():
    assert text.keywords_column("Anglais des affaires", "TOEIC", "Écoles Ünies", "131204") == (
        "anglais des affaires | toeic | ecoles unies | 131204"
    )
    assert text.place_column("Saint-Étienne", "Loire") == "saint etienne | loire"


@pytest.mark.parametrize(
    "code, region",
    [
        ("35", "Bretagne"),
        ("29", "Bretagne"),
        ("69", "Auvergne-Rhône-Alpes"),
        ("13", "Provence-Alpes-Côte d'Azur"),
        ("75", "Île-de-France"),
        ("2a", "Corse"),
        ("2B", "Corse"),
        ("974", "La Réunion"),
        ("976", "Mayotte"),
        ("975", ""),  # Saint-Pierre-et-Miquelon: a collectivité, not a région
        ("99", ""),
        ("", ""),
    ],
)
def test_region_for(code, region):
    assert region_for(code) == region


@pytest.mark.parametrize(
    "text, regions",
    [
        ("Bretagne", ["Bretagne"]),
        ("bret", ["Bretagne"]),
        ("GRAND EST", ["Grand Est"]),
        ("ile-de-france", ["Île-de-France"]),
        ("Provence-Alpes-Côte d’Azur", ["Provence-Alpes-Côte d'Azur"]),
        ("auvergne", ["Auvergne-Rhône-Alpes"]),
        ("la reunion", ["La Réunion"]),
        ("Rhône", []),  # inside a name, not its start
        ("France", []),
        ("", []),
        ("\x00", []),
    ],
)
def test_regions_starting_with(text, regions):
    assert regions_starting_with(text) == regions


def test_every_departement_has_one_region():
    assert len(REGION_BY_DEPARTMENT) == 101  # 96 in metropolitan France, 5 overseas
    assert len(set(REGION_BY_DEPARTMENT.values())) == 18


# French words with every accent, ligatures and punctuation found in the catalogue.
FRENCH = st.text(
    alphabet="abcdeéèêëfghiîïjklmnoôœpqrstuùûüvwxyÿzçàâæ0123456789 -'’().,:;",
    max_size=40,
)
ACCENTS = str.maketrans("éèêëîïôùûüÿçàâ", "eeeeiiouuuycaa")


@given(st.text(max_size=60))
def test_normalise_is_idempotent_and_clean(text):
    result = normalise(text)
    assert normalise(result) == result
    assert result == result.strip() and "  " not in result
    assert FIELD_SEPARATOR.strip() not in result  # so a query never spans two fields
    assert not any(unicodedata.combining(ch) for ch in result)
    assert not any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in result)


@given(FRENCH)
def test_case_and_accents_do_not_matter(text):
    assert normalise(text.upper()) == normalise(text)
    assert normalise(text.translate(ACCENTS).replace("œ", "oe").replace("æ", "ae")) == normalise(
        text
    )
    assert search_terms(text.upper()) == search_terms(text)


@given(st.text(max_size=60))
def test_typing_a_field_finds_it(value):
    """Whatever a field holds, searching for what is displayed finds it: every term of the
    query is a part of the stored column."""
    column = joined(value)
    for term in search_terms(value):
        assert term in column


@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=30))
def test_a_part_of_a_field_finds_it(before, part, after):
    column = joined(before + " " + part + " " + after)
    for term in search_terms(part):
        assert term in column
