"""Parse and check a CSV file of employer declarations. No database access: returns the rows
and every error with its line number; hours.services.import_declarations does the rest.

Header: nir;annee;heures_travaillees;duree_reference;faiblement_qualifie (the last two
optional). Separator ';' or ',' (detected on the header), UTF-8 with or without BOM. Error
messages are in French and show the NIR masked only.

One row per employer declaration. Years worked 2015 to 2018 only (the CPF started on 1 January
2015, its hours became euros on 1 January 2019), and only years already ended on `today`.
Several rows for the same NIR and year are several employers' declarations, all kept (the
portal's reading: a year's declarations arrive in one file, as the annual DADS campaign does;
hours.services credits the year once from their combined prorata).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from accounts import nir as nir_rules
from hours import accrual

REQUIRED = ("nir", "annee", "heures_travaillees")
OPTIONAL = ("duree_reference", "faiblement_qualifie")
MAX_HOURS = Decimal(8784)  # 366 days x 24 h
MAX_FILE_BYTES = 10 * 1024 * 1024
TRUE_WORDS = {"oui", "1", "true", "vrai"}
FALSE_WORDS = {"non", "0", "false", "faux", ""}


@dataclass(frozen=True)
class DeclarationRow:
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


def _decode(data: bytes) -> str:
    return data.decode("utf-8-sig")


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


def _check_row(line: int, raw: dict, today: date) -> tuple[DeclarationRow | None, list[str]]:
    problems = []
    raw_nir = (raw.get("nir") or "").strip()
    nir = nir_rules.normalize_nir(raw_nir)
    shown = nir_rules.mask_nir(nir)
    try:
        nir_rules.validate_nir(nir)
    except nir_rules.NirError as exc:
        problems.append(f"NIR {shown} invalide ({exc.message})")
    year = None
    try:
        year = int((raw.get("annee") or "").strip())
    except ValueError:
        problems.append("année manquante ou non numérique")
    else:
        problem = year_problem(year, today)
        if problem:
            problems.append(problem)
    hours = None
    try:
        hours = _hours(raw.get("heures_travaillees") or "")
        if hours < 0 or hours > MAX_HOURS:
            problems.append("heures travaillées hors limites (de 0 à 8 784)")
        elif hours != hours.quantize(Decimal("0.01")):
            problems.append("heures travaillées : deux décimales au plus")
    except ValueError:
        problems.append("heures travaillées manquantes ou non numériques")
    reference = None
    raw_reference = (raw.get("duree_reference") or "").strip()
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
    flag = (raw.get("faiblement_qualifie") or "").strip().lower()
    if flag not in TRUE_WORDS | FALSE_WORDS:
        problems.append("faiblement qualifié : oui, non, 1, 0, vrai ou faux attendu")
    if problems:
        return None, [f"{p} (NIR {shown})" if not p.startswith("NIR") else p for p in problems]
    return (
        DeclarationRow(
            line=line,
            nir=nir,
            year=year,
            hours_worked=hours,
            reference_hours=reference,
            low_qualified=flag in TRUE_WORDS,
        ),
        [],
    )


def parse_declarations(data: bytes, today: date | None = None) -> ParseResult:
    """Read the whole file; a row with a problem gives one RowError listing its problems."""
    today = today or date.today()
    if len(data) > MAX_FILE_BYTES:
        return ParseResult([], [RowError(0, "Le fichier dépasse 10 Mo.")])
    try:
        text = _decode(data)
    except UnicodeDecodeError:
        return ParseResult([], [RowError(0, "Le fichier n'est pas encodé en UTF-8.")])
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    if not header_line:
        return ParseResult([], [RowError(0, "Le fichier est vide.")])
    delimiter = ";" if ";" in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = None
    rows: list[DeclarationRow] = []
    errors: list[RowError] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            if header is None:
                header = [value.strip().lower() for value in values]
                missing = [name for name in REQUIRED if name not in header]
                unknown = [name for name in header if name not in REQUIRED + OPTIONAL]
                if missing or unknown or len(set(header)) != len(header):
                    expected = ";".join(REQUIRED + OPTIONAL)
                    return ParseResult(
                        [], [RowError(line, f"en-tête invalide : colonnes attendues {expected}")]
                    )
                continue
            if len(values) > len(header):
                errors.append(RowError(line, "trop de colonnes"))
                continue
            row, problems = _check_row(line, dict(zip(header, values, strict=False)), today)
            if problems:
                errors.append(RowError(line, " ; ".join(problems)))
                continue
            rows.append(row)  # same NIR and year as another row: another employer
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, f"fichier CSV illisible ({exc})"))
    if header is None:
        return ParseResult([], [RowError(0, "Le fichier est vide.")])
    return ParseResult(rows, errors)
