"""NIR rules (nir.rules). Only fictitious numbers: order number 000, never allocated."""

import random
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nir import rules as nir_rules
from nir.rules import NirError


def independent_key(body: str) -> str:
    """The key computed without stdnum: 97 - (13 digits mod 97), 2A -> 19, 2B -> 18."""
    digits = body[:5] + {"2A": "19", "2B": "18"}.get(body[5:7], body[5:7]) + body[7:13]
    return f"{97 - int(digits) % 97:02d}"


def error_code(raw) -> str | None:
    try:
        nir_rules.validate_nir(raw)
    except NirError as error:
        return error.code
    return None


# Hand-computed keys (checked against independent_key below).
MAN_PARIS = "185117505600016"  # 1 85 11 75 056 000 16
WOMAN_2A = "292032A00400045"
WOMAN_2B = "292032B00400072"
MAN_ABROAD = "178069935000026"  # born abroad (99), country 350
WOMAN_OVERSEAS = "200019712000002"  # Guadeloupe (971), key with a leading zero


@pytest.mark.parametrize("value", [MAN_PARIS, WOMAN_2A, WOMAN_2B, MAN_ABROAD, WOMAN_OVERSEAS])
def test_hand_computed_keys(value):
    assert independent_key(value[:13]) == value[13:]
    assert nir_rules.validate_nir(value).nir == value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 85 11 75 056 000 16", MAN_PARIS),
        ("1.85.11.75.056.000.16", MAN_PARIS),
        ("1-85-11-75-056-000-16", MAN_PARIS),
        ("1\u00a085\u00a011 75\u202f056 000 16", MAN_PARIS),
        ("  185117505600016\n", MAN_PARIS),
        ("2 92 03 2a 004 000 45", WOMAN_2A),
        ("", ""),
        (None, ""),
    ],
)
def test_normalize(raw, expected):
    assert nir_rules.normalize_nir(raw) == expected


@pytest.mark.parametrize(
    ("raw", "sex", "year", "month", "department"),
    [
        (MAN_PARIS, "M", 85, 11, "75"),
        ("2 92 03 2a 004 000 45", "F", 92, 3, "2A"),
        (WOMAN_2B, "F", 92, 3, "2B"),
        (MAN_ABROAD, "M", 78, 6, "99"),
        (WOMAN_OVERSEAS, "F", 0, 1, "97"),
        ("175207505600068", "M", 75, None, "75"),  # month 20: unknown
        ("175427505600032", "M", 75, None, "75"),  # month 42
        ("175507505600063", "M", 75, None, "75"),  # month 50
        ("175997505600071", "M", 75, None, "75"),  # month 99
    ],
)
def test_valid_nir_info(raw, sex, year, month, department):
    info = nir_rules.validate_nir(raw)
    assert (info.sex, info.birth_year_2digits, info.birth_month, info.department) == (
        sex,
        year,
        month,
        department,
    )
    assert len(info.nir) == 15


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (" . - ", "empty"),
        ("18511750560", "wrong_length"),
        ("1851175056000", "wrong_length"),  # the key is missing
        ("1851175056000160", "wrong_length"),
        ("1 85 11 75 0X6 000 16", "invalid_characters"),
        ("1851175056000l6", "invalid_characters"),
        ("A85117505600016", "invalid_characters"),  # A/B only in 2A/2B
        ("292033A00400045", "invalid_characters"),
        ("292032C00400045", "invalid_characters"),
        ("785117505600007", "temporary_number"),  # NIA, correct key
        ("885117505600054", "temporary_number"),
        ("385117505600013", "invalid_sex"),
        ("085117505600016", "invalid_sex"),
        ("185007505600034", "invalid_month"),
        ("185137505600048", "invalid_month"),
        ("185197505600047", "invalid_month"),
        ("185437505600043", "invalid_month"),
        ("185497505600042", "invalid_month"),
        ("185117505600017", "wrong_key"),
        ("185117505600061", "wrong_key"),  # swapped key digits
        ("292032A00400072", "wrong_key"),  # 2A with the 2B key
        ("292032B00400045", "wrong_key"),
    ],
)
def test_invalid(raw, code):
    with pytest.raises(NirError) as caught:
        nir_rules.validate_nir(raw)
    assert caught.value.code == code
    assert caught.value.message == nir_rules.MESSAGES[code] == str(caught.value)
    # The number itself never appears in a message (sensitive data).
    normalized = nir_rules.normalize_nir(raw)
    assert not normalized or normalized not in caught.value.message


