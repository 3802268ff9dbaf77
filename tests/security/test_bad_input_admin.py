"""Issue 4, point 11, the staff's side: the forms and the upload of the admin get the same random
values as the titulaire's forms (tests/security/test_bad_input.py): the declarations import
(any bytes as the file: not UTF-8, NUL, RTL, emoji, huge lines), the hours movement and the
refusal of a dossier. Never a 500, always a French page, nothing saved when refused; a file
over 10 Mo is refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.admin import TitulaireAdmin
from dossiers import services as dossier_services
from hours.models import EmployerDeclaration
from tests.fixtures.bad_input import SPECIAL, TEXT, VALUE, as_multipart, counts
from tests.fixtures.catalogue import make_training
from tests.fixtures.hours import give

pytestmark = pytest.mark.django_db

HEADER = b"nir;annee;heures_travaillees;duree_reference;faiblement_qualifie\n"
FILE = st.one_of(
    st.binary(max_size=400),
    st.lists(TEXT, max_size=6).map(
        lambda cells: (
            HEADER
            + b";".join(
                c if isinstance(c, bytes) else c.encode("utf-8", "surrogatepass") for c in cells
            )
        )
    ),
    st.sampled_from(SPECIAL).map(lambda s: HEADER + s.encode("utf-8", "surrogatepass")),
    st.just(HEADER + b"1" * 200_000 + b";2016;1607;;\n"),
    st.just(b"\x00" * 50 + HEADER),
)


def check_answer(response, before, saved_on=(302,)):
    assert response.status_code < 500
    assert response.status_code in {200, 302, 400, 403, 404, 413}
    if response.status_code != 302:
        assert 'lang="fr"' in response.content.decode("utf-8")
    if response.status_code not in saved_on:
        assert counts() == before


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_declarations_import_survives_any_file(staff_client):
    url = reverse("admin:hours_employerdeclaration_import")

    @FUZZ
    @given(FILE, st.sampled_from(["declarations.csv", "x.exe", "é\u202e.csv", ""]))
    def check(data, name):
        before = counts()
        response = staff_client.post(url, {"file": SimpleUploadedFile(name or "f", data)})
        check_answer(response, before)

    check()


def test_declarations_import_refuses_a_file_over_ten_megabytes(staff_client, nir_factory):
    nir = nir_factory()
    line = f"{nir};2016;1607;;\n".encode()
    data = HEADER + line * (10 * 1024 * 1024 // len(line) + 1)
    response = staff_client.post(
        reverse("admin:hours_employerdeclaration_import"),
        {"file": SimpleUploadedFile("gros.csv", data)},
    )
    assert response.status_code == 200 and "10 Mo" in response.content.decode()
    assert not EmployerDeclaration.objects.exists()


def test_hours_movement_survives_any_input(staff_client):
    url = reverse("admin:hours_ledgerentry_movement")

    @FUZZ
    @given(st.fixed_dictionaries({f: VALUE for f in ("nir", "kind", "hours", "label")}))
    def check(values):
        data = {key: value for key, value in values.items() if value is not None}
        before = counts()
        check_answer(staff_client.post(url, as_multipart("movement", data)), before)

    check()


def test_dossier_refusal_survives_any_reason(staff_client, titulaire):
    give(titulaire.nir, cpf=100)
    dossier = dossier_services.create_dossier(
        titulaire, make_training("300", duration_hours=60), datetime.date(2016, 5, 2), 30
    )
    dossier_services.submit(dossier, actor=titulaire)
    url = reverse("admin:dossiers_dossier_changelist")

    @FUZZ
    @given(VALUE)
    def check(reason):
        data = {"action": "action_refuse", "_selected_action": str(dossier.pk), "apply": "1"}
        if reason is not None:
            data["reason"] = reason
        before = counts()
        response = staff_client.post(url, as_multipart("refuse", data))
        # A good reason refuses the dossier (302); later examples are then refused by the
        # state machine, with a message.
        check_answer(response, before)

    check()


SEARCHED_LISTS = [
    "admin:accounts_titulaire_changelist",
    "admin:dossiers_dossier_changelist",
    "admin:hours_ledgerentry_changelist",
    "admin:catalogue_training_changelist",
    "admin:audit_auditentry_changelist",
]


@pytest.mark.parametrize("name", SEARCHED_LISTS)
def test_admin_search_survives_any_term(staff_client, name):
    """The POSTed search box (nir/admin_search.py), then the list it redirects to."""
    url = reverse(name)

    @FUZZ
    @given(VALUE, st.sampled_from([{}, {"o": "1"}, {"p": "x"}, {"recherche_nir": "1"}]))
    def check(term, extra):
        data = {"_recherche": "1", **extra}
        if term is not None:
            data["q"] = term
        response = staff_client.post(url, as_multipart("search", data))
        assert response.status_code in {302, 400}, response.status_code
        if response.status_code == 302:
            listed = staff_client.get(response["Location"])
            assert listed.status_code in {200, 302, 400}
            if listed.status_code == 302:  # the admin's own answer to a bad parameter
                assert staff_client.get(listed["Location"]).status_code == 200

    check()


ADMIN_FORMS = {
    # The fields staff fill in to create an account, as the admin lays them out.
    "admin:accounts_titulaire_add": TitulaireAdmin.add_fieldsets[0][1]["fields"],
    "admin:catalogue_training_add": (
        "cpf_code",
        "title",
        "certification",
        "provider",
        "kind",
        "town",
        "department_code",
        "department_name",
        "region",
        "mode",
        "duration_hours",
        "lists",
        "is_active",
    ),
}


@pytest.mark.parametrize("name", list(ADMIN_FORMS))
def test_admin_add_forms_survive_any_input(staff_client, name):
    """The admin's own forms with the portal's validation (the NIR, the catalogue's codes)."""
    url = reverse(name)

    @FUZZ
    @given(st.fixed_dictionaries({field: VALUE for field in ADMIN_FORMS[name]}))
    def check(values):
        data = {key: value for key, value in values.items() if value is not None}
        before = counts()
        check_answer(staff_client.post(url, as_multipart("admin", data)), before)

    check()


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("admin:catalogue_training_add", "lists"),
        ("admin:auth_group_add", "permissions"),
        ("admin:accounts_titulaire_change", "groups"),
    ],
)
def test_a_key_too_big_for_the_database_is_a_field_error(staff_client, titulaire, name, field):
    """SQLite raises OverflowError on `pk__in` with a key past 64 bits: a 500 before."""
    url = reverse(name, args=[titulaire.pk] if name.endswith("_change") else [])
    response = staff_client.post(url, {field: str(2**63), "name": "Essai"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
