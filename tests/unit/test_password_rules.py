"""The portal's password rule (accounts.password_rules)."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import password_rules as rules


@pytest.mark.parametrize(
    ("password", "failed"),
    [
        ("abcdE123", []),  # the shortest kind: 8 characters, 3 categories
        ("abcde123!", []),  # lowercase, digits, special
        ("ABCDE123!", []),  # uppercase, digits, special
        ("abcd123!A", []),  # the uppercase A is the 5th letter
        ("Formation2015!", []),
        ("élève123É", []),  # accented letters are letters (é lowercase, É uppercase)
        ("éléve 123", []),  # a space is a special character
        ("mot de passe 2015", []),
        ("abcde123", ["categories"]),  # only lowercase and digits
        ("ABCDE123", ["categories"]),
        ("abcdefgh", ["digits", "categories"]),
        ("abcd1234!", ["letters"]),
        ("abcdEF12!", ["digits"]),
        ("abcde12!", ["digits"]),
        ("12345678", ["letters", "categories"]),
        ("!!!!!!!!!!", ["letters", "digits", "categories"]),
        ("", ["letters", "digits", "categories"]),
        ("Ab1!", ["letters", "digits"]),
        ("漢字漢字漢123!", ["categories"]),  # caseless letters: digits and specials only
        ("abcdE١٢٣", ["digits"]),  # Arabic-Indic digits are not 0-9: they are specials
        # Titlecase letters (Lt: ǅ, ǈ) are letters, of neither case (signup.js agrees).
        ("ǅǈǋǲǅ123!", ["categories"]),
        ("ǅǈǋǲǅ123!a", []),
        ("ǅǈǋ123!a", ["letters"]),  # 4 letters
        ("ǅǈǋǲǅ1234", ["categories"]),
        ("a" * 120 + "B123", []),
        ("a" * 125 + "B123", ["max_length"]),  # 129 characters: refused, never truncated
    ],
)
def test_rules(password, failed):
    assert rules.failed_codes(password) == failed
    assert rules.is_valid(password) is (not failed)
    assert len(rules.password_errors(password)) == len(failed)


def test_results_have_code_label_passed():
    results = rules.check_password_rules("abcde123")
    assert [r.code for r in results] == ["letters", "digits", "categories", "max_length"]
    assert [r.passed for r in results] == [True, True, False, True]
    assert all(r.label for r in results)


def test_none_is_an_empty_password():
    assert rules.failed_codes(None) == ["letters", "digits", "categories"]


@pytest.mark.parametrize("length", [8, 20, 64, 100, 128])
def test_long_passwords_accepted(length):
    password = ("Ab1-" * 40)[:length]
    if length < 16:
        password = "abcdE123"
    assert len(password) == length
    assert rules.password_errors(password) == []


def test_129_characters_refused_with_a_message():
    errors = rules.password_errors("Ab1-" * 40)
    assert errors == ["Votre mot de passe ne doit pas dépasser 128 caractères."]


def test_messages_name_the_rule():
    errors = rules.password_errors("")
    assert errors == [
        "Votre mot de passe doit comporter au moins 5 lettres.",
        "Votre mot de passe doit comporter au moins 3 chiffres.",
        "Votre mot de passe doit comporter au moins 3 catégories de caractères parmi : "
        "majuscules, minuscules, caractères spéciaux, chiffres.",
    ]


def test_categories():
    assert rules.categories("aB1 ") == {"lowercase", "uppercase", "digit", "special"}
    assert rules.categories("é") == {"lowercase"}
    assert rules.categories("É") == {"uppercase"}
    assert rules.categories("\t") == {"special"}
    assert rules.categories("") == set()
    assert rules.categories("ǅ") == set()  # titlecase (Lt): a letter without a case
    assert rules.categories("ǅa") == {"lowercase"}
    assert rules.categories("ǅA") == {"uppercase"}
    assert rules.categories("ʰ") == set()  # modifier letter (Lm)


def test_rule_items_for_the_checklist():
    items = rules.rule_items()
    assert [item["code"] for item in items] == ["letters", "digits", "categories", "max_length"]
    assert [item["code"] for item in items] == [r.code for r in rules.check_password_rules("")]
    assert [item["live"] for item in items] == ["count", "count", "categories", "max"]
    assert [item["min"] for item in items] == [5, 3, 3, 128]
    assert items[0]["pattern"] == r"\p{L}" and items[1]["pattern"] == "[0-9]"
    assert all(item["label"] for item in items)


lowercase_letters = st.sampled_from("abcdefghijklmnopqrstuvwxyzéèêàçùœß")
uppercase_letters = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZÉÈÀÇ")


@given(
    lower=st.lists(lowercase_letters, min_size=5, max_size=5),
    digits=st.lists(st.sampled_from("0123456789"), min_size=3, max_size=3),
    upper=uppercase_letters,
    extra=st.text(max_size=100),
    seed=st.integers(0, 2**32),
)
def test_five_letters_three_digits_one_uppercase_passes(lower, digits, upper, extra, seed):
    chars = [*lower, *digits, upper, *extra]
    random.Random(seed).shuffle(chars)
    password = "".join(chars)
    assert len(password) <= rules.MAX_LENGTH
    assert rules.password_errors(password) == []


@given(password=st.text(max_size=140), more=st.text(max_size=10))
def test_adding_characters_never_breaks_a_rule_except_length(password, more):
    before = set(rules.failed_codes(password)) - {"max_length"}
    after = set(rules.failed_codes(password + more)) - {"max_length"}
    assert after <= before


@given(password=st.text(max_size=200))
def test_length_rule(password):
    assert ("max_length" in rules.failed_codes(password)) is (len(password) > rules.MAX_LENGTH)