def test_messages_in_french():
    assert nir_rules.MESSAGES["wrong_length"] == (
        "Le numéro de sécurité sociale comporte 15 caractères : 13 chiffres et une clé de "
        "2 chiffres."
    )
    assert nir_rules.MESSAGES["temporary_number"].startswith(
        "Les numéros commençant par 7 ou 8 sont des numéros provisoires (NIA)"
    )
    assert "ne permettent pas d'ouvrir un compte" in nir_rules.MESSAGES["temporary_number"]
    assert nir_rules.MESSAGES["wrong_key"].startswith("La clé")
    assert nir_rules.MESSAGES["wrong_key"].endswith(
        "ne correspond pas au numéro saisi. Vérifiez votre saisie."
    )
    assert len(set(nir_rules.MESSAGES.values())) == len(nir_rules.MESSAGES)


def test_corsica_counts_as_19_and_18():
    # Keys worked out by hand (97 - n mod 97): 2920319004000 -> 45, 2920318004000 -> 72,
    # 2920320004000 -> 18 (2A read as "20", Corsica's number before 1976).
    assert WOMAN_2A[13:] == independent_key("2920319004000") == "45"
    assert WOMAN_2B[13:] == independent_key("2920318004000") == "72"
    assert independent_key("2920320004000") == "18"
    # 2A counts as 19 and 2B as 18: the Corrèze (19) and Corsican numbers share their key...
    assert nir_rules.validate_nir("292031900400045").department == "19"
    assert nir_rules.validate_nir(WOMAN_2A).department == "2A"
    assert nir_rules.validate_nir(WOMAN_2B).department == "2B"
    # ...and any other reading of the letters gives a key the portal refuses.
    assert error_code("292032A00400018") == "wrong_key"  # 2A read as 20
    assert error_code("292032A00400072") == "wrong_key"  # 2A read as 18
    assert error_code("292032B00400045") == "wrong_key"  # 2B read as 19


@pytest.mark.parametrize(
    ("two_digits", "today", "expected"),
    [
        (10, date(2026, 6, 1), 2010),
        (30, date(2026, 6, 1), 1930),
        (26, date(2026, 6, 1), 2026),
        (27, date(2026, 6, 1), 1927),
        (0, date(2026, 6, 1), 2000),
        (99, date(2015, 3, 1), 1999),
        (15, date(2015, 3, 1), 2015),
        (16, date(2015, 3, 1), 1916),
    ],
)
def test_birth_year(two_digits, today, expected):
    info = nir_rules.NirInfo("x", "M", two_digits, 5, "75")
    assert nir_rules.birth_year(info, today) == expected


def info_born(year2: int, month: int | None) -> nir_rules.NirInfo:
    return nir_rules.NirInfo("x", "F", year2, month, "75")


@pytest.mark.parametrize(
    ("month", "today", "age"),
    [
        # Born in May 2010: the youngest reading is 31 May 2010.
        (5, date(2026, 4, 30), 15),
        (5, date(2026, 5, 1), 15),
        (5, date(2026, 5, 30), 15),
        (5, date(2026, 5, 31), 16),
        (5, date(2026, 6, 1), 16),
        (5, date(2027, 1, 1), 16),
        # Unknown month: counted as born on 31 December.
        (None, date(2026, 12, 30), 15),
        (None, date(2026, 12, 31), 16),
        # February: last day of February of the current year.
        (2, date(2026, 2, 27), 15),
        (2, date(2026, 2, 28), 16),
        (2, date(2028, 2, 28), 17),
        (2, date(2028, 2, 29), 18),
    ],
)
def test_age_on(month, today, age):
    assert nir_rules.age_on(info_born(10, month), today) == age


@pytest.mark.parametrize(
    ("today", "apprentice", "code"),
    [
        (date(2026, 5, 31), False, None),  # exactly 16 today
        (date(2026, 5, 30), False, "too_young"),  # 16 tomorrow at the earliest
        (date(2025, 6, 1), False, "too_young"),  # 15
        (date(2025, 6, 1), True, None),  # 15 and apprentice
        (date(2025, 5, 31), True, None),  # exactly 15 today, apprentice
        (date(2025, 5, 30), True, "too_young_apprentice"),  # 14
        (date(2024, 12, 1), True, "too_young_apprentice"),  # 14
        (date(2024, 12, 1), False, "too_young"),
        (date(2060, 1, 1), False, None),
    ],
)
def test_check_age_for_signup(today, apprentice, code):
    info = info_born(10, 5)
    if code is None:
        assert nir_rules.check_age_for_signup(info, today, apprentice=apprentice) is None
    else:
        with pytest.raises(NirError) as caught:
            nir_rules.check_age_for_signup(info, today, apprentice=apprentice)
        assert caught.value.code == code
        assert "ans" in caught.value.message


