"""Text rules of the catalogue search: pure, no Django import.

SQLite's LIKE folds ASCII case only, and PostgreSQL's depends on the collation, so neither can be
trusted with "Électricien" vs "electricien". Instead the searchable text is stored already
normalised (`Training.keywords_search`, `Training.place_search`) and the query goes through the
same `normalise()`: a plain substring match then ignores case and accents on every database.
"""

import re
import unicodedata

# Joins the normalised fields of one column; `normalise()` never outputs it, so a query can
# never match across two fields ("anglais" + "toeic" is not "anglais toeic").
FIELD_SEPARATOR = " | "
MAX_TERMS = 8

# Letters NFKD leaves whole: the French ligatures are spelt out ("Œnologie" = "oenologie").
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae"})
_NOT_ALNUM = re.compile(r"[\W_]+")
# A term is a run of letters, digits, hyphens and apostrophes: "Saint-Denis" or "Côte-d'Or" is
# searched as a phrase. An elided word starting a term ("d'", "l'", "qu'") is dropped, so
# "création d'entreprise" needs "creation" and "entreprise", and "l'anglais" finds "Anglais".
_TERM_SPLIT = re.compile(r"[^\w'’\-]+")
_ELISION = re.compile(r"(?<![\w'’\-])(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
_WHITESPACE_CONTROLS = str.maketrans({"\t": " ", "\n": " ", "\r": " ", "\x0b": " ", "\x0c": " "})


def strip_controls(text: str) -> str:
    """Removes control and invisible format characters (NUL, bidi overrides, zero-width…).

    Tabs and line breaks become spaces so the words around them stay apart.
    """
    text = (text or "").translate(_WHITESPACE_CONTROLS)
    return "".join(ch for ch in text if unicodedata.category(ch) not in {"Cc", "Cf", "Cs"})


def normalise(text: str) -> str:
    """Lower case, without accents, ligatures or punctuation, single spaces: the search form.

    "Électricien d’équipement" -> "electricien d equipement"; "Côte-d'Or" -> "cote d or".
    """
    # NFKD splits "é" into "e" + a combining accent (and "ﬁ" into "fi"); the accents go.
    text = unicodedata.normalize("NFKD", strip_controls(text)).casefold()
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).translate(_LIGATURES)
    return " ".join(_NOT_ALNUM.sub(" ", text).split())


def search_terms(text: str) -> list[str]:
    """The normalised terms of a query, each of which must be found; empty ones dropped,
    duplicates removed, at most MAX_TERMS (a longer query narrows no further)."""
    # NFKC first: a decomposed "é" would otherwise split the word at its accent.
    text = _ELISION.sub(" ", unicodedata.normalize("NFKC", strip_controls(text)))
    terms = []
    for piece in _TERM_SPLIT.split(text):
        term = normalise(piece)
        if term and term not in terms:
            terms.append(term)
    return terms[:MAX_TERMS]


def joined(*fields: str) -> str:
    """One search column: each field normalised, then joined by FIELD_SEPARATOR."""
    return FIELD_SEPARATOR.join(n for n in (normalise(f) for f in fields) if n)


# What each search column holds; shared by Training.save(), the bulk writers and the migration.
def keywords_column(title: str, certification: str, provider: str, cpf_code: str) -> str:
    return joined(title, certification, provider, cpf_code)


def place_column(town: str, department_name: str) -> str:
    # The région is not in it: it is matched on the start of its name (geography.py).
    return joined(town, department_name)
