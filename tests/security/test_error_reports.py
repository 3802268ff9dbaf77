"""Issue 4, point 8: the NIR never appears in an error report. When a request crashes (here the
database refuses to write, as on a full disk), Django mails a report to ADMINS with the request's
POST data; posted while logging in, asking for a reset or signing up, neither its subject nor its
body holds the NIR (or the password)."""

import pytest
from django.core import mail
from django.db import IntegrityError, OperationalError, connection
from django.urls import reverse

from tests.fixtures.personal_data import leaks
from tests.fixtures.signup import (
    GOOD_PASSWORD,
    PASSWORD_URL,
    accept_cgu,
    reach_password_step,
)

pytestmark = pytest.mark.django_db

ADMINS = ["equipe-technique@exemple.test"]
SECRET = "Secret2015!x"


@pytest.fixture(autouse=True)
def admins(settings):
    settings.ADMINS = ADMINS
    settings.DEBUG = False


def refuse_writes(execute, sql, params, many, context):
    if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
        raise OperationalError("could not extend file: No space left on device")
    return execute(sql, params, many, context)


def crash(client, url, data):
    with connection.execute_wrapper(refuse_writes):
        response = client.post(url, data)
    assert response.status_code == 500
    (report,) = [m for m in mail.outbox if m.to == ADMINS]
    assert "No space left on device" in report.body  # the report is the crash's
    return report


def test_the_error_report_is_mailed_and_french_500_page_shown(client, titulaire):
    client.raise_request_exception = False
    login = reverse("accounts:login")
    with connection.execute_wrapper(refuse_writes):
        response = client.post(login, {"username": titulaire.nir, "password": SECRET})
    assert response.status_code == 500 and 'lang="fr"' in response.content.decode()
    assert [m.to for m in mail.outbox] == [ADMINS]


def test_no_nir_in_the_report_of_a_crash_during_login(client, titulaire):
    client.raise_request_exception = False
    report = crash(
        client,
        reverse("accounts:login"),
        {"username": titulaire.nir, "password": SECRET},
    )
    assert "POST:" in report.body and "username" in report.body  # the POST section is there
    assert not leaks(report.subject + report.body, [titulaire.nir])
    assert SECRET not in report.body


def test_no_nir_in_the_report_of_a_crash_during_a_reset_request(client, titulaire):
    client.raise_request_exception = False
    report = crash(
        client,
        reverse("accounts:reset_request"),
        {"username": titulaire.nir, "email": titulaire.email},
    )
    assert not leaks(report.subject + report.body, [titulaire.nir])
    assert titulaire.email not in report.body


def test_no_nir_in_the_report_of_a_crash_during_signup(client, nir_factory):
    client.raise_request_exception = False
    accept_cgu(client)
    nir = nir_factory(sex="F")
    report = crash(
        client,
        reverse("accounts:signup_identity"),
        {
            "nir": nir,
            "civility": "MME",
            "first_name": "Camille",
            "birth_name": "Martin",
            "email": "camille@exemple.test",
            "email_confirmation": "camille@exemple.test",
            "captcha_0": "x",
            "captcha_1": "PASSED",
        },
    )
    assert not leaks(report.subject + report.body, [nir])


def test_no_nir_in_the_report_of_a_crash_in_the_admin_movement_form(staff_client, nir_factory):
    staff_client.raise_request_exception = False
    nir = nir_factory()
    report = crash(
        staff_client,
        reverse("admin:hours_ledgerentry_movement"),
        {"nir": nir, "kind": "abondement", "hours": "10", "label": "Abondement correctif"},
    )
    assert not leaks(report.subject + report.body, [nir])


def test_no_nir_in_the_report_of_a_database_error_quoting_it(client, nir_factory):
    """PostgreSQL quotes the key of a unique violation: "Key (nir)=(…) already exists"."""
    nir = nir_factory()
    reach_password_step(client, nir)
    client.raise_request_exception = False

    def duplicate(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "accounts_pendingsignup" in sql:
            raise IntegrityError(
                'duplicate key value violates unique constraint "accounts_pendingsignup_nir_key"\n'
                f"DETAIL:  Key (nir)=({nir}) already exists."
            )
        return execute(sql, params, many, context)

    with connection.execute_wrapper(duplicate):
        response = client.post(
            PASSWORD_URL, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        )
    assert response.status_code == 500
    (report,) = [m for m in mail.outbox if m.to == ADMINS]
    assert "already exists" in report.body
    assert not leaks(report.subject + report.body, [nir])
