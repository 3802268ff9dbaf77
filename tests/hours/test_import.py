"""Import of employer declarations: parser, service, command and admin upload."""

from datetime import date
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from audit.models import AuditEntry, Event
from hours import importer, services
from hours.forms import MAX_IMPORT_UPLOAD_BYTES, ImportForm
from hours.importer import parse_declarations
from hours.models import EmployerDeclaration, LedgerEntry
from nir import rules as nir_rules

TODAY = date(2019, 6, 1)


def test_parser_reads_every_optional_form(nir_factory, csv_bytes):
    a, b = nir_factory(), nir_factory()
    spaced = nir_rules.format_nir(b)
    data = csv_bytes(
        f"{a};2016;1607;;",
        f'{spaced};2017;"803,5";1600;oui',
        f"{a};2017;1000;;VRAI",
        f"{b};2018;0;;0",
        "",
    )
    result = parse_declarations(data, today=TODAY)
    assert result.ok, result.errors
    assert [
        (r.nir, r.year, str(r.hours_worked), r.reference_hours, r.low_qualified)
        for r in result.rows
    ] == [
        (a, 2016, "1607", None, False),
        (b, 2017, "803.5", 1600, True),
        (a, 2017, "1000", None, True),
        (b, 2018, "0", None, False),
    ]


@pytest.mark.parametrize("sep, bom", [(";", True), (",", False), (",", True)])
def test_bom_and_comma_separator(nir_factory, csv_bytes, sep, bom):
    nir = nir_factory()
    data = csv_bytes(f"{nir}{sep}2016{sep}1607{sep}{sep}non", sep=sep, bom=bom)
    result = parse_declarations(data, today=TODAY)
    assert result.ok, result.errors
    assert result.rows[0].nir == nir


def test_required_columns_only(nir_factory, csv_bytes):
    nir = nir_factory()
    data = csv_bytes(f"{nir};2016;1607", header="nir;annee;heures_travaillees")
    assert parse_declarations(data, today=TODAY).rows[0].reference_hours is None


def test_every_bad_row_is_reported_with_its_line_and_a_masked_nir(nir_factory, csv_bytes):
    good, bad_key = nir_factory(), nir_factory()
    wrong_key = bad_key[:13] + f"{(int(bad_key[13:]) % 97) + 1:02d}"
    data = csv_bytes(
        f"{good};2016;1607;;",  # line 2: fine
        f"{wrong_key};2016;1607;;",  # 3: key
        f"{good};2014;1607;;",  # 4: year too early
        f"{good};2017;-5;;",  # 5: negative hours
        f"{good};2018;9000;;",  # 6: too many hours
        f"{good};2015;100;0;",  # 7: reference 0
        f"{good};2015;100;;peut-être",  # 8: flag
        f"{good};abc;;;",  # 9: year and hours
        f"{good};2016;300;;",  # 10: fine, a second employer in 2016 (see line 2)
        f"{good};2019;1607;;",  # 11: hours became euros on 1 January 2019
    )
    result = parse_declarations(data, today=TODAY)
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7, 8, 9, 11]
    assert [(r.line, r.year, r.hours_worked) for r in result.rows] == [
        (2, 2016, 1607),
        (10, 2016, 300),
    ]
    report = "\n".join(str(e) for e in result.errors)
    assert "Ligne 3 : NIR" in report and "Ligne 4 : année 2014 refusée" in report
    assert "Ligne 11 : année 2019 refusée" in report
    assert good not in report and wrong_key not in report
    assert nir_rules.mask_nir(good) in report


