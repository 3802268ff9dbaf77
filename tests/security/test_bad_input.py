"""Issue 4, point 11: every form of the portal gets random, oversized, non-UTF-8 (raw bytes in
multipart), NUL-byte, RTL and emoji values, missing and duplicated fields. Never a 500 (the test
client re-raises any exception), always a French page, nothing half-saved when the form is
refused. Upload checks (type, forged extension, size, decompression bomb) are in
tests/hours/test_views.py::test_bad_uploads_are_refused."""

import datetime
from urllib.parse import quote_from_bytes

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.services.reset import SESSION_TOKEN, make_link_token
from dossiers.models import Dossier
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.bad_input import VALUE, as_multipart, counts
from tests.fixtures.catalogue import make_training
from tests.fixtures.signup import accept_cgu, reach_password_step

pytestmark = pytest.mark.django_db

# Rows a refused submission may add (trail, lockout counters, captchas, sessions).

FORMS = {
    "signup_cgu": ("accounts:signup_cgu", ["accept"]),
    "signup_identity": (
        "accounts:signup_identity",
        [
            "nir",
            "civility",
            "first_name",
            "birth_name",
            "landline",
            "mobile",
            "email",
            "email_confirmation",
            "apprentice",
            "captcha_0",
            "captcha_1",
        ],
    ),
    "signup_password": ("accounts:signup_password", ["password1", "password2"]),
    "login": ("accounts:login", ["username", "password", "next"]),
    "reset_request": ("accounts:reset_request", ["username", "email"]),
    "reset_set": ("accounts:reset_set", ["password1", "password2"]),
    "resend": ("accounts:resend_link", ["x"]),
    "dif": ("hours:dif", ["hours", "attestation"]),
    "dossier_create": (
        "dossiers:create",
        [
            "cpf_code",
            "agreement_date",
            "start_date",
            "end_date",
            "hours_total",
            "hours_dif",
            "confidential",
        ],
    ),
    "dossier_edit": (
        "dossiers:edit",
        ["cpf_code", "agreement_date", "start_date", "end_date", "hours_total", "hours_dif"],
    ),
    "dossier_cancel": ("dossiers:cancel", ["reason"]),
    "delegation_invite": ("delegations:list", ["email", "level", "end_date"]),
    "phones": ("accounts:phones", ["landline", "mobile", "current_password"]),
    "email_change": ("accounts:email", ["email", "email_confirmation", "current_password"]),
    "password_change": (
        "accounts:password_change",
        ["current_password", "password1", "password2"],
    ),
    "catalogue_search": ("catalogue:search", ["q", "lieu", "modalite", "liste", "page"]),
    "demo_nir": ("demo:nir", ["sexe", "age"]),
}
GET_FORMS = {"catalogue_search"}
LOGGED_IN = {
    "dif",
    "dossier_create",
    "dossier_edit",
    "dossier_cancel",
    "delegation_invite",
    "phones",
    "email_change",
    "password_change",
}


@pytest.fixture
def prepared(client, titulaire, nir_factory):
    """What each form needs first: the wizard's earlier steps, a reset link, a login, a
    dossier to edit."""
    dossier = Dossier.objects.create(
        reference="DOS-FUZZ-1",
        titulaire=titulaire,
        training=make_training("300", duration_hours=60),
        nir=titulaire.nir,
        agreement_date=datetime.date(2016, 5, 2),
        hours_total=30,
        hours_cpf=30,
    )
    return {"titulaire": titulaire, "dossier": dossier, "nir_factory": nir_factory}


def prepare(name, client, prepared):
    titulaire = prepared["titulaire"]
    if name in LOGGED_IN:
        client.force_login(titulaire)
    elif name == "signup_identity":
        accept_cgu(client)
    elif name == "signup_password":
        reach_password_step(client, prepared["nir_factory"]())
    elif name == "reset_set":
        client.get(reverse("accounts:reset_land", args=[make_link_token(titulaire)]))
        assert client.session.get(SESSION_TOKEN)