def test_age_messages_name_the_age():
    assert "16 ans" in nir_rules.MESSAGES["too_young"]
    assert "15 ans" in nir_rules.MESSAGES["too_young_apprentice"]
    assert "apprenti" in nir_rules.MESSAGES["too_young_apprentice"]


@pytest.mark.parametrize(
    ("nir", "civility", "expected"),
    [
        (MAN_PARIS, "M", True),
        (MAN_PARIS, "MME", False),
        (WOMAN_2A, "MME", True),
        (WOMAN_2A, "M", False),
        (WOMAN_2A, "mme", True),
        (MAN_PARIS, "", False),
        (MAN_PARIS, "MLLE", False),
    ],
)
def test_sex_matches_civility(nir, civility, expected):
    info = nir_rules.validate_nir(nir)
    assert nir_rules.sex_matches_civility(info, civility) is expected


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        (MAN_PARIS, "1 85 •• •• ••• ••• 16"),
        ("1 85 11 75 056 000 16", "1 85 •• •• ••• ••• 16"),
        (WOMAN_2A, "2 92 •• •• ••• ••• 45"),
        ("", "• •• •• •• ••• ••• ••"),
        (None, "• •• •• •• ••• ••• ••"),
        ("18511", "• •• •• •• ••• ••• ••"),
        ("1851175056000160", "• •• •• •• ••• ••• ••"),
        ("18511750560001?", "• •• •• •• ••• ••• ••"),
    ],
)
def test_mask(raw, masked):
    assert nir_rules.mask_nir(raw) == masked


def test_mask_hides_department_commune_and_order():
    masked = nir_rules.mask_nir(MAN_PARIS)
    assert "75" not in masked and "056" not in masked and "11" not in masked


@pytest.mark.parametrize(
    ("raw", "formatted"),
    [
        (MAN_PARIS, "1 85 11 75 056 000 16"),
        ("2 92 03 2a 004 000 45", "2 92 03 2A 004 000 45"),
        ("1234", "1234"),
    ],
)
def test_format(raw, formatted):
    assert nir_rules.format_nir(raw) == formatted


# --- Fictitious numbers ----------------------------------------------------------------

todays = st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31))


@given(
    seed=st.integers(0, 2**32),
    sex=st.sampled_from([None, "M", "F"]),
    ages=st.tuples(st.integers(15, 98), st.integers(0, 10)),
    today=todays,
)
def test_generated_nirs_validate(seed, sex, ages, today):
    min_age = ages[0]
    max_age = min(98, min_age + ages[1])
    value = nir_rules.generate_fictitious_nir(
        random.Random(seed), sex=sex, min_age=min_age, max_age=max_age, today=today
    )
    info = nir_rules.validate_nir(value)
    assert info.nir == value
    assert value[10:13] == "000"
    assert info.birth_month is not None
    assert independent_key(value[:13]) == value[13:]
    if sex:
        assert info.sex == sex
    assert min_age <= nir_rules.age_on(info, today) <= max_age


def test_generated_defaults_are_adults():
    rng = random.Random(3)
    today = date(2017, 6, 1)
    for _ in range(200):
        info = nir_rules.validate_nir(nir_rules.generate_fictitious_nir(rng, today=today))
        assert 18 <= nir_rules.age_on(info, today) <= 70


def test_generator_is_deterministic():
    def run():
        rng = random.Random(42)
        return [
            nir_rules.generate_fictitious_nir(
                rng, sex="F", min_age=30, max_age=30, today=date(2020, 1, 1)
            )
            for _ in range(20)
        ]

    first = run()
    assert first == run()
    assert len(set(first)) == 20


def test_generator_covers_corsica_overseas_and_abroad():
    rng = random.Random(7)
    departments = [
        nir_rules.generate_fictitious_nir(rng, today=date(2016, 1, 1))[5:8] for _ in range(2000)
    ]
    assert any(d.startswith("2A") for d in departments)
    assert any(d.startswith("2B") for d in departments)
    assert any(d.startswith("97") for d in departments)
    assert any(d.startswith("99") for d in departments)
    assert not any(d.startswith("20") for d in departments)  # 20 = Corsica before 1976


@pytest.mark.parametrize(
    "kwargs",
    [
        {"sex": "X"},
        {"min_age": 30, "max_age": 20},
        {"min_age": -1, "max_age": 5},
        # Aged 99 on 15 January: the birth year would be 100 years back (2 digits ambiguous).
        {"min_age": 99, "max_age": 99, "today": date(2026, 1, 15)},
    ],
)
def test_generator_refuses_impossible_requests(kwargs):
    kwargs.setdefault("today", date(2026, 6, 1))
    with pytest.raises(ValueError):
        nir_rules.generate_fictitious_nir(random.Random(0), **kwargs)