@pytest.mark.parametrize(
    ("year", "today", "message"),
    [
        (2014, date(2019, 6, 1), "seules les années travaillées de 2015 à 2018 sont acceptées"),
        (2019, date(2020, 6, 1), "converties en euros le 1er janvier 2019"),
        (2025, date(2026, 1, 1), "seules les années travaillées de 2015 à 2018"),
        (2018, date(2018, 12, 31), "pas encore terminée, seules les années de 2015 à 2017"),
        (2017, date(2017, 3, 1), "pas encore terminée, seules les années de 2015 à 2016"),
        (2015, date(2015, 6, 1), "pas encore terminée, aucune année ne peut encore être"),
        (2015, date(2016, 1, 1), None),
        (2018, date(2019, 1, 1), None),
        (2016, date(2026, 6, 1), None),
    ],
)
def test_only_ended_years_from_2015_to_2018(nir_factory, csv_bytes, year, today, message):
    nir = nir_factory()
    result = parse_declarations(csv_bytes(f"{nir};{year};1607;;"), today=today)
    if message is None:
        assert result.ok and result.rows[0].year == year
    else:
        (error,) = result.errors
        assert error.line == 2
        assert str(error).startswith(f"Ligne 2 : année {year} refusée : ")
        assert message in str(error)


def test_without_today_the_date_of_the_day_is_used(nir_factory, csv_bytes):
    nir = nir_factory()
    data = csv_bytes(f"{nir};2018;1607;;", f"{nir};2019;1607;;", f"{nir};{date.today().year};1;;")
    assert [e.line for e in parse_declarations(data).errors] == [3, 4]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "vide"),
        (b"\xff\xfe\x00n", "UTF-8"),
        (b"numero;annee\n1;2\n", "en-tête"),
    ],
)
def test_unreadable_files(data, message):
    result = parse_declarations(data, today=TODAY)
    assert not result.ok and message in str(result.errors[0])


@pytest.mark.django_db
def test_a_file_with_bad_rows_imports_nothing(nir_factory, csv_bytes):
    good = nir_factory()
    data = csv_bytes(f"{good};2016;1607;;", f"{good};2030;1607;;", f"{good};2017;x;;")
    report = services.import_declarations(data, "bad.csv")
    assert [e.line for e in report.errors] == [3, 4]
    assert "de 2015 à 2018" in str(report.errors[0])
    assert not EmployerDeclaration.objects.exists()
    assert not LedgerEntry.objects.exists()
    assert not AuditEntry.objects.filter(event=Event.DECLARATIONS_IMPORT).exists()


@pytest.mark.django_db
def test_importing_the_same_file_twice_credits_nothing_more(nir_factory, csv_bytes):
    a, b = nir_factory(), nir_factory()
    data = csv_bytes(f"{a};2017;1607;;", f"{b};2016;803.5;;", f"{a};2016;1607;;")
    first = services.import_declarations(data, "dads.csv")
    assert (first.declarations_created, first.hours_credited) == (3, 60)
    second = services.import_declarations(data, "dads.csv")
    assert (second.declarations_created, second.already_imported, second.hours_credited) == (
        0,
        3,
        0,
    )
    assert services.cpf_balance(a) == 48 and services.cpf_balance(b) == 12
    assert EmployerDeclaration.objects.get(nir=a, year=2016).source_file == "dads.csv"
    assert AuditEntry.objects.filter(event=Event.DECLARATIONS_IMPORT).count() == 2


@pytest.mark.django_db
def test_changed_values_for_an_imported_year_are_an_error(nir_factory, csv_bytes):
    nir = nir_factory()
    services.import_declarations(csv_bytes(f"{nir};2016;1607;;"), "a.csv")
    report = services.import_declarations(
        csv_bytes(f"{nir};2017;1607;;", f"{nir};2016;800;;"), "b.csv"
    )
    assert [str(e) for e in report.errors] == [
        "Ligne 3 : déclarations de l'année 2016 déjà importées avec d'autres valeurs "
        f"(NIR {nir_rules.mask_nir(nir)}) : les déclarations d'une année s'importent toutes "
        "ensemble"
    ]
    assert services.cpf_balance(nir) == 24
    assert not EmployerDeclaration.objects.filter(nir=nir, year=2017).exists()


# --- Several employers in one year --------------------------------------------------------


