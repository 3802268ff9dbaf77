"""Parse and check a CSV file of employer declarations, streamed: no database access, memory
independent of the file's size. DeclarationReader yields the good rows and keeps every error
with its line number; hours.services.import_declarations stages the rows and credits them.

Header: nir;annee;heures_travaillees;duree_reference;faiblement_qualifie (the last two
optional). Separator ';' or ',' (detected on the header), UTF-8 with or without BOM. Error
messages are in French and show the NIR masked only.

One row per employer declaration. Years worked 2015 to 2018 only (the CPF started on 1 January
2015, its hours became euros on 1 January 2019), and only years already ended on `today`.
Several rows for the same NIR and year are several employers' declarations, all kept (the
portal's reading: a year's declarations arrive in one file, as the annual DADS campaign does;
hours.services credits the year once from their combined prorata).

No size limit here: the command streams files of any size. The admin's upload form keeps its
own limit (hours.forms.MAX_IMPORT_UPLOAD_BYTES), a web request being no place for a long import.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import BinaryIO, NamedTuple

from hours import accrual
from nir import rules as nir_rules

REQUIRED = ("nir", "annee", "heures_travaillees")
OPTIONAL = ("duree_reference", "faiblement_qualifie")
MAX_HOURS = Decimal(8784)  # 366 days x 24 h
TRUE_WORDS = {"oui", "1", "true", "vrai"}
FALSE_WORDS = {"non", "0", "false", "faux", ""}
FLAG_WORDS = TRUE_WORDS | FALSE_WORDS
CENT = Decimal("0.01")
# A file full of bad rows would otherwise keep millions of messages in memory: the first ones
# are listed, the others counted (ImportReport.errors_not_listed).
MAX_LISTED_ERRORS = 1000

# Fast acceptance of the common NIR (15 digits, sex 1 or 2, a real month): checked here with
# the same key as nir.rules.validate_nir; anything else goes through validate_nir, which
# gives the message. tests/hours/test_import.py checks the two agree.
_PLAIN_NIR = re.compile(r"[12][0-9]{2}(?:0[1-9]|1[0-2])[0-9]{10}")


class DeclarationRow(NamedTuple):
    """One good row. A NamedTuple: a million of them are made per million rows read."""

    line: int
    nir: str
    year: int
    hours_worked: Decimal
    reference_hours: int | None
    low_qualified: bool


@dataclass(frozen=True)
class RowError:
    line: int  # 0: the file as a whole
    message: str

    def __str__(self):
        if self.line:
            return f"Ligne {self.line} : {self.message}"
        return self.message


@dataclass
class ParseResult:
    rows: list[DeclarationRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _hours(value: str) -> Decimal:
    text = value.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not number.is_finite():
        raise ValueError
    return number


def year_problem(year: int, today: date | None) -> str | None:
    """Why a year worked cannot be credited, in French; None when it can. Without `today`,
    only the 2015-2018 period is checked."""
    first, last = accrual.FIRST_YEAR_WORKED, accrual.LAST_YEAR_WORKED
    if not first <= year <= last:
        return (
            f"année {year} refusée : seules les années travaillées de {first} à {last} sont "
            f"acceptées, le CPF ayant commencé le 1er janvier {first} et ses heures ayant été "
            f"converties en euros le 1er janvier {last + 1}"
        )
    last_ended = accrual.last_accepted_year(today) if today else last
    if year > last_ended:
        accepted = (
            f"seules les années de {first} à {last_ended} sont acceptées aujourd'hui"
            if last_ended >= first
            else "aucune année ne peut encore être importée"
        )
        return f"année {year} refusée : elle n'est pas encore terminée, {accepted}"
    return None


def plain_nir_is_valid(nir: str) -> bool:
    """True for a 15-digit NIR that validate_nir accepts (the common case, without building
    its NirInfo); False means "ask validate_nir"."""
    return bool(_PLAIN_NIR.fullmatch(nir)) and 97 - int(nir[:13]) % 97 == int(nir[13:])


def _clean_nir(raw: str) -> tuple[str, str | None]:
    """The file's NIR in the normal form and None, or as written and why it is refused. The
    file is an edge, like a form: its NIRs are cleaned here, once."""
    if plain_nir_is_valid(raw):
        return raw, None
    try:
        return nir_rules.validate_nir(raw).nir, None
    except nir_rules.NirError as exc:
        return raw, exc.message


class _Columns(NamedTuple):
    nir: int
    year: int
    hours: int
    reference: int | None
    flag: int | None


def _check_row(
    line: int, values: list[str], columns: _Columns, years: dict[str, int | str]
) -> tuple[DeclarationRow | None, list[str]]:
    """`years` caches each year's text -> the year or why it is refused (a file has a handful
    of distinct years, read a million times)."""
    problems = []
    count = len(values)
    raw_nir = values[columns.nir].strip() if columns.nir < count else ""
    nir, nir_problem = _clean_nir(raw_nir)
    if nir_problem:
        problems.append(f"NIR {nir_rules.mask_nir(nir)} invalide ({nir_problem})")
    raw_year = values[columns.year].strip() if columns.year < count else ""
    year = years.get(raw_year)
    if year is None:
        try:
            number = int(raw_year)
        except ValueError:
            year = "année manquante ou non numérique"
        else:
            year = year_problem(number, years["today"]) or number
        if len(years) < 100:
            years[raw_year] = year
    if isinstance(year, str):
        problems.append(year)
    hours = None
    try:
        hours = _hours(values[columns.hours] if columns.hours < count else "")
        if hours < 0 or hours > MAX_HOURS:
            problems.append("heures travaillées hors limites (de 0 à 8 784)")
        elif hours != hours.quantize(CENT):
            problems.append("heures travaillées : deux décimales au plus")
    except ValueError:
        problems.append("heures travaillées manquantes ou non numériques")
    reference = None
    index = columns.reference
    raw_reference = values[index].strip() if index is not None and index < count else ""
    if raw_reference:
        try:
            reference_value = _hours(raw_reference)
            if reference_value <= 0 or reference_value != reference_value.to_integral_value():
                raise ValueError
            reference = int(reference_value)
            if reference > MAX_HOURS:
                raise ValueError
        except ValueError:
            problems.append("durée de référence invalide (nombre entier d'heures supérieur à 0)")
    index = columns.flag
    flag = values[index].strip().lower() if index is not None and index < count else ""
    if flag not in FLAG_WORDS:
        problems.append("faiblement qualifié : oui, non, 1, 0, vrai ou faux attendu")
    if problems:
        shown = nir_rules.mask_nir(nir)
        return None, [f"{p} (NIR {shown})" if not p.startswith("NIR") else p for p in problems]
    return DeclarationRow(line, nir, year, hours, reference, flag in TRUE_WORDS), []


class DeclarationReader:
    """Iterate over the good rows of a CSV file read from a binary stream, in file order.

    Every bad row becomes an error with its line number (the first MAX_LISTED_ERRORS listed,
    all counted); a problem with the file as a whole (encoding, header, empty, unreadable CSV)
    ends the reading with that one error. `rows_read` counts the data rows seen."""

    def __init__(self, stream: BinaryIO, today: date | None = None):
        self.stream = stream
        self.today = today or date.today()  # the real date: years must have ended
        self.errors: list[RowError] = []
        self.error_count = 0
        self.rows_read = 0
        self.fatal = False  # the file as a whole is refused

    @property
    def ok(self) -> bool:
        return not self.error_count

    @property
    def errors_not_listed(self) -> int:
        return self.error_count - len(self.errors)

    def _error(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(error)

    def _fatal(self, message: str, line: int = 0) -> None:
        self.errors, self.error_count, self.fatal = [RowError(line, message)], 1, True

    def __iter__(self) -> Iterator[DeclarationRow]:
        text = io.TextIOWrapper(self.stream, encoding="utf-8-sig", newline="")
        try:
            yield from self._rows(text)
        except UnicodeDecodeError:
            self._fatal("Le fichier n'est pas encodé en UTF-8.")
        finally:
            text.detach()  # leave the caller's stream open

    def _rows(self, text: io.TextIOWrapper) -> Iterator[DeclarationRow]:
        before = []  # blank lines, then the header: given back to the CSV reader
        for line in text:
            before.append(line)
            if line.strip():
                break
        else:
            self._fatal("Le fichier est vide.")
            return
        delimiter = ";" if ";" in before[-1] else ","
        reader = csv.reader(itertools.chain(before, text), delimiter=delimiter)
        columns = None
        years: dict[str, int | str] = {"today": self.today}
        try:
            for values in reader:
                line = reader.line_num
                if not any(value.strip() for value in values):
                    continue
                if columns is None:
                    columns = self._header(values, line)
                    if columns is None:
                        return
                    width = len(values)
                    continue
                self.rows_read += 1
                if len(values) > width:
                    self._error(RowError(line, "trop de colonnes"))
                    continue
                row, problems = _check_row(line, values, columns, years)
                if problems:
                    self._error(RowError(line, " ; ".join(problems)))
                    continue
                yield row  # same NIR and year as another row: another employer
        except csv.Error as exc:
            self._error(RowError(reader.line_num, f"fichier CSV illisible ({exc})"))
        if columns is None and self.ok:
            self._fatal("Le fichier est vide.")

    def _header(self, values: list[str], line: int) -> _Columns | None:
        header = [value.strip().lower() for value in values]
        missing = [name for name in REQUIRED if name not in header]
        unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
        if missing or unknown or len(set(header)) != len(header):
            expected = ";".join(REQUIRED + OPTIONAL)
            self._fatal(f"en-tête invalide : colonnes attendues {expected}", line)
            return None
        position = {name: index for index, name in enumerate(header)}
        return _Columns(
            position["nir"],
            position["annee"],
            position["heures_travaillees"],
            position.get("duree_reference"),
            position.get("faiblement_qualifie"),
        )


def parse_declarations(data: bytes, today: date | None = None) -> ParseResult:
    """Read a whole file held in memory; a row with a problem gives one RowError listing its
    problems. Files too big for memory go through DeclarationReader."""
    reader = DeclarationReader(io.BytesIO(data), today)
    rows = list(reader)
    return ParseResult([] if reader.fatal else rows, reader.errors)