def url_for(name, prepared) -> str:
    url_name = FORMS[name][0]
    if url_name in {"dossiers:edit", "dossiers:cancel"}:
        return reverse(url_name, args=[prepared["dossier"].reference])
    return reverse(url_name)


def as_query(data: dict) -> str:
    parts = []
    for key, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            raw = item if isinstance(item, bytes) else str(item).encode("utf-8", "surrogatepass")
            parts.append(f"{key}={quote_from_bytes(raw)}")
    return "&".join(parts)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_form_survives_any_input(name, client, prepared):
    prepare(name, client, prepared)
    url = url_for(name, prepared)
    fields = FORMS[name][1]

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.fixed_dictionaries({field: VALUE for field in fields}))
    def check(values):
        data = {key: value for key, value in values.items() if value is not None}
        before = counts()
        if name in GET_FORMS:
            response = client.get(url, QUERY_STRING=as_query(data))
        else:
            response = client.post(url, as_multipart(name, data))
        assert response.status_code < 500
        assert response.status_code in {200, 302, 400, 403, 404, 405, 410, 413, 429}
        if response.status_code != 302:
            html = response.content.decode("utf-8")
            assert 'lang="fr"' in html
        if response.status_code in {200, 400, 429} and name not in GET_FORMS | {"demo_nir"}:
            # The form was refused (or shown again): nothing half-saved.
            assert counts() == before

    check()


def test_every_form_is_listed():
    """The table above covers signup 1-3, login, reset request and set, resend, DIF, dossier
    create/edit/cancel, delegation invite, phones, email, password, catalogue, demo NIR."""
    assert len(FORMS) == 17


def test_known_password_is_fixture_password():
    assert PASSWORD  # the logged-in forms are exercised with the fixture's titulaire


# NUL characters outside the fuzzed forms: PostgreSQL refuses them (DataError) wherever they
# reach a query. In a path: the French 400 page. In a field: an answer on the page, never a 500.
NUL_PATHS = [
    "/formations/ab%00cd/",
    "/mon-compte/dossiers/ab%00cd/",
    "/inscription/captcha/audio/ab%00cd/",
]


@pytest.mark.parametrize("url", NUL_PATHS)
def test_nul_in_a_path_gets_the_french_400_page(logged_client, url):
    response = logged_client.get(url)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Requête incorrecte" in html and '<html lang="fr"' in html


@pytest.mark.parametrize("query", ["civility__exact=%00", "o=%00", "q=a%00b", "%00=1"])
def test_nul_in_an_admin_query_gets_the_french_400_page(staff_client, query):
    """The admin's list filters reach the database as they are (PostgreSQL: DataError)."""
    response = staff_client.get(reverse("admin:accounts_titulaire_changelist") + "?" + query)
    assert response.status_code == 400
    assert "Requête incorrecte" in response.content.decode()


def test_nul_in_the_admin_login_is_a_field_error(client):
    response = client.post("/admin/login/", {"username": "ab\x00cd", "password": "x"})
    assert response.status_code == 200
    assert "Le caractère nul n’est pas autorisé." in response.content.decode()


def test_nul_in_the_admin_nir_search_is_refused(staff_client):
    from tests.fixtures.accounts import admin_nir_search

    url = reverse("admin:accounts_titulaire_changelist")
    response = admin_nir_search(staff_client, url, "2830806067\x00094")
    assert response.status_code == 200
    assert "numéro de sécurité sociale complet" in response.content.decode()


def test_nul_in_the_training_of_a_new_dossier_is_ignored(logged_client):
    response = logged_client.get(reverse("dossiers:create") + "?formation=%00")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "name", ["accounts:logout", "accounts:signup_cancel", "accounts:resend_link"]
)
def test_get_on_a_post_only_address_gets_a_french_page(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert "Action impossible depuis cette adresse" in html and html.count("<h1") == 1