@pytest.mark.django_db
def test_several_employers_in_a_year_are_credited_once_from_their_combined_prorata(
    nir_factory, csv_bytes
):
    a, b = nir_factory(), nir_factory()
    data = csv_bytes(
        f"{a};2016;803.5;;",  # line 2: two half-time jobs...
        f"{b};2016;1000;;",
        f"{a};2016;803.5;;",  # 4: ...the same values: still two employers
        f"{a};2017;1000;1820;",  # 5: 1000/1820 + 400/1607 = 79.8 % -> 19.2 -> 20 h
        f"{a};2017;400;;",
    )
    report = services.import_declarations(data, "dads.csv")
    assert report.ok, report.errors
    assert (report.declarations_created, report.hours_credited) == (5, 24 + 20 + 15)
    assert EmployerDeclaration.objects.filter(nir=a, year=2016).count() == 2
    credits = LedgerEntry.objects.filter(nir=a, kind="credit_annuel").order_by("year")
    assert [(c.year, c.hours) for c in credits] == [(2016, 24), (2017, 20)]
    assert "1\u202f607 h travaillées" in credits[0].label
    assert "la durée de référence de chaque employeur" in credits[1].label
    assert services.cpf_balance(a) == 44 and services.cpf_balance(b) == 15


@pytest.mark.django_db
def test_several_full_time_employers_are_capped_at_one_full_year(nir_factory, csv_bytes):
    nir = nir_factory()
    services.import_declarations(csv_bytes(f"{nir};2016;1607;;", f"{nir};2016;1607;;"), "a.csv")
    assert services.cpf_balance(nir) == 24


@pytest.mark.django_db
def test_the_same_employers_file_again_credits_nothing(nir_factory, csv_bytes):
    nir = nir_factory()
    rows = (f"{nir};2016;803.5;;", f"{nir};2016;803.5;;", f"{nir};2017;500;;")
    services.import_declarations(csv_bytes(*rows), "a.csv")
    # The same rows in another order, with another file name: the same declarations.
    again = services.import_declarations(csv_bytes(*reversed(rows)), "b.csv")
    assert again.ok
    assert (again.declarations_created, again.already_imported, again.hours_credited) == (0, 3, 0)
    assert services.cpf_balance(nir) == 24 + 8
    assert EmployerDeclaration.objects.filter(nir=nir).count() == 3


@pytest.mark.parametrize(
    "lines",
    [
        ["{nir};2016;803.5;;"],  # one employer missing
        ["{nir};2016;803.5;;", "{nir};2016;803.5;;", "{nir};2016;100;;"],  # one more
        ["{nir};2016;803.5;;", "{nir};2016;803.5;1600;"],  # another reference
        ["{nir};2016;803.5;;", "{nir};2016;800;;"],  # other hours
    ],
)
@pytest.mark.django_db
def test_another_set_of_rows_for_a_credited_year_is_an_error_on_each_line(
    nir_factory, csv_bytes, lines
):
    nir, other = nir_factory(), nir_factory()
    services.import_declarations(csv_bytes(f"{nir};2016;803.5;;", f"{nir};2016;803.5;;"), "a")
    data = csv_bytes(
        f"{other};2016;1607;;",  # line 2: fine, but nothing is imported
        f"{nir};2017;1607;;",  # 3: a new year for the same NIR, not imported either
        *(line.format(nir=nir) for line in lines),
    )
    report = services.import_declarations(data, "b.csv")
    assert [e.line for e in report.errors] == list(range(4, 4 + len(lines)))
    assert all("l'année 2016 déjà importées" in str(e) for e in report.errors)
    assert (report.declarations_created, report.hours_credited) == (0, 0)
    assert services.cpf_balance(nir) == 24 and services.cpf_balance(other) == 0
    assert EmployerDeclaration.objects.filter(nir=nir).count() == 2
    assert not EmployerDeclaration.objects.filter(nir=other).exists()


