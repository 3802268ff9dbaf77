"""French phone numbers: pure functions, no Django.

Everything is stored in the national 10-digit form ("0612345678") and shown grouped by two
("06 12 34 56 78"). Messages are plain French strings; the Django side wraps them for
translation.
"""

from __future__ import annotations

import re

MESSAGES = {
    "empty": "Saisissez un numéro de téléphone.",
    "invalid_characters": (
        "Le numéro de téléphone ne doit comporter que des chiffres (les espaces, points et "
        "tirets sont acceptés)."
    ),
    "foreign": "Saisissez un numéro de téléphone français.",
    "wrong_length": "Le numéro de téléphone comporte 10 chiffres, par exemple 06 12 34 56 78.",
    "invalid_prefix": "Ce numéro de téléphone n'est pas valide : il doit commencer par 01 à 09.",
    "not_landline": "Ce numéro n'est pas un numéro de téléphone fixe (01 à 05 ou 09).",
    "not_mobile": "Ce numéro n'est pas un numéro de téléphone portable (06 ou 07).",
}

LANDLINE_PREFIXES = ("01", "02", "03", "04", "05", "09")
MOBILE_PREFIXES = ("06", "07")

# Overseas departments have their own country codes but belong to the national plan:
# +262 692 12 34 56 is 06 92 12 34 56 (the national number is 0 + the 9 digits).
_OVERSEAS_CODES = ("262", "590", "594", "596")

_SEPARATORS = re.compile(r"[\s.\-/\u00a0\u202f\u2007]")


class PhoneError(ValueError):
    """A phone number that cannot be accepted. `code` is stable, `message` is for the user."""

    def __init__(self, code: str, message: str | None = None):
        self.code = code
        self.message = message if message is not None else MESSAGES[code]
        super().__init__(self.message)


def _national_digits(compact: str) -> str:
    """Turn an international prefix (+33, 0033, +33 (0), overseas codes) into the leading 0."""
    international = None
    if compact.startswith("+"):
        international = compact[1:]
    elif compact.startswith("00"):
        international = compact[2:]
    if international is None:
        # "(0)6 12 34 56 78", a "+33 (0)6..." copied without its +33: the (0) is the leading 0.
        return "0" + compact[3:] if compact.startswith("(0)") else compact
    for code in ("33", *_OVERSEAS_CODES):
        if international.startswith(code):
            rest = international[len(code) :]
            # "+33 (0)6 ..." and "+33 06 ..." are common ways of writing it.
            if rest.startswith("(0)"):
                rest = rest[3:]
            elif rest.startswith("0") and len(rest) == 10:
                rest = rest[1:]
            return "0" + rest
    raise PhoneError("foreign")


def normalize_phone(raw: str | None) -> str:
    """Return the national 10-digit form or raise PhoneError."""
    compact = _SEPARATORS.sub("", str(raw or ""))
    if not compact:
        raise PhoneError("empty")
    if not re.fullmatch(r"\+?[0-9()]+", compact):
        raise PhoneError("invalid_characters")
    number = _national_digits(compact)
    if not number.isdigit() or not number.isascii():
        raise PhoneError("invalid_characters")
    if len(number) != 10:
        raise PhoneError("wrong_length")
    if number[0] != "0" or number[1] == "0":
        raise PhoneError("invalid_prefix")
    return number


def check_landline(number: str | None) -> str:
    """Normalise a landline number (01-05, 09) or raise PhoneError; returns the 10 digits."""
    value = normalize_phone(number)
    if not value.startswith(LANDLINE_PREFIXES):
        raise PhoneError("not_landline")
    return value


def check_mobile(number: str | None) -> str:
    """Normalise a mobile number (06, 07) or raise PhoneError; returns the 10 digits."""
    value = normalize_phone(number)
    if not value.startswith(MOBILE_PREFIXES):
        raise PhoneError("not_mobile")
    return value


def format_phone(number: str | None) -> str:
    """'0612345678' -> '06 12 34 56 78'. A value that cannot be normalised is returned as is
    (display code must not fail)."""
    try:
        value = normalize_phone(number)
    except PhoneError:
        return str(number or "")
    return " ".join(value[i : i + 2] for i in range(0, 10, 2))
