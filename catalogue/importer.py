"""Import of the catalogue from CSV (admin view and `manage.py import_catalogue`).

Header: code_cpf;intitule;certification;organisme;ville;departement;modalite;duree_heures;listes
- departement: "35 Ille-et-Vilaine" (code, then name; a dash between them is accepted);
- mode: presentiel | distance | mixte (or the French label);
- listes: tokens separated by "|": COPANEF, COPAREF:<région>, CPNE:<branche>, CLEA, VAE, BILAN.

Every row is checked; if any row is bad nothing is imported and every bad row is reported with
its line number. A code already in the catalogue is updated, a new one is created.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import (
    EligibilityList,
    ListKind,
    Training,
    TrainingKind,
    TrainingMode,
    list_kinds_mask,
)

# The CSV columns are the public file format (French, as the files in use are): the code's
# names are English, the header is not renamed with them.
HEADER = [
    "code_cpf",
    "intitule",
    "certification",
    "organisme",
    "ville",
    "departement",
    "modalite",
    "duree_heures",
    "listes",
]
MAX_ROWS = 20_000
CODE_RE = re.compile(r"^[0-9A-Z][0-9A-Z -]{0,19}$")
DEPARTMENT_RE = re.compile(r"^(2A|2B|97[1-6]|[0-9]{2})\s*[-–]?\s*(\S.*)$", re.IGNORECASE)
MODES = {m.value: m.value for m in TrainingMode} | {
    str(m.label).lower(): m.value for m in TrainingMode
}
MODES |= {"a distance": TrainingMode.DISTANCE, "présentiel": TrainingMode.PRESENTIEL}


@dataclass
class ParsedRow:
    line: int
    cpf_code: str
    title: str
    certification: str
    provider: str
    town: str
    department_code: str
    department_name: str
    mode: str
    duration_hours: int
    kind: str
    lists: list[tuple[str, str, str]]  # (kind, region, branch)


@dataclass
class ImportReport:
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    created: int = 0
    updated: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self) -> list[str]:
        return [
            _("Ligne %(line)s : %(message)s") % {"line": n, "message": m} for n, m in self.errors
        ]


def parse_lists(value: str) -> tuple[str, list[tuple[str, str, str]]]:
    """Returns (training kind, lists). Raises ValueError with a French message."""
    kind = TrainingKind.CERTIFIANTE
    lists = []
    for raw in value.split("|"):
        token = raw.strip()
        if not token:
            continue
        name, _sep, arg = token.partition(":")
        name, arg = name.strip().upper(), arg.strip()
        if name == "COPANEF" and not arg:
            lists.append((ListKind.COPANEF, "", ""))
        elif name == "COPAREF" and arg:
            lists.append((ListKind.COPAREF, arg[:100], ""))
        elif name == "CPNE" and arg:
            lists.append((ListKind.CPNE, "", arg[:150]))
        elif name in {"CLEA", "CLÉA", "VAE", "BILAN"} and not arg:
            kind = {"CLEA": "clea", "CLÉA": "clea", "VAE": "vae", "BILAN": "bilan"}[name]
        else:
            raise ValueError(_("liste éligible inconnue « %(token)s »") % {"token": token[:60]})
    if kind == TrainingKind.CERTIFIANTE and not lists:
        raise ValueError(_("au moins une liste éligible est obligatoire"))
    return kind, lists


def parse_row(line: int, row: dict) -> tuple[ParsedRow | None, list[str]]:
    errors = []
    values = {key: (row.get(key) or "").strip() for key in HEADER}
    code = re.sub(r"\s+", " ", values["code_cpf"]).upper()
    if not code:
        errors.append(_("le code CPF est obligatoire"))
    elif not CODE_RE.match(code):
        errors.append(_("code CPF invalide « %(code)s »") % {"code": code[:30]})
    for key, label, size in (
        ("intitule", _("l'intitulé"), 255),
        ("certification", _("la certification"), 255),
        ("organisme", _("l'organisme"), 200),
        ("ville", _("la ville"), 100),
    ):
        if not values[key]:
            errors.append(_("%(field)s est obligatoire") % {"field": label})
        elif len(values[key]) > size:
            errors.append(_("%(field)s est trop long") % {"field": label})
    dep = DEPARTMENT_RE.match(values["departement"])
    if not dep:
        errors.append(_("département invalide (attendu : « 35 Ille-et-Vilaine »)"))
    mode = MODES.get(values["modalite"].lower())
    if mode is None:
        errors.append(_("modalité invalide (presentiel, distance ou mixte)"))
    hours = None
    if not values["duree_heures"].isdigit() or not 0 < int(values["duree_heures"]) <= 10_000:
        errors.append(_("durée en heures invalide (un nombre entier entre 1 et 10 000)"))
    else:
        hours = int(values["duree_heures"])
    kind, lists = TrainingKind.CERTIFIANTE, []
    try:
        kind, lists = parse_lists(values["listes"])
    except ValueError as exc:
        errors.append(str(exc))
    if errors:
        return None, errors
    return (
        ParsedRow(
            line=line,
            cpf_code=code,
            title=values["intitule"],
            certification=values["certification"],
            provider=values["organisme"],
            town=values["ville"],
            department_code=dep.group(1).upper(),
            department_name=dep.group(2).strip()[:100],
            mode=mode,
            duration_hours=hours,
            kind=kind,
            lists=lists,
        ),
        [],
    )


def parse_csv(text: str) -> ImportReport:
    report = ImportReport()
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=";")
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        report.errors.append((1, _("le fichier est vide")))
        return report
    header = [h.strip().lower() for h in header]
    if header != HEADER:
        report.errors.append((1, _("en-tête attendu : %(header)s") % {"header": ";".join(HEADER)}))
        return report
    seen: dict[str, int] = {}
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(report.rows) + len(report.errors) >= MAX_ROWS:
                report.errors.append((line, _("trop de lignes (20 000 au plus)")))
                break
            if len(values) != len(HEADER):
                report.errors.append((line, _("%(n)s colonnes au lieu de 9") % {"n": len(values)}))
                continue
            parsed, errors = parse_row(line, dict(zip(HEADER, values, strict=True)))
            if errors:
                report.errors.append((line, " ; ".join(errors)))
                continue
            if parsed.cpf_code in seen:
                report.errors.append(
                    (
                        line,
                        _("code CPF %(code)s déjà présent ligne %(other)s")
                        % {"code": parsed.cpf_code, "other": seen[parsed.cpf_code]},
                    )
                )
                continue
            seen[parsed.cpf_code] = line
            report.rows.append(parsed)
    except csv.Error as exc:
        report.errors.append((reader.line_num, _("fichier CSV illisible (%(e)s)") % {"e": exc}))
    return report


def decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


FIELDS = [
    "title",
    "certification",
    "kind",
    "provider",
    "town",
    "department_code",
    "department_name",
    "mode",
    "duration_hours",
    "is_active",
    "updated_at",
    "region",
    "keywords_search",
    "place_search",
    "list_kinds",
]


def save_rows(rows: list[ParsedRow], report: ImportReport | None = None) -> ImportReport:
    """Create or update trainings by code, in bulk, and replace their lists."""
    report = report or ImportReport(rows=rows)
    now = timezone.now()
    with transaction.atomic():
        codes = [row.cpf_code for row in rows]
        existing = {t.cpf_code: t for t in Training.objects.filter(cpf_code__in=codes)}
        to_create, to_update = [], []
        for row in rows:
            training = existing.get(row.cpf_code) or Training(cpf_code=row.cpf_code)
            training.title = row.title
            training.certification = row.certification
            training.kind = row.kind
            training.provider = row.provider
            training.town = row.town
            training.department_code = row.department_code
            training.department_name = row.department_name
            training.mode = row.mode
            training.duration_hours = row.duration_hours
            training.is_active = True
            training.updated_at = now
            training.refresh_search_fields()  # bulk writes skip save()
            # The links are replaced below in bulk (no m2m signal): their kinds written here.
            training.list_kinds = list_kinds_mask(kind for kind, _region, _branche in row.lists)
            (to_update if training.pk else to_create).append(training)
        Training.objects.bulk_create(to_create, batch_size=500)
        Training.objects.bulk_update(to_update, FIELDS, batch_size=500)
        ids = dict(Training.objects.filter(cpf_code__in=codes).values_list("cpf_code", "id"))
        lists: dict[tuple, EligibilityList] = {}
        for key in {key for row in rows for key in row.lists}:
            lists[key], _created = EligibilityList.objects.get_or_create(
                kind=key[0], region=key[1], branch=key[2]
            )
        through = Training.lists.through
        through.objects.filter(training_id__in=ids.values()).delete()
        through.objects.bulk_create(
            [
                through(training_id=ids[row.cpf_code], eligibilitylist_id=lists[key].pk)
                for row in rows
                for key in dict.fromkeys(row.lists)
            ],
            batch_size=1000,
        )
        report.created += len(to_create)
        report.updated += len(to_update)
    return report


def import_catalogue(text: str) -> ImportReport:
    """Validate every row, then import all of them, or none if any row is bad."""
    report = parse_csv(text)
    if report.ok:
        save_rows(report.rows, report)
    return report
