"""Operators' admin: NIR masked, exact NIR search, actions on pending signups."""

import pytest
from django.urls import reverse

from accounts.models import PendingSignup, Titulaire
from accounts.services.signup import register
from tests.fixtures.accounts import admin_nir_search
from tests.fixtures.signup import identity

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts_staff(make_titulaire):
    """Staff with the accounts app's permissions only (not a superuser)."""
    from django.contrib.auth.models import Permission

    user = make_titulaire(is_staff=True, first_name="Opératrice")
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return user


def test_list_masks_nir(client, accounts_staff, make_titulaire):
    other = make_titulaire(birth_name="Durand")
    client.force_login(accounts_staff)
    html = client.get(reverse("admin:accounts_titulaire_changelist")).content.decode()
    assert "Durand" in html
    assert other.nir not in html and other.masked_nir in html


def test_search_by_exact_nir_with_spaces(client, accounts_staff, make_titulaire):
    other = make_titulaire(birth_name="Durand")
    make_titulaire(birth_name="Petit")
    client.force_login(accounts_staff)
    spaced = f"{other.nir[:1]} {other.nir[1:7]} {other.nir[7:]}"
    html = admin_nir_search(
        client, reverse("admin:accounts_titulaire_changelist"), spaced
    ).content.decode()
    assert "Durand" in html and "Petit" not in html
    assert other.nir not in html and other.masked_nir in html
    partial = client.get(
        reverse("admin:accounts_titulaire_changelist"), {"q": other.nir[:7]}
    ).content.decode()
    assert "Durand" not in partial  # no partial NIR search


def test_search_by_name_and_email(client, accounts_staff, make_titulaire):
    make_titulaire(birth_name="Durand", email="durand@exemple.test")
    client.force_login(accounts_staff)
    url = reverse("admin:accounts_titulaire_changelist")
    assert "Durand" in client.get(url, {"q": "durand@exemple"}).content.decode()


def test_change_form_nir_masked_for_staff_full_for_superuser(
    client, accounts_staff, superuser, make_titulaire
):
    other = make_titulaire()
    url = reverse("admin:accounts_titulaire_change", args=[other.pk])
    client.force_login(accounts_staff)
    response = client.get(url)
    assert response.status_code == 200
    assert other.nir not in response.content.decode()
    client.force_login(superuser)
    assert other.nir in client.get(url).content.decode()


def test_add_titulaire_with_nir(client, superuser, nir_factory):
    nir = nir_factory(sex="F")
    client.force_login(superuser)
    response = client.post(
        reverse("admin:accounts_titulaire_add"),
        {
            "nir": f"{nir[:1]} {nir[1:]}",
            "civility": "MME",
            "first_name": "Zoé",
            "birth_name": "Leroy",
            "email": "zoe@exemple.test",
            "password1": "Zoe2015!abc",
            "password2": "Zoe2015!abc",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Titulaire.objects.get(nir=nir).check_password("Zoe2015!abc")


def test_pending_admin_actions(client, accounts_staff, nir_factory, mailoutbox):
    first = register(identity(nir_factory()), "Camille2015!x")
    second = register(identity(nir_factory()), "Camille2015!x")
    client.force_login(accounts_staff)
    url = reverse("admin:accounts_pendingsignup_changelist")
    html = client.get(url).content.decode()
    assert first.pending.nir not in html and first.pending.masked_nir in html
    response = client.post(
        url, {"action": "resend_link", "_selected_action": [first.pending.pk]}, follow=True
    )
    assert "1 lien de confirmation renvoyé." in response.content.decode()
    assert len(mailoutbox) == 3
    first.pending.refresh_from_db()
    assert first.pending.token_hash != PendingSignup.objects.get(pk=second.pending.pk).token_hash
    response = client.post(
        url, {"action": "activate", "_selected_action": [second.pending.pk]}, follow=True
    )
    assert "1 inscription activée." in response.content.decode()
    titulaire = Titulaire.objects.get(nir=second.pending.nir)
    assert titulaire.check_password("Camille2015!x")
    assert PendingSignup.objects.count() == 1


def test_pending_search_exact_nir(client, accounts_staff, nir_factory):
    first = register(identity(nir_factory(), birth_name="Durand"), "Camille2015!x")
    register(identity(nir_factory(), birth_name="Petit"), "Camille2015!x")
    client.force_login(accounts_staff)
    html = admin_nir_search(
        client, reverse("admin:accounts_pendingsignup_changelist"), first.pending.nir
    ).content.decode()
    assert "Durand" in html and "Petit" not in html


def test_operator_logs_into_the_admin_with_a_spaced_nir(client, make_titulaire):
    from nir.rules import format_nir
    from tests.fixtures.accounts import PASSWORD

    operator = make_titulaire(is_staff=True)
    form = client.get(reverse("admin:login")).content.decode()
    assert "Identifiant (n° de sécurité sociale)" in form and 'maxlength="40"' in form
    response = client.post(
        reverse("admin:login"),
        {"username": format_nir(operator.nir), "password": PASSWORD, "next": "/admin/"},
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
