"""Mes informations personnelles: summary and phones."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry, Event

pytestmark = pytest.mark.django_db

INFO = reverse("accounts:informations")
PHONES = reverse("accounts:phones")


def test_login_required(client):
    for url in (
        INFO,
        PHONES,
        reverse("accounts:email"),
        reverse("accounts:password_change"),
        reverse("accounts:email_confirm"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "espace-titulaire" in response.url


def test_summary_shows_masked_nir_and_formatted_phones(client, make_titulaire):
    user = make_titulaire(
        landline="0139981234",
        mobile="0639981234",
        first_name="Léa",
        birth_name="Dupont",
    )
    client.force_login(user)
    response = client.get(INFO)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1 and "Mes informations personnelles" in html
    assert user.masked_nir in html and user.nir not in html
    assert "01 39 98 12 34" in html and "06 39 98 12 34" in html
    assert "Léa" in html and "Dupont" in html and user.email in html
    assert "Madame" in html
    assert 'aria-current="page"' in html


def test_phones_form_prefilled(logged_client, titulaire):
    html = logged_client.get(PHONES).content.decode()
    assert 'for="id_landline"' in html and 'for="id_mobile"' in html


def test_change_phones_normalised_and_audited(logged_client, titulaire):
    response = logged_client.post(
        PHONES, {"landline": "01.39.98.12.34", "mobile": "+33 6 39 98 56 78"}
    )
    assert response.status_code == 302 and response.url == INFO
    titulaire.refresh_from_db()
    assert titulaire.landline == "0139981234"
    assert titulaire.mobile == "0639985678"
    assert AuditEntry.objects.filter(event=Event.PHONE_CHANGE, actor=titulaire).count() == 1


def test_phones_can_be_emptied(logged_client, make_titulaire, client):
    user = make_titulaire(mobile="0639981234", email="p@exemple.test")
    client.force_login(user)
    client.post(PHONES, {"landline": "", "mobile": ""})
    user.refresh_from_db()
    assert user.mobile == ""


@pytest.mark.parametrize(
    ("landline", "mobile", "error_field"),
    [
        ("0639981234", "", "id_landline_error"),  # a mobile number as landline
        ("", "0139981234", "id_mobile_error"),  # a landline as mobile
        ("12", "", "id_landline_error"),
        ("", "abcdefghij", "id_mobile_error"),
        ("x" * 30, "", "id_landline_error"),
    ],
)
def test_invalid_phones_rejected_next_to_the_field(
    logged_client, titulaire, landline, mobile, error_field
):
    response = logged_client.post(PHONES, {"landline": landline, "mobile": mobile})
    html = response.content.decode()
    assert response.status_code == 400
    assert f'id="{error_field}"' in html and "error-summary" in html
    titulaire.refresh_from_db()
    assert titulaire.landline == "" and titulaire.mobile == ""
    assert not AuditEntry.objects.filter(event=Event.PHONE_CHANGE).exists()


def test_absurd_input_never_500(logged_client):
    response = logged_client.post(PHONES, {"landline": "\x00" * 5, "mobile": "é" * 40})
    assert response.status_code == 400
