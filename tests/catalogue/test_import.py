import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from catalogue.demo_data import generate
from catalogue.forms import CatalogueImportForm
from catalogue.importer import HEADER, import_catalogue
from catalogue.models import ListKind, Training, TrainingKind

pytestmark = pytest.mark.django_db

HEAD = ";".join(HEADER)
GOOD = [
    "300;Anglais professionnel;TOEIC;Institut Boussole;Rennes;35 Ille-et-Vilaine;presentiel;40;"
    "COPANEF|COPAREF:Bretagne",
    "201;Se préparer au CléA;Certificat CléA;Centre Avenir Pro;Lyon;69 - Rhône;Mixte;60;CLEA",
    "410;Soudeur;CQPM Soudeur;Atelier Passerelle;Metz;57 Moselle;distance;300;CPNE:Métallurgie",
]


def csv_text(*lines):
    return "\n".join([HEAD, *lines]) + "\n"


def test_import_creates_then_updates_by_code():
    report = import_catalogue(csv_text(*GOOD))
    assert report.ok, report.errors
    assert (report.created, report.updated) == (3, 0)
    anglais = Training.objects.get(cpf_code="300")
    assert anglais.department_code == "35" and anglais.department_name == "Ille-et-Vilaine"
    assert {lst.kind for lst in anglais.lists.all()} == {ListKind.COPANEF, ListKind.COPAREF}
    assert Training.objects.get(cpf_code="201").kind == TrainingKind.CLEA
    assert Training.objects.get(cpf_code="201").mode == "mixte"

    changed = GOOD[0].replace(";40;", ";45;").replace("|COPAREF:Bretagne", "")
    report = import_catalogue(csv_text(changed))
    assert (report.created, report.updated) == (0, 1)
    anglais.refresh_from_db()
    assert anglais.duration_hours == 45
    assert [lst.kind for lst in anglais.lists.all()] == [ListKind.COPANEF]
    assert Training.objects.count() == 3


def test_bad_rows_are_all_reported_and_nothing_imported():
    lines = [
        GOOD[0],
        ";Sans code;X;Y;Rennes;35 Ille-et-Vilaine;presentiel;40;COPANEF",
        "500;Titre;Cert;Org;Nantes;Loire-Atlantique;presentiel;40;COPANEF",
        "501;Titre;Cert;Org;Nantes;44 Loire-Atlantique;en avion;0;COPANEF",
        "502;Titre;Cert;Org;Nantes;44 Loire-Atlantique;presentiel;10;LISTEX",
        "503;trop;peu;de;colonnes",
        GOOD[0],
    ]
    report = import_catalogue(csv_text(*lines))
    assert not report.ok
    lines_in_error = [line for line, _message in report.errors]
    assert lines_in_error == [3, 4, 5, 6, 7, 8]
    messages = dict(report.errors)
    assert "code CPF est obligatoire" in messages[3]
    assert "département invalide" in messages[4]
    assert "modalité invalide" in messages[5] and "durée" in messages[5]
    assert "LISTEX" in messages[6]
    assert "colonnes" in messages[7]
    assert "déjà présent ligne 2" in messages[8]
    assert Training.objects.count() == 0
    assert report.error_lines()[0].startswith("Ligne 3 :")


@pytest.mark.parametrize("text", ["", "a;b;c\n1;2;3\n", "\x00\x00"])
def test_bad_header(text):
    report = import_catalogue(text)
    assert not report.ok and report.errors[0][0] == 1


def test_import_command(tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_text(csv_text(*GOOD), encoding="utf-8")
    out = io.StringIO()
    call_command("import_catalogue", str(path), stdout=out)
    assert "3 formations créées" in out.getvalue()

    path.write_text(csv_text(GOOD[0], "x;;;;;;;;"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="aucune formation importée"):
        call_command("import_catalogue", str(path), stderr=err)
    assert "Ligne 3" in err.getvalue()


def test_import_command_cp1252(tmp_path):
    path = tmp_path / "catalogue.csv"
    path.write_bytes(csv_text(GOOD[1]).encode("cp1252"))
    call_command("import_catalogue", str(path), stdout=io.StringIO())
    assert Training.objects.get(cpf_code="201").title == "Se préparer au CléA"


def test_admin_import_view(staff_client):
    url = reverse("admin:catalogue_training_import")
    assert staff_client.get(url).status_code == 200
    bad = io.BytesIO(csv_text(GOOD[0], "999;;;;;;;;").encode())
    bad.name = "bad.csv"
    response = staff_client.post(url, {"file": bad})
    assert response.status_code == 200
    assert "Ligne 3" in response.content.decode()
    assert Training.objects.count() == 0
    good = io.BytesIO(csv_text(*GOOD).encode())
    good.name = "good.csv"
    response = staff_client.post(url, {"file": good})
    assert response.status_code == 302
    assert Training.objects.count() == 3
    changelist = staff_client.get(reverse("admin:catalogue_training_changelist"), {"q": "soud"})
    assert "Atelier Passerelle" in changelist.content.decode()


def test_demo_catalogue_is_deterministic_and_idempotent():
    first = generate(50)
    assert [r.cpf_code for r in first] == [r.cpf_code for r in generate(50)]
    assert len({r.cpf_code for r in generate(300)}) == 300
    out = io.StringIO()
    call_command("generate_catalogue", "--count", "40", stdout=out)
    assert "40 formations créées" in out.getvalue()
    call_command("generate_catalogue", "--count", "40", stdout=out)
    assert Training.objects.count() == 40
    from catalogue.demo_data import seed

    seed(io.StringIO())
    assert Training.objects.count() == 300
    assert Training.objects.filter(kind=TrainingKind.CLEA).exists()
    assert Training.objects.filter(lists__kind=ListKind.COPAREF).exists()


def test_the_admin_form_refuses_a_file_over_5_mb():
    header = (";".join(HEADER) + "\n").encode()
    at_limit = SimpleUploadedFile("c.csv", header.ljust(5 * 1024 * 1024, b"\n"))
    assert CatalogueImportForm(files={"file": at_limit}).is_valid()
    over = SimpleUploadedFile("c.csv", header.ljust(5 * 1024 * 1024 + 1, b"\n"))
    form = CatalogueImportForm(files={"file": over})
    assert not form.is_valid()
    assert form.errors["file"] == ["Le fichier dépasse 5 Mo."]
