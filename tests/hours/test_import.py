"""Import of employer declarations: parser, service, command and admin upload."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts import nir as nir_rules
from audit.models import AuditEntry, Event
from hours import services
from hours.importer import parse_declarations
from hours.models import EmployerDeclaration, LedgerEntry

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
        f"{good};2016;1200;;",  # 10: same NIR and year as line 2, other values
        f"{good};2019;1607;;",  # 11: current year
    )
    result = parse_declarations(data, today=TODAY)
    assert [e.line for e in result.errors] == [3, 4, 5, 6, 7, 8, 9, 10, 11]
    report = "\n".join(str(e) for e in result.errors)
    assert "Ligne 3 : NIR" in report and "2014" in report and "ligne 2" in report
    assert good not in report and wrong_key not in report
    assert nir_rules.mask_nir(good) in report


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
        f"Ligne 3 : déclaration déjà importée avec d'autres valeurs (NIR {nir_rules.mask_nir(nir)})"
    ]
    assert services.cpf_balance(nir) == 24


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
    assert "Ligne 2" in err and "Ligne 3" in err and nir not in err
    with pytest.raises(CommandError, match="illisible"):
        call_command("import_declarations", str(tmp_path / "absent.csv"))


@pytest.fixture
def admin_client(client, make_titulaire):
    staff = make_titulaire(is_staff=True, is_superuser=True)
    client.force_login(staff)
    return client


@pytest.mark.django_db
def test_admin_upload(admin_client, nir_factory, csv_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:hours_employerdeclaration_import")
    changelist = admin_client.get(reverse("admin:hours_employerdeclaration_changelist"))
    assert url in changelist.content.decode()
    nir = nir_factory()
    bad = SimpleUploadedFile("bad.csv", csv_bytes(f"{nir};2016;1607;;", f"{nir};20;1;;"))
    response = admin_client.post(url, {"file": bad})
    page = response.content.decode()
    assert response.status_code == 200 and "Ligne 3" in page and nir not in page
    assert not EmployerDeclaration.objects.exists()
    good = SimpleUploadedFile("good.csv", csv_bytes(f"{nir};2016;1607;;"))
    response = admin_client.post(url, {"file": good})
    assert response.status_code == 302
    assert services.cpf_balance(nir) == 24
    listing = admin_client.get(reverse("admin:hours_employerdeclaration_changelist")).content
    assert nir_rules.mask_nir(nir).replace(" ", "\u00a0").encode() in listing
    assert nir.encode() not in listing
