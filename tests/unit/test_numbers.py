"""The portal's one French number formatter (cpf_portal.numbers) and its template filter."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.template import Context, Template

from cpf_portal.numbers import french_number

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (7, "7"),
        (999, "999"),
        (1000, f"1{NNBSP}000"),
        (1607, f"1{NNBSP}607"),
        (1234567, f"1{NNBSP}234{NNBSP}567"),
        (Decimal("1607.00"), f"1{NNBSP}607"),
        (Decimal("803.50"), "803,5"),
        (Decimal("1607.5"), f"1{NNBSP}607,5"),
        (Decimal("0.25"), "0,25"),
        (Decimal("2.125"), "2,12"),  # two decimals at most, half to even
        (Decimal("2.135"), "2,14"),
        (Decimal("9.999"), "10"),  # rounds up to a whole number: no comma
        (Decimal("1999.999"), f"2{NNBSP}000"),
        (Fraction(2, 3), "0,67"),
        (Fraction(1, 2), "0,5"),
        (Fraction(3607, 2), f"1{NNBSP}803,5"),
        (Fraction(200, 2), "100"),
        ("1607", f"1{NNBSP}607"),
        (-1607, f"-1{NNBSP}607"),
        (Decimal("-0.5"), "-0,5"),
        (Decimal("-1000.25"), f"-1{NNBSP}000,25"),
    ],
)
def test_french_number(value, expected):
    assert french_number(value) == expected


def test_template_filter():
    text = Template("{% load numbers %}{{ n|french_number }} h").render(Context({"n": 12345}))
    assert text == f"12{NNBSP}345 h"