@pytest.mark.django_db
def test_a_late_year_is_credited_on_the_account_as_it_stands(nir_factory, csv_bytes):
    """2015 arrives after 2016 and 2017 were credited: it is credited on today's balance and
    the later years are not recomputed."""
    nir = nir_factory()
    services.add_movement(nir, "correction", 130, "Reprise d'heures", None)
    services.import_declarations(csv_bytes(f"{nir};2016;1607;;", f"{nir};2017;1607;;"), "a")
    before = list(LedgerEntry.objects.filter(nir=nir).values_list("pk", "year", "hours"))
    assert [(y, h) for _pk, y, h in before] == [(None, 130), (2016, 12), (2017, 8)]
    report = services.import_declarations(csv_bytes(f"{nir};2015;1607;;"), "late.csv")
    assert report.ok and report.hours_credited == 0  # the account is at its 150 h ceiling
    late = LedgerEntry.objects.get(nir=nir, year=2015)
    assert "plafond de 150 h atteint" in late.label and "de 150 h à 150 h" in late.label
    assert list(LedgerEntry.objects.filter(nir=nir).values_list("pk", "year", "hours"))[:3] == (
        before
    )


@pytest.mark.django_db
def test_command(tmp_path, nir_factory, csv_bytes, capsys):
    nir = nir_factory()
    path = tmp_path / "declarations.csv"
    path.write_bytes(csv_bytes(f"{nir};2016;1607;;", bom=True))
    call_command("import_declarations", str(path))
    assert "1 déclaration(s) importée(s)" in capsys.readouterr().out
    assert services.cpf_balance(nir) == 24
    path.write_bytes(csv_bytes(f"{nir};2017;-1;;", f"{nir};1999;1;;"))
    with pytest.raises(CommandError, match="2 erreur"):
        call_command("import_declarations", str(path))
    err = capsys.readouterr().err
    assert "Ligne 2" in err and "Ligne 3 : année 1999 refusée" in err and nir not in err
    # Checked against the database once every row reads well.
    path.write_bytes(csv_bytes(f"{nir};2017;1607;;", f"{nir};2016;800;;"))
    with pytest.raises(CommandError, match="1 erreur"):
        call_command("import_declarations", str(path))
    err = capsys.readouterr().err
    assert "Ligne 3 : déclarations de l'année 2016 déjà importées" in err and nir not in err
    assert services.cpf_balance(nir) == 24
    with pytest.raises(CommandError, match="illisible"):
        call_command("import_declarations", str(tmp_path / "absent.csv"))


@pytest.mark.django_db
def test_admin_upload(staff_client, nir_factory, csv_bytes):
    url = reverse("admin:hours_employerdeclaration_import")
    changelist = staff_client.get(reverse("admin:hours_employerdeclaration_changelist"))
    assert url in changelist.content.decode()
    nir = nir_factory()
    bad = SimpleUploadedFile("bad.csv", csv_bytes(f"{nir};2016;1607;;", f"{nir};20;1;;"))
    response = staff_client.post(url, {"file": bad})
    page = response.content.decode()
    assert response.status_code == 200 and "Ligne 3" in page and nir not in page
    assert not EmployerDeclaration.objects.exists()
    good = SimpleUploadedFile("good.csv", csv_bytes(f"{nir};2016;1607;;"))
    response = staff_client.post(url, {"file": good})
    assert response.status_code == 302
    assert services.cpf_balance(nir) == 24
    listing = staff_client.get(reverse("admin:hours_employerdeclaration_changelist")).content
    assert nir_rules.mask_nir(nir).replace(" ", "\u00a0").encode() in listing
    assert nir.encode() not in listing


# --- Bulk import (issue 8): any size, streamed, with progress and speed --------------------


def test_a_file_over_ten_megabytes_is_read(nir_factory, csv_bytes):
    """The command streams: no 10 Mo cap any more (the admin's upload keeps one)."""
    nir = nir_factory()
    padding = (" " * 99 + "\n") * 110_000  # 11 Mo of blank lines, skipped
    data = csv_bytes(f"{nir};2016;1607;;") + padding.encode() + f"{nir};2017;1607;;\n".encode()
    assert len(data) > 10 * 1024 * 1024
    result = parse_declarations(data, today=TODAY)
    assert result.ok, result.errors
    assert [(r.line, r.year) for r in result.rows] == [(2, 2016), (110_003, 2017)]


