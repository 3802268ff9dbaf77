"""The portal's password rule (signup step 3, docs/RULES.md), pure functions, no Django.

"Au minimum 5 lettres et 3 chiffres, et au moins 3 catégories de caractères parmi : majuscules,
minuscules, caractères spéciaux, chiffres" -- so at least 8 characters. With the login lockout
this meets CNIL délibération 2022-100. Long passphrases are welcome: up to MAX_LENGTH
characters, never truncated.

Character classes match the live checklist in static/js/signup.js (Unicode general categories):
  letter    = any Unicode letter (L*): 'é' is a letter, and a lowercase one (Ll)
  uppercase = Lu, lowercase = Ll
  digit     = ASCII 0-9 only
  special   = anything else, space included
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MIN_LETTERS = 5
MIN_DIGITS = 3
MIN_CATEGORIES = 3
MAX_LENGTH = 128
MIN_LENGTH = MIN_LETTERS + MIN_DIGITS  # implied by the two counts, kept for display

UPPERCASE, LOWERCASE, SPECIAL, DIGIT = "uppercase", "lowercase", "special", "digit"

LABELS = {
    "letters": "Au moins 5 lettres",
    "digits": "Au moins 3 chiffres",
    "categories": (
        "Au moins 3 catégories de caractères parmi : majuscules, minuscules, caractères "
        "spéciaux, chiffres"
    ),
    "max_length": "128 caractères au maximum",
}

ERRORS = {
    "letters": "Votre mot de passe doit comporter au moins 5 lettres.",
    "digits": "Votre mot de passe doit comporter au moins 3 chiffres.",
    "categories": (
        "Votre mot de passe doit comporter au moins 3 catégories de caractères parmi : "
        "majuscules, minuscules, caractères spéciaux, chiffres."
    ),
    "max_length": "Votre mot de passe ne doit pas dépasser 128 caractères.",
}

# For the checklist's JavaScript (static/js/password-checklist.js), how each rule is checked as
# the person types: "count" (a Unicode-aware regex matched at least `min` times), "categories"
# (at least `min` of the 4 categories) or "max" (at most `min` characters).
_CHECKLIST = (
    ("letters", "count", r"\p{L}", MIN_LETTERS),
    ("digits", "count", "[0-9]", MIN_DIGITS),
    ("categories", "categories", "", MIN_CATEGORIES),
    ("max_length", "max", "", MAX_LENGTH),
)


@dataclass(frozen=True)
class RuleResult:
    code: str
    label: str
    passed: bool


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


def categories(password: str) -> set[str]:
    """Which of the 4 categories the password uses."""
    found = set()
    for ch in password:
        if _is_digit(ch):
            found.add(DIGIT)
        elif _is_letter(ch):
            category = unicodedata.category(ch)
            if category == "Lu":
                found.add(UPPERCASE)
            elif category == "Ll":
                found.add(LOWERCASE)
            # Other letters (Lo, Lm, Lt: e.g. CJK) are letters without a case.
        else:
            found.add(SPECIAL)
    return found


def check_password_rules(password: str | None) -> list[RuleResult]:
    """Every rule with whether it is met, in checklist order."""
    password = password or ""
    letters = sum(1 for ch in password if _is_letter(ch))
    digits = sum(1 for ch in password if _is_digit(ch))
    passed = {
        "letters": letters >= MIN_LETTERS,
        "digits": digits >= MIN_DIGITS,
        "categories": len(categories(password)) >= MIN_CATEGORIES,
        "max_length": len(password) <= MAX_LENGTH,
    }
    return [RuleResult(code, LABELS[code], ok) for code, ok in passed.items()]


def password_errors(password: str | None) -> list[str]:
    """One French message per rule not met (empty list: the password is acceptable)."""
    return [ERRORS[result.code] for result in check_password_rules(password) if not result.passed]


def failed_codes(password: str | None) -> list[str]:
    return [result.code for result in check_password_rules(password) if not result.passed]


def is_valid(password: str | None) -> bool:
    return not failed_codes(password)


def rule_items() -> list[dict]:
    """The checklist shown under the password field: code, label, live (how the page checks
    it), pattern (JS regex), min, in the order of check_password_rules."""
    return [
        {"code": code, "label": LABELS[code], "live": live, "pattern": pattern, "min": minimum}
        for code, live, pattern, minimum in _CHECKLIST
    ]
