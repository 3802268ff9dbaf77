"""NIR (numéro de sécurité sociale) rules: pure functions, no Django.

Layout of the 15 characters (docs/RULES.md, « Le NIR »):
  1: sex (1 man, 2 woman; 7/8 = temporary NIA)  2-3: birth year  4-5: birth month
  6-7: department (2A/2B Corsica, 97x/98x overseas, 99 abroad)  8-10: commune (or country)
  11-13: order number  14-15: key = 97 - (13 digits mod 97), 2A counting as 19 and 2B as 18.

The NIR is sensitive: nothing here logs it or puts it in an error message.
Messages are plain French strings; the Django side wraps them for translation.
"""

from __future__ import annotations

import calendar
import random
import re
from dataclasses import dataclass
from datetime import date

from stdnum.fr import nir as stdnum_nir

NIR_LENGTH = 15
MASK_CHAR = "•"

# Separators people type when copying the number from a card or a letter.
_SEPARATORS = re.compile(r"[\s.\-\u00a0\u202f\u2007_/]")
_ALLOWED = re.compile(r"^[0-9AB]*$")
_SHAPE = re.compile(r"^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$")

MESSAGES = {
    "empty": "Saisissez votre numéro de sécurité sociale.",
    "invalid_characters": (
        "Le numéro de sécurité sociale ne doit comporter que des chiffres (et les lettres A ou B "
        "pour les personnes nées en Corse : 2A, 2B)."
    ),
    "wrong_length": (
        "Le numéro de sécurité sociale comporte 15 caractères : 13 chiffres et une clé de "
        "2 chiffres."
    ),
    "temporary_number": (
        "Les numéros commençant par 7 ou 8 sont des numéros provisoires (NIA) : ils ne "
        "permettent pas d'ouvrir un compte. Utilisez votre numéro de sécurité sociale définitif, "
        "indiqué sur votre carte Vitale ou votre attestation de droits."
    ),
    "invalid_sex": ("Le numéro de sécurité sociale doit commencer par 1 (homme) ou 2 (femme)."),
    "invalid_month": (
        "Le mois de naissance (4e et 5e chiffres) n'est pas valide. Vérifiez votre saisie."
    ),
    "wrong_key": (
        "La clé (les 2 derniers chiffres) ne correspond pas au numéro saisi. Vérifiez votre saisie."
    ),
    "too_young": (
        "Vous devez avoir au moins 16 ans pour ouvrir votre compte personnel de formation."
    ),
    "too_young_apprentice": (
        "Vous devez avoir au moins 15 ans pour ouvrir votre compte personnel de formation en tant "
        "qu'apprenti (article L6323-1 du Code du travail)."
    ),
}

MIN_AGE = 16
MIN_AGE_APPRENTICE = 15  # Code du travail L6323-1: from 15 with an apprenticeship contract.


class NirError(ValueError):
    """A NIR that cannot be accepted. `code` is stable, `message` is for the user."""

    def __init__(self, code: str, message: str | None = None):
        self.code = code
        self.message = message if message is not None else MESSAGES[code]
        super().__init__(self.message)


@dataclass(frozen=True)
class NirInfo:
    nir: str  # normalised, 15 characters
    sex: str  # 'M' (1) or 'F' (2)
    birth_year_2digits: int
    birth_month: int | None  # None when positions 4-5 are 20-42 or 50-99 (unknown/special)
    department: str  # '75', '2A', '97' (overseas: the 3rd digit is in the commune part), '99'


def normalize_nir(raw: str | None) -> str:
    """Remove spaces, dots, dashes and non-breaking spaces; uppercase (2a -> 2A)."""
    if raw is None:
        return ""
    return _SEPARATORS.sub("", str(raw)).upper()


def _month_valid(value: int) -> bool:
    # 01-12 real months; 20-42 and 50-99 are used for unknown or special months.
    return 1 <= value <= 12 or 20 <= value <= 42 or value >= 50


def validate_nir(raw: str | None) -> NirInfo:
    """Check a NIR as typed by the user; raise NirError (first problem found) or return NirInfo."""
    nir = normalize_nir(raw)
    if not nir:
        raise NirError("empty")
    if not _ALLOWED.match(nir):
        raise NirError("invalid_characters")
    if len(nir) != NIR_LENGTH:
        raise NirError("wrong_length")
    if not _SHAPE.match(nir):  # A/B anywhere but in 2A/2B
        raise NirError("invalid_characters")
    if nir[0] in "78":
        raise NirError("temporary_number")
    if nir[0] not in "12":
        raise NirError("invalid_sex")
    month = int(nir[3:5])
    if not _month_valid(month):
        raise NirError("invalid_month")
    # stdnum implements the 2A -> 19, 2B -> 18 substitution; the messages stay ours.
    if stdnum_nir.calc_check_digits(nir) != nir[13:]:
        raise NirError("wrong_key")
    return NirInfo(
        nir=nir,
        sex="M" if nir[0] == "1" else "F",
        birth_year_2digits=int(nir[1:3]),
        birth_month=month if 1 <= month <= 12 else None,
        department=nir[5:7],
    )


def birth_year(info: NirInfo, today: date) -> int:
    """The latest year <= today.year ending with the two digits ('10' in 2026 -> 2010,
    '30' in 2026 -> 1930)."""
    year = today.year - (today.year - info.birth_year_2digits) % 100
    return year