@settings(max_examples=300, deadline=None)
@given(body=st.from_regex(r"[0-9]{13}", fullmatch=True), key=st.integers(0, 99))
def test_the_fast_nir_check_accepts_only_what_validate_nir_accepts(body, key):
    nir = f"{body}{key:02d}"
    try:
        nir_rules.validate_nir(nir)
        valid = True
    except nir_rules.NirError:
        valid = False
    assert importer.plain_nir_is_valid(nir) <= valid  # never accepts a refused NIR
    if valid and nir[0] in "12" and 1 <= int(nir[3:5]) <= 12:
        assert importer.plain_nir_is_valid(nir)  # and accepts the common ones itself


def test_the_fast_nir_check_on_real_looking_numbers(nir_factory):
    for _ in range(200):
        nir = nir_factory()
        assert importer.plain_nir_is_valid(nir) == nir.isdigit()  # 2A/2B: validate_nir
        if not nir.isdigit():
            continue
        wrong = nir[:13] + f"{(int(nir[13:]) % 97) + 1:02d}"
        assert not importer.plain_nir_is_valid(wrong)


@pytest.mark.django_db
def test_errors_beyond_the_first_thousand_are_counted_not_listed(nir_factory, csv_bytes):
    nir = nir_factory()
    data = csv_bytes(*[f"{nir};2014;1607;;"] * 1005)
    report = services.import_declarations(data, "x.csv", today=TODAY)
    assert (report.rows_read, len(report.errors), report.error_count) == (1005, 1000, 1005)
    assert [e.line for e in report.errors[:2]] == [2, 3]
    assert not EmployerDeclaration.objects.exists()


@pytest.mark.django_db
def test_command_says_what_it_did_and_how_fast(tmp_path, nir_factory, csv_bytes, capsys):
    a, b = nir_factory(), nir_factory()
    path = tmp_path / "declarations.csv"
    path.write_bytes(csv_bytes(f"{a};2016;1607;;", f"{b};2016;800;;", f"{a};2017;1607;;"))
    call_command("import_declarations", str(path))
    out = capsys.readouterr().out
    assert "3 déclaration(s) importée(s), 0 déjà présente(s), 2 NIR crédité(s)" in out
    assert "0 erreur" in out and "3 ligne(s) lue(s) en" in out and "lignes/s" in out
    assert "\r" not in out  # no progress when the output is not a terminal
    path.write_bytes(csv_bytes(f"{a};2016;1607;;", f"{a};1999;1;;", *[f"{a};x;;;"] * 1001))
    with pytest.raises(CommandError, match="1002 erreur"):
        call_command("import_declarations", str(path))
    captured = capsys.readouterr()
    assert "1 003 ligne(s) lue(s)" in captured.out.replace("\u202f", " ")
    assert "… et 2 autre(s) erreur(s)." in captured.err


@pytest.mark.django_db
def test_command_shows_progress_on_a_terminal(tmp_path, nir_factory, csv_bytes, monkeypatch):
    from hours import staging

    monkeypatch.setattr(staging, "BATCH_ROWS", 2)
    monkeypatch.setattr(services, "BATCH_ROWS", 2)

    class Terminal(StringIO):
        def isatty(self):
            return True

    nirs = [nir_factory() for _ in range(5)]
    path = tmp_path / "declarations.csv"
    path.write_bytes(csv_bytes(*(f"{nir};2016;1607;;" for nir in nirs)))
    out = Terminal()
    call_command("import_declarations", str(path), stdout=out)
    text = out.getvalue()
    assert "\rLecture : " in text.replace("\033[K", "") and "Crédit des heures : " in text
    assert "5 déclaration(s) importée(s)" in text
    assert not any(nir in text for nir in nirs)


def test_the_admin_form_refuses_a_file_over_10_mb():
    at_limit = SimpleUploadedFile("d.csv", b"nir;annee\n".ljust(MAX_IMPORT_UPLOAD_BYTES, b"\n"))
    assert ImportForm(files={"file": at_limit}).is_valid()
    over = SimpleUploadedFile("d.csv", b"nir;annee\n".ljust(MAX_IMPORT_UPLOAD_BYTES + 1, b"\n"))
    form = ImportForm(files={"file": over})
    assert not form.is_valid()
    assert form.has_error("file", code="too_large")
    assert MAX_IMPORT_UPLOAD_BYTES == 10 * 1024 * 1024
