"""Mon compte d'heures, the DIF form and uploads, the attestation download, the admin."""

import html
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from audit.models import AuditEntry, Event
from delegations.access import ACTING_FOR
from delegations.models import Delegation, Level, Status
from hours import services
from hours.models import DifDeclaration, LedgerKind
from nir import rules as nir_rules
from tests.fixtures.accounts import admin_nir_search

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes(size=(20, 10), fmt="PNG", mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, "white").save(buffer, fmt)
    return buffer.getvalue()


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def corrupt_png():
    """A PNG whose header reads well but whose image data fails its checksum."""
    data = bytearray(png_bytes())
    at = data.index(b"IDAT") + 6
    data[at] ^= 0xFF
    return bytes(data)


def bomb_png(width=200_000, height=200_000):
    """A tiny file announcing a gigantic image (Pillow refuses it on open)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_login_required(client, settings):
    for name in ("hours:compte", "hours:dif", "hours:attestation"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_page_without_hours_shows_the_seed_message(logged_client):
    page = html.unescape(logged_client.get(reverse("hours:compte")).content.decode())
    assert page.count("<h1>") == 1 and "<h1>Mon compte d'heures</h1>" in page
    assert "ne sera alimenté qu'à partir du mois de mars" in page
    assert "Heures DIF non renseignées" in page
    assert reverse("hours:dif") in page
    assert "24 heures par an jusqu'à 120 heures" in page


def test_page_with_credits_mobilisations_and_dif(logged_client, titulaire, row):
    nir = titulaire.nir
    services.credit_declarations(
        [row(nir, 2015), row(nir, 2016, worked="803.5"), row(nir, 2017, worked=1607, low=True)]
    )
    services.add_movement(nir, LedgerKind.ABONDEMENT, 10, "Abondement de la Région", None)
    services.mobilise(nir, 30, 41, "2016-000041")
    services.declare_dif(nir, 40)
    services.mobilise_dif(nir, 15, 41, "2016-000041")
    page = logged_client.get(reverse("hours:compte")).content.decode()
    for text in (
        "<caption>",
        'scope="col"',
        'scope="row">2016</th>',
        "803,5 h",
        "50 %",
        "12 h",
        "prorata",
        "48 h par an",
        "Abondement de la Région",
        "+10 h",
        "2016-000041",
        "-30 h",
        "-15 h",
        "Heures DIF disponibles",
        ">25</span>",
    ):
        assert text in page, text
    balance = 24 + 12 + 48 + 10 - 30
    assert f'<span class="big-number">{balance}</span>' in page
    assert nir not in page


def test_page_for_a_delegate_hides_confidential_refs(client, make_titulaire, row):
    owner, delegate = make_titulaire(), make_titulaire()
    services.credit_declarations([row(owner.nir, 2015)])
    delegation = Delegation.objects.create(
        titulaire=owner,
        delegate=delegate,
        email=delegate.email,
        level=Level.VIEW,
        status=Status.ACCEPTED,
        accepted_at=timezone.now(),
    )
    client.force_login(delegate)
    session = client.session
    session[ACTING_FOR] = delegation.pk
    session.save()
    page = html.unescape(client.get(reverse("hours:compte")).content.decode())
    assert '<span class="big-number">24</span>' in page
    assert "Le titulaire n'a pas encore renseigné" in page
    assert reverse("hours:dif") not in page
    assert client.get(reverse("hours:dif")).status_code == 403
    assert client.get(reverse("hours:attestation")).status_code == 404


@pytest.mark.parametrize("hours", ["0", "120", " 35 "])
def test_dif_form_accepts(logged_client, titulaire, hours):
    response = logged_client.post(reverse("hours:dif"), {"hours": hours})
    assert response.status_code == 302 and response["Location"] == reverse("hours:compte")
    assert services.dif_balance(titulaire.nir) == int(hours)
    assert AuditEntry.objects.filter(event=Event.DIF_CHANGE).count() == 1


@pytest.mark.parametrize(
    "hours, message",
    [
        ("", "même si celui-ci est à 0"),
        ("121", "120 heures au plus"),
        ("-1", "négatif"),
        ("12.5", "nombre entier"),
        ("abc", "nombre entier"),
    ],
)
def test_dif_form_refuses(logged_client, titulaire, hours, message):
    response = logged_client.post(reverse("hours:dif"), {"hours": hours})
    page = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert message in page and 'class="error-summary"' in page and "id_hours_error" in page
    assert not DifDeclaration.objects.exists()


@pytest.mark.parametrize(
    "name, data",
    [
        ("attestation.pdf", PDF),
        ("scan.png", png_bytes()),
        ("photo.JPG", png_bytes(fmt="JPEG")),
        ("photo.jpeg", png_bytes(fmt="JPEG")),
    ],
)
def test_good_uploads_are_stored_privately_under_a_random_name(
    logged_client, titulaire, private_dir, name, data
):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = logged_client.post(reverse("hours:dif"), {"hours": "20", "attestation": upload})
    assert response.status_code == 302
    declaration = DifDeclaration.objects.get(nir=titulaire.nir)
    stored = declaration.attestation.name
    assert stored.startswith("dif/") and name.split(".")[0] not in stored
    assert (private_dir / stored).read_bytes() == data
    download = logged_client.get(reverse("hours:attestation"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == data


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("attestation.pdf", png_bytes(), "PDF, un JPEG ou un PNG"),  # forged extension
        ("scan.png", PDF, "PDF, un JPEG ou un PNG"),
        ("virus.exe", b"MZ\x90\x00" + b"\x00" * 100, "PDF, un JPEG ou un PNG"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, "PDF, un JPEG ou un PNG"),
        ("gros.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"%%EOF", "5 Mo"),
        ("bombe.png", bomb_png(), "trop grande"),
        ("large.png", bomb_png(8000, 6000), "trop grande"),
        ("vide.pdf", b"", "vide"),
        ("coupe.pdf", PDF[: PDF.index(b"%%EOF")], "PDF, un JPEG ou un PNG"),  # truncated
        ("abime.png", corrupt_png(), "PDF, un JPEG ou un PNG"),  # header fine, data broken
    ],
)
def test_bad_uploads_are_refused(logged_client, private_dir, name, data, message):
    upload = SimpleUploadedFile(name, data)
    response = logged_client.post(reverse("hours:dif"), {"hours": "20", "attestation": upload})
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert not DifDeclaration.objects.exists()
    assert not private_dir.exists() or not any(private_dir.rglob("*.*"))


def test_locked_dif_is_read_only(logged_client, titulaire):
    services.declare_dif(titulaire.nir, 30)
    services.lock_dif(titulaire.nir)
    page = logged_client.get(reverse("hours:dif")).content.decode()
    assert "ne peut plus être modifié" in page and "<form" not in page.split("</header>")[-1]
    response = logged_client.post(reverse("hours:dif"), {"hours": "90"})
    assert response.status_code == 200
    assert services.dif_balance(titulaire.nir) == 30


def test_attestation_of_another_titulaire_is_404(client, make_titulaire):
    owner, other = make_titulaire(), make_titulaire()
    services.declare_dif(owner.nir, 10, SimpleUploadedFile("a.pdf", PDF), attestation_ext="pdf")
    client.force_login(other)
    assert client.get(reverse("hours:attestation")).status_code == 404
    services.declare_dif(other.nir, 0)  # a balance but no attestation
    assert client.get(reverse("hours:attestation")).status_code == 404


def test_admin_ledger_is_read_only_and_searchable_by_exact_nir(staff_client, nir_factory, row):
    a, b = nir_factory(), nir_factory()
    services.credit_declarations([row(a, 2015), row(b, 2016)])
    url = reverse("admin:hours_ledgerentry_changelist")
    page = staff_client.get(url).content.decode()
    assert nir_rules.mask_nir(a).replace(" ", "\u00a0") in page
    assert a not in page and b not in page
    found = admin_nir_search(staff_client, url, nir_rules.format_nir(a)).context["cl"]
    assert [e.year for e in found.result_list] == [2015]
    assert staff_client.get(url, {"q": a[:8]}).context["cl"].result_count == 0
    entry = services.add_movement(a, LedgerKind.ABONDEMENT, 5, "x", None)
    change = reverse("admin:hours_ledgerentry_change", args=[entry.pk])
    assert staff_client.post(change, {"hours": 500}).status_code in (302, 403)
    assert services.cpf_balance(a) == 29
    delete = reverse("admin:hours_ledgerentry_delete", args=[entry.pk])
    assert staff_client.post(delete, {"post": "yes"}).status_code == 403


def test_admin_add_movement(staff_client, nir_factory):
    nir = nir_factory()
    add = reverse("admin:hours_ledgerentry_add")
    assert staff_client.get(add)["Location"] == reverse("admin:hours_ledgerentry_movement")
    url = reverse("admin:hours_ledgerentry_movement")
    response = staff_client.post(
        url, {"nir": nir, "kind": "abondement", "hours": "100", "label": "Abondement correctif"}
    )
    assert response.status_code == 302
    assert services.cpf_balance(nir) == 100
    refused = staff_client.post(
        url, {"nir": nir, "kind": "correction", "hours": "-200", "label": "Trop"}
    )
    assert refused.status_code == 200 and "négatif" in refused.content.decode()
    assert AuditEntry.objects.filter(event=Event.HOURS_CHANGE).count() == 1


def test_admin_balances_without_a_query_per_row(
    staff_client, nir_factory, row, django_assert_max_num_queries
):
    nirs = [nir_factory() for _ in range(6)]
    services.credit_declarations([row(nir, 2015) for nir in nirs])
    services.declare_dif(nirs[0], 42)
    url = reverse("admin:hours_hoursaccount_changelist")
    with django_assert_max_num_queries(12):
        response = staff_client.get(url)
    page = response.content.decode()
    assert page.count(">24<") == 6 and ">42<" in page
    assert all(nir not in page for nir in nirs)


def test_admin_attestation_download(staff_client, client, make_titulaire):
    owner = make_titulaire()
    declaration = services.declare_dif(
        owner.nir, 10, SimpleUploadedFile("a.pdf", PDF), attestation_ext="pdf"
    )
    url = reverse("admin:hours_difdeclaration_attestation", args=[declaration.pk])
    listing = staff_client.get(reverse("admin:hours_difdeclaration_changelist")).content
    assert url.encode() in listing
    response = staff_client.get(url)
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"
    staff_client.logout()
    staff_client.force_login(make_titulaire())
    assert staff_client.get(url).status_code in (302, 404)


def test_year_reasons_come_from_the_rule_not_the_label(nir_factory, row):
    """The page's reasons are the accrual rule's codes stored with each credit."""
    from hours import accrual
    from hours.models import LedgerEntry
    from hours.overview import hours_overview

    nir = nir_factory()
    services.add_movement(nir, LedgerKind.CORRECTION, 110, "Reprise d'heures", None)
    services.credit_declarations([row(nir, 2015)])
    credit = LedgerEntry.objects.get(nir=nir, year=2015)
    assert set(credit.reasons.split(",")) == {"full_time", "threshold_crossed"}
    (line,) = hours_overview(nir).years
    assert line.hours_credited == 17
    assert set(line.reasons) == {
        accrual.REASON_LABELS["full_time"],
        accrual.REASON_LABELS["threshold_crossed"],
    }


def test_page_says_why_a_year_earned_12_h_above_the_step(logged_client, titulaire, row):
    nir = titulaire.nir
    services.add_movement(nir, LedgerKind.CORRECTION, 120, "Reprise d'heures", None)
    services.credit_declarations([row(nir, 2016)])
    page = html.unescape(logged_client.get(reverse("hours:compte")).content.decode())
    assert "<li>Le compte détient déjà 120 h ou plus : 12 h par an</li>" in page
    assert "le compte détient déjà 120 h ou plus : 12 h par an. 12 heures créditées" in page


def test_page_adds_up_several_employers(logged_client, titulaire, row):
    nir = titulaire.nir
    services.credit_declarations(
        [row(nir, 2016, worked=500, reference=1600), row(nir, 2016, worked=400)]
    )
    page = html.unescape(logged_client.get(reverse("hours:compte")).content.decode())
    assert "900 h<br>" in page and "2 employeurs" in page  # no single reference to show
    assert "56,1 %" in page  # 500/1600 + 400/1607
    assert "<strong>14 h</strong>" in page


def test_page_explains_that_top_ups_do_not_count(logged_client, titulaire, row):
    nir = titulaire.nir
    services.add_movement(nir, LedgerKind.ABONDEMENT, 140, "Abondement correctif", None)
    services.credit_declarations([row(nir, 2016)])
    page = html.unescape(logged_client.get(reverse("hours:compte")).content.decode())
    assert "<strong>24 h</strong>" in page
    assert "hors abondements, de 0 h à 24 h" in page
    assert "ne comptent ni pour le palier de 120 heures ni pour les limites" in page
    assert "leurs déclarations s'additionnent" in page


def test_reasons_stored_by_earlier_versions_stay_readable(nir_factory):
    """Codes written before above_step existed (and any unknown code) still display."""
    from hours.models import EmployerDeclaration, LedgerEntry
    from hours.overview import hours_overview

    nir = nir_factory()
    declaration = EmployerDeclaration.objects.create(nir=nir, year=2016, hours_worked=1607)
    LedgerEntry.objects.create(
        nir=nir,
        kind=LedgerKind.CREDIT_ANNUEL,
        hours=0,
        year=2016,
        declaration=declaration,
        label="Année complète à temps plein ; plafond de 150 h atteint.",
        reasons="full_time,ceiling_reached,retired_code",
    )
    (line,) = hours_overview(nir).years
    assert line.reasons == ("année complète à temps plein", "plafond atteint")
    assert (line.employers, line.reference_hours, line.percent) == (1, "1\u202f607", "100")