def age_on(info: NirInfo, today: date) -> int:
    """Age in whole years on `today`.

    The NIR gives no day, sometimes no month. To apply "at least 16" safely we take the youngest
    reading: born on the last day of the birth month, or on 31 December when the month is
    unknown. So the person is counted one year older only once that whole month is over (or on
    its last day).
    """
    year = birth_year(info, today)
    month = info.birth_month or 12
    # Last day of the birth month in the current year (29 February counts as the 28th in a
    # non-leap year).
    birthday_day = calendar.monthrange(today.year, month)[1]
    had_birthday = (today.month, today.day) >= (month, birthday_day)
    return today.year - year - (0 if had_birthday else 1)


def check_age_for_signup(info: NirInfo, today: date, apprentice: bool = False) -> None:
    """Raise NirError('too_young' / 'too_young_apprentice') below 16 (15 for an apprentice)."""
    age = age_on(info, today)
    if apprentice:
        if age < MIN_AGE_APPRENTICE:
            raise NirError("too_young_apprentice")
    elif age < MIN_AGE:
        raise NirError("too_young")


def sex_matches_civility(info: NirInfo, civility: str) -> bool:
    """'M' (Monsieur) goes with sex digit 1, 'MME' (Madame) with 2."""
    expected = {"M": "M", "MME": "F"}.get((civility or "").strip().upper())
    return expected is not None and expected == info.sex


def _group(nir: str) -> str:
    # The grouping printed on the carte Vitale: 1 85 05 78 006 084 42.
    parts = (nir[0:1], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:15])
    return " ".join(parts)


def format_nir(nir: str | None) -> str:
    """Grouped display '1 85 05 78 006 084 42'; anything not 15 characters is returned
    normalised but ungrouped."""
    value = normalize_nir(nir)
    return _group(value) if len(value) == NIR_LENGTH else value


def mask_nir(nir: str | None) -> str:
    """Show only the sex, the birth year and the key: '1 85 •• •• ••• ••• 42'.
    Anything that is not 15 NIR characters is masked entirely."""
    value = normalize_nir(nir)
    if len(value) != NIR_LENGTH or not _ALLOWED.match(value):
        return _group(MASK_CHAR * NIR_LENGTH)
    return _group(value[:3] + MASK_CHAR * 10 + value[13:])


# --- Fictitious numbers for demo data, fixtures and tests ----------------------------------

# Order number 000 is never allocated by INSEE (births are numbered 001 to 999 per commune and
# month), so a NIR with positions 11-13 = "000" cannot be anybody's real number, while keeping
# a real-looking department/commune and a correct key.
FICTITIOUS_ORDER = "000"

_MAINLAND_DEPARTMENTS = [f"{d:02d}" for d in range(1, 96) if d != 20]
_OVERSEAS = ["971", "972", "973", "974", "976"]
# INSEE country codes (positions 8-10 after "99"): Allemagne, Italie, Belgique, Espagne,
# Portugal, Royaume-Uni, Turquie, Sénégal, Maroc, Tunisie, Algérie.
_COUNTRIES = ["109", "127", "131", "134", "139", "132", "208", "341", "350", "351", "352"]


def _place(rng: random.Random) -> str:
    """Positions 6-10 (department + commune): mostly mainland, sometimes Corsica, overseas or
    abroad."""
    roll = rng.random()
    if roll < 0.05:
        return rng.choice(["2A", "2B"]) + f"{rng.randint(1, 366):03d}"
    if roll < 0.10:
        return rng.choice(_OVERSEAS) + f"{rng.randint(1, 34):02d}"
    if roll < 0.18:
        return "99" + rng.choice(_COUNTRIES)
    return rng.choice(_MAINLAND_DEPARTMENTS) + f"{rng.randint(1, 500):03d}"


def _birth_candidates(min_age: int, max_age: int, today: date) -> list[tuple[int, int]]:
    """(year, month) pairs whose age_on(today) lies in [min_age, max_age] and whose 2-digit year
    resolves back to the same year (less than 100 years ago)."""
    result = []
    for age in range(min_age, max_age + 1):
        for month in range(1, 13):
            last = calendar.monthrange(today.year, month)[1]
            had_birthday = (today.month, today.day) >= (month, last)
            year = today.year - age - (0 if had_birthday else 1)
            if 0 <= today.year - year <= 99:
                result.append((year, month))
    return result


def generate_fictitious_nir(
    rng: random.Random,
    *,
    sex: str | None = None,
    min_age: int | None = None,
    max_age: int | None = None,
    today: date | None = None,
) -> str:
    """A fictitious NIR with a correct key (deterministic for a given rng state and `today`).

    Convention: the order number (positions 11-13) is always "000", which INSEE never allocates,
    so the result can never be a real person's number. The month is a real month (01-12), the
    place looks real (mainland department, sometimes 2A/2B, 97x overseas or 99 born abroad).
    `sex` is 'M' or 'F' (random if None); ages default to 18-70 and are computed with
    age_on(), so the person is exactly within [min_age, max_age] on `today`.
    Raises ValueError when no birth date fits (e.g. age 99 in January: the 2-digit year would
    point to the current century).
    """
    today = today or date.today()
    min_age = 18 if min_age is None else min_age
    max_age = max(min_age, 70) if max_age is None else max_age
    if min_age < 0 or max_age < min_age:
        raise ValueError("invalid age range")
    if sex is None:
        sex = rng.choice("MF")
    if sex not in ("M", "F"):
        raise ValueError("sex must be 'M' or 'F'")
    candidates = _birth_candidates(min_age, max_age, today)
    if not candidates:
        raise ValueError("no birth date gives this age with a 2-digit year")
    year, month = rng.choice(candidates)
    body = f"{1 if sex == 'M' else 2}{year % 100:02d}{month:02d}{_place(rng)}{FICTITIOUS_ORDER}"
    return body + stdnum_nir.calc_check_digits(body + "00")
