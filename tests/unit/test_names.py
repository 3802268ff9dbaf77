"""First and last names (accounts.names): letters of any language, spaces, hyphens, apostrophes,
1 to 50 characters (issue 12, L2)."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import names


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Camille", "Camille"),
        ("Jean-Pierre", "Jean-Pierre"),
        ("N'Diaye", "N'Diaye"),
        ("O’Connor", "O’Connor"),
        ("de La Rochefoucauld--Montmorency", "de La Rochefoucauld--Montmorency"),  # état civil
        ("Zoë", "Zoë"),
        ("Ægir Þórsson", "Ægir Þórsson"),
        ("Nguyễn Thị", "Nguyễn Thị"),
        ("Σωκράτης", "Σωκράτης"),
        ("Ольга", "Ольга"),
        ("محمد", "محمد"),
        ("李", "李"),
        ("Łukasz", "Łukasz"),
        ("e\u0301lodie", "élodie"),  # combining accent typed apart: composed
        ("देवनागरी", "देवनागरी"),  # Devanagari vowel signs are combining marks
        ("  Jean \t  Pierre\u00a0 ", "Jean Pierre"),  # whitespace normalised
        ("A", "A"),
        ("a" * 50, "a" * 50),
    ],
)
def test_names_accepted(raw, expected):
    assert names.name_error(raw) is None
    assert names.clean_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("a" * 51, "too_long"),
        ("URGENT: votre CPF expire", "invalid_characters"),
        ("https://exemple.test", "invalid_characters"),
        ("www.exemple.test", "invalid_characters"),
        ("camille@exemple.test", "invalid_characters"),
        ("Camille2", "invalid_characters"),
        ("Louis XIV 14", "invalid_characters"),
        ("Ⅻ", "invalid_characters"),  # a letter-number is a number
        ("Camille!", "invalid_characters"),
        ("Camille<script>", "invalid_characters"),
        ("Camille\u200bMartin", "invalid_characters"),  # zero-width space
        ("Camille\u202eMartin", "invalid_characters"),  # right-to-left override
        ("Camille\x00", "invalid_characters"),
        ("😀", "invalid_characters"),
        ("-Jean", "edges"),
        ("Jean-", "edges"),
        ("'Jean", "edges"),
        ("\u0301Jean", "edges"),  # a mark leads nothing
    ],
)
def test_names_refused(raw, code):
    assert names.name_error(raw) == code
    with pytest.raises(names.NameError_) as caught:
        names.clean_name(raw)
    assert caught.value.code == code
    assert caught.value.message == names.MESSAGES[code]


@given(st.text(max_size=80))
def test_any_accepted_name_is_only_letters_and_separators(raw):
    if names.name_error(raw) is not None:
        return
    name = names.clean_name(raw)
    assert 1 <= len(name) <= names.MAX_LENGTH
    assert names.clean_name(name) == name  # idempotent
    assert name == name.strip() and "  " not in name
    for char in name:
        assert unicodedata.category(char)[0] in "LM" or char in " -'’"
    for forbidden in ":@/.0123456789":
        assert forbidden not in name


@given(st.text(max_size=40), st.sampled_from(list("0123456789:@/.")), st.text(max_size=9))
def test_a_digit_colon_at_slash_or_dot_anywhere_is_refused(before, bad, after):
    assert names.name_error(before + bad + after) is not None


@given(
    st.text(
        alphabet=st.characters(categories=["Lu", "Ll", "Lo"]),
        min_size=1,
        max_size=10,
    ),
    st.lists(
        st.tuples(
            st.sampled_from([" ", "-", "'", "’", "--"]),
            st.text(alphabet=st.characters(categories=["Lu", "Ll", "Lo"]), min_size=1, max_size=8),
        ),
        max_size=3,
    ),
)
def test_letters_joined_by_separators_are_names(first, parts):
    raw = first + "".join(sep + word for sep, word in parts)
    if len(unicodedata.normalize("NFC", raw)) > names.MAX_LENGTH:
        assert names.name_error(raw) == "too_long"
    else:
        assert names.name_error(raw) is None, raw