def test_generator_age_99_possible_later_in_the_year():
    value = nir_rules.generate_fictitious_nir(
        random.Random(0), min_age=99, max_age=99, today=date(2026, 6, 1)
    )
    assert nir_rules.age_on(nir_rules.validate_nir(value), date(2026, 6, 1)) == 99


@given(
    seed=st.integers(0, 2**32),
    position=st.integers(0, 14),
    replacement=st.sampled_from("0123456789AB"),
)
def test_any_single_change_is_refused(seed, position, replacement):
    value = nir_rules.generate_fictitious_nir(random.Random(seed), today=date(2018, 1, 1))
    if value[position] == replacement:
        replacement = "0" if replacement != "0" else "1"
    changed = value[:position] + replacement + value[position + 1 :]
    # Whatever the reason (format, NIA, month or key), a changed number never validates.
    assert error_code(changed) is not None


@given(seed=st.integers(0, 2**32), position=st.integers(0, 14))
def test_deleting_or_adding_a_character_is_refused(seed, position):
    value = nir_rules.generate_fictitious_nir(random.Random(seed), today=date(2018, 1, 1))
    assert error_code(value[:position] + value[position + 1 :]) == "wrong_length"
    assert error_code(value[:position] + "5" + value[position:]) == "wrong_length"


@given(seed=st.integers(0, 2**32))
def test_nia_of_a_generated_number_is_refused(seed):
    value = nir_rules.generate_fictitious_nir(random.Random(seed), today=date(2018, 1, 1))
    for first in "78":
        body = first + value[1:13]
        assert error_code(body + independent_key(body)) == "temporary_number"


def test_an_error_keeps_a_message_given_to_it():
    error = NirError("wrong_key", "Autre message.")
    assert (error.code, error.message, str(error)) == (
        "wrong_key",
        "Autre message.",
        "Autre message.",
    )
    assert NirError("wrong_key").message == nir_rules.MESSAGES["wrong_key"]


def test_signup_age_is_16_unless_the_caller_says_apprentice():
    # Born May 2010 (youngest reading 31 May 2010): 15 on 1 June 2025.
    with pytest.raises(NirError) as caught:
        nir_rules.check_age_for_signup(info_born(10, 5), date(2025, 6, 1))
    assert caught.value.code == "too_young"
    assert nir_rules.check_age_for_signup(info_born(10, 5), date(2026, 5, 31)) is None


@pytest.mark.parametrize(
    ("today", "born"),
    [
        # On the last day of May, a person born in May 2010 has turned 16 (youngest reading).
        (
            date(2026, 5, 31),
            {(2010, m) for m in range(1, 6)} | {(2009, m) for m in range(6, 13)},
        ),
        # The day before, May 2010 is still 15: May 2009 is the youngest May of 16.
        (
            date(2026, 5, 30),
            {(2010, m) for m in range(1, 5)} | {(2009, m) for m in range(5, 13)},
        ),
        # 28 February in a non-leap year is February's last day; the 27th is not.
        (
            date(2026, 2, 28),
            {(2010, 1), (2010, 2)} | {(2009, m) for m in range(3, 13)},
        ),
        (
            date(2026, 2, 27),
            {(2010, 1)} | {(2009, m) for m in range(2, 13)},
        ),
    ],
)
def test_generator_birth_months_for_an_age_on_a_last_day(today, born):
    assert set(nir_rules._birth_candidates(16, 16, today)) == born


def test_generator_defaults_to_adults_of_18():
    # max_age alone: min_age stays 18, so the range is exactly 18.
    today = date(2026, 5, 31)
    for seed in range(20):
        value = nir_rules.generate_fictitious_nir(random.Random(seed), max_age=18, today=today)
        assert nir_rules.age_on(nir_rules.validate_nir(value), today) == 18


@pytest.mark.parametrize(("min_age", "max_age"), [(0, 0), (0, 1), (1, 1), (15, 15)])
def test_generator_youngest_ages(min_age, max_age):
    # Age 0 is a valid request (a newborn's number): only negative ages are refused.
    today = date(2026, 5, 31)
    for seed in range(10):
        value = nir_rules.generate_fictitious_nir(
            random.Random(seed), min_age=min_age, max_age=max_age, today=today
        )
        assert min_age <= nir_rules.age_on(nir_rules.validate_nir(value), today) <= max_age
