"""Numbers written the French way, the one formatter of the portal (pure, no Django import).

Thousands are separated by U+202F, the narrow no-break space: the French typographic norm
for grouping digits (an « espace fine insécable »), the separator of the Unicode CLDR's
French locale, and, being no-break, never split across lines. The decimal mark is a comma.
Views, templates (the `french_number` filter of `{% load numbers %}`), commands and the
accrual's explanations all go through `french_number`.
"""

from decimal import Decimal
from fractions import Fraction

THOUSANDS = "\u202f"


def _grouped(whole: int) -> str:
    return f"{whole:,}".replace(",", THOUSANDS)


def french_number(value: Decimal | int | Fraction | str) -> str:
    """1607 -> '1 607', Decimal('803.50') -> '803,5', Fraction(2, 3) -> '0,67' (at most two
    decimals, trailing zeros dropped)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value == value.to_integral_value():
        return sign + _grouped(int(value))
    text = f"{value.quantize(Decimal('0.01')).normalize():f}"
    whole, _, decimals = text.partition(".")
    return sign + _grouped(int(whole)) + ("," + decimals if decimals else "")
