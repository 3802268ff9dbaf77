"""French phone numbers (accounts.phones). 06 39 98 xx xx and 01 99 00 xx xx are ranges ARCEP
keeps for fiction."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts import phones
from accounts.phones import PhoneError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0639981234", "0639981234"),
        ("06 39 98 12 34", "0639981234"),
        ("06.39.98.12.34", "0639981234"),
        ("06-39-98-12-34", "0639981234"),
        ("06/39/98/12/34", "0639981234"),
        ("06\u00a039\u00a098\u202f12 34", "0639981234"),
        ("  0639981234 ", "0639981234"),
        ("+33 6 39 98 12 34", "0639981234"),
        ("+33639981234", "0639981234"),
        ("0033 6 39 98 12 34", "0639981234"),
        ("+33 (0)6 39 98 12 34", "0639981234"),
        ("+33(0)639981234", "0639981234"),
        ("0033 (0)6 39 98 12 34", "0639981234"),
        ("+33 06 39 98 12 34", "0639981234"),
        ("01 99 00 12 34", "0199001234"),
        ("+262 692 12 34 56", "0692123456"),  # La Réunion mobile
        ("+590 590 12 34 56", "0590123456"),  # Guadeloupe landline
        ("09 12 34 56 78", "0912345678"),
        # A "+33 (0)6 ..." copied without its +33: the (0) is the number's leading 0.
        ("(0)6 39 98 12 34", "0639981234"),
        ("(0)639981234", "0639981234"),
    ],
)
def test_normalize(raw, expected):
    assert phones.normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        (None, "empty"),
        ("  . - ", "empty"),
        ("06 39 98 12 3a", "invalid_characters"),
        ("06 39 98 12 34 poste 2", "invalid_characters"),
        ("+33 6 39 98 12 3+", "invalid_characters"),
        ("06 39 (98) 12 34", "invalid_characters"),
        ("06 (0)9 98 12 34", "invalid_characters"),  # a (0) only starts a number
        ("(0)(0)6 39 98 12 34", "invalid_characters"),
        ("(0)6 39 98 12 3", "wrong_length"),
        ("(0)0 39 98 12 34", "invalid_prefix"),
        ("06 39 98 12 3", "wrong_length"),
        ("06 39 98 12 34 5", "wrong_length"),
        ("+33 6 39 98 12", "wrong_length"),
        ("6 39 98 12 34", "wrong_length"),
        ("+44 20 7946 0000", "foreign"),
        ("0044 20 7946 0000", "foreign"),
        ("+1 202 555 0100", "foreign"),
        ("1639981234", "invalid_prefix"),
        ("+33 0 39 98 12 34", "invalid_prefix"),
    ],
)
def test_invalid(raw, code):
    with pytest.raises(PhoneError) as caught:
        phones.normalize_phone(raw)
    assert caught.value.code == code
    assert caught.value.message == phones.MESSAGES[code] == str(caught.value)


@pytest.mark.parametrize(
    ("raw", "landline", "mobile"),
    [
        ("01 99 00 12 34", True, False),
        ("02 12 34 56 78", True, False),
        ("03 12 34 56 78", True, False),
        ("04 12 34 56 78", True, False),
        ("05 12 34 56 78", True, False),
        ("09 12 34 56 78", True, False),
        ("06 39 98 12 34", False, True),
        ("07 12 34 56 78", False, True),
        ("+33 7 12 34 56 78", False, True),
        ("08 00 12 34 56", False, False),  # special-rate/free numbers are neither
    ],
)
def test_landline_and_mobile(raw, landline, mobile):
    normalized = phones.normalize_phone(raw)
    for checker, expected, code in (
        (phones.check_landline, landline, "not_landline"),
        (phones.check_mobile, mobile, "not_mobile"),
    ):
        if expected:
            assert checker(raw) == normalized
        else:
            with pytest.raises(PhoneError) as caught:
                checker(raw)
            assert caught.value.code == code


def test_messages():
    assert phones.MESSAGES["not_mobile"] == (
        "Ce numéro n'est pas un numéro de téléphone portable (06 ou 07)."
    )
    assert phones.MESSAGES["not_landline"] == (
        "Ce numéro n'est pas un numéro de téléphone fixe (01 à 05 ou 09)."
    )


def test_checkers_report_format_errors_first():
    with pytest.raises(PhoneError) as caught:
        phones.check_mobile("06 12")
    assert caught.value.code == "wrong_length"


@pytest.mark.parametrize(
    ("raw", "formatted"),
    [
        ("0639981234", "06 39 98 12 34"),
        ("+33 (0)6 39 98 12 34", "06 39 98 12 34"),
        ("01.99.00.12.34", "01 99 00 12 34"),
        ("pas un numéro", "pas un numéro"),
        ("", ""),
        (None, ""),
    ],
)
def test_format(raw, formatted):
    assert phones.format_phone(raw) == formatted


@given(
    digits=st.text("0123456789", min_size=9, max_size=9).filter(lambda d: d[0] != "0"),
    style=st.sampled_from(["0{}", "+33{}", "0033{}", "+33 (0){}", "+33 0{}"]),
    separator=st.sampled_from(["", " ", ".", "-"]),
)
def test_any_written_form_gives_the_same_number(digits, style, separator):
    grouped = separator.join([digits[0], digits[1:3], digits[3:5], digits[5:7], digits[7:9]])
    assert phones.normalize_phone(style.format(grouped)) == "0" + digits
    assert phones.format_phone(style.format(grouped)).replace(" ", "") == "0" + digits


def test_an_error_keeps_a_message_given_to_it():
    error = phones.PhoneError("foreign", "Autre message.")
    assert (error.code, error.message, str(error)) == (
        "foreign",
        "Autre message.",
        "Autre message.",
    )
    assert phones.PhoneError("foreign").message == phones.MESSAGES["foreign"]
