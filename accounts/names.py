"""First and last names (prénom, nom de naissance): pure rule, no Django.

A name is letters of any language (Unicode letters and their combining marks), spaces, hyphens
and apostrophes (' and ’), 1 to 50 characters once normalised. No digit, no URL, no '@', no ':'.
Names are copied into screens and emails other people read (a delegation invitation names the
person who sends it), so free text there would let anyone write to others in the portal's voice.

Why 50: the longest French names, double names with the "--" separator of the état civil
included (« de La Rochefoucauld--Montmorency », 32), fit with room to spare; a sentence of
phishing does not fit in 50 letters without digits, '.', '/' or ':'. The columns stay 100 long:
rows saved before the rule are kept as they are (see docs/SECURITY.md).

Messages are plain French strings; the Django side (accounts.validators) wraps them.
"""

from __future__ import annotations

import unicodedata

MIN_LENGTH = 1
MAX_LENGTH = 50
SEPARATORS = frozenset(" -'\u2019")  # space, hyphen-minus, apostrophe, typographic apostrophe

MESSAGES = {
    "empty": "Saisissez au moins une lettre.",
    "too_long": f"Saisissez {MAX_LENGTH} caractères au maximum.",
    "invalid_characters": (
        "Saisissez uniquement des lettres, des espaces, des traits d'union (-) et des "
        "apostrophes (')."
    ),
    "edges": "Commencez et terminez par une lettre.",
}


class NameError_(ValueError):  # noqa: N801 - NameError is a builtin
    """A name that cannot be accepted. `code` is stable, `message` is for the user."""

    def __init__(self, code: str):
        self.code = code
        self.message = MESSAGES[code]
        super().__init__(self.message)


def normalize_name(raw: str) -> str:
    """Composed Unicode (NFC, so « é » typed as e + accent counts once), every run of
    whitespace (tabs, newlines, no-break spaces) made one space, none at either end."""
    return " ".join(unicodedata.normalize("NFC", raw or "").split())


def _is_letter(char: str) -> bool:
    return unicodedata.category(char).startswith("L")


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def name_error(raw: str) -> str | None:
    """The code of the first broken rule for `raw` (normalised first), or None if it is a
    name."""
    name = normalize_name(raw)
    if len(name) < MIN_LENGTH:
        return "empty"
    if len(name) > MAX_LENGTH:
        return "too_long"
    if any(not (_is_letter(c) or _is_mark(c) or c in SEPARATORS) for c in name):
        return "invalid_characters"
    # A mark leads nothing, and « -Jean », « Jean' » are typing slips.
    if not _is_letter(name[0]) or not (_is_letter(name[-1]) or _is_mark(name[-1])):
        return "edges"
    return None


def clean_name(raw: str) -> str:
    """The normalised name, or NameError_ with the first broken rule."""
    code = name_error(raw)
    if code is not None:
        raise NameError_(code)
    return normalize_name(raw)
