"""Espace Titulaire: login page, login by NIR, messages, redirects, audit, pending accounts."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import PendingSignup
from accounts.services import login as login_service
from audit.models import AuditEntry, Event
from tests.fixtures.accounts import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
SYNTHESE = reverse("accounts:synthese")
BAD = "Identifiant ou mot de passe incorrect."


def spaced(nir: str) -> str:
    return f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"


def post_login(client, username, password=PASSWORD, **extra):
    return client.post(
        LOGIN + extra.pop("query", ""), {"username": username, "password": password, **extra}
    )


def test_login_page_shows_the_seed_texts_and_fields(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert html.count("<h1") == 1
    for text in [
        "Espace Titulaire",
        "Entrez votre identifiant et votre mot de passe",
        "Votre numéro de sécurité sociale (13 chiffres et la clé)",
        "Mot de passe oublié",
        "S'identifier",
        "Vous n'avez pas encore de compte ?",
        "Opérateur de l'emploi et de la formation professionnelle, identifiez-vous",
    ]:
        assert text in html, text
    assert 'name="username"' in html and 'autocomplete="username"' in html
    assert 'autocomplete="current-password"' in html
    assert f'href="{reverse("accounts:signup_cgu")}"' in html
    assert f'href="{reverse("admin:login")}"' in html
    assert f'href="{reverse("accounts:reset_request")}"' in html
    assert 'href="#"' not in html and "style=" not in html


@pytest.mark.parametrize("form", ["plain", "spaced", "lowercase-spaces"])
def test_login_by_nir_with_or_without_spaces(client, titulaire, form):
    typed = {"plain": titulaire.nir, "spaced": spaced(titulaire.nir)}.get(
        form, "  " + spaced(titulaire.nir).lower() + " "
    )
    response = post_login(client, typed)
    assert response.status_code == 302
    assert response.url == SYNTHESE
    assert client.session["_auth_user_id"] == str(titulaire.pk)
    entry = AuditEntry.objects.get(event=Event.LOGIN_SUCCESS)
    assert entry.actor == titulaire and entry.subject_hash
    assert titulaire.nir not in entry.detail + entry.object_repr


@pytest.mark.parametrize("case", ["wrong-password", "unknown-nir", "garbage", "inactive"])
def test_one_generic_message_for_any_wrong_pair(client, make_titulaire, nir_factory, case):
    user = make_titulaire()
    username, password = user.nir, PASSWORD
    if case == "wrong-password":
        password = "Autre2015!!"
    elif case == "unknown-nir":
        username = nir_factory()
    elif case == "garbage":
        username = "<script>' OR 1=1 --"
    else:
        user.is_active = False
        user.save()
    response = post_login(client, username, password)
    assert response.status_code == 200
    html = response.content.decode()
    assert BAD in html
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(event=Event.LOGIN_FAILURE).count() == 1


def test_empty_fields_get_errors_next_to_them(client):
    response = post_login(client, "", "")
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html
    assert 'id="id_username_error"' in html and 'id="id_password_error"' in html


def test_the_nir_never_lands_in_the_audit_detail(client, titulaire):
    post_login(client, titulaire.nir, "Mauvais2015!")
    for entry in AuditEntry.objects.all():
        assert titulaire.nir not in f"{entry.detail}{entry.object_repr}{entry.subject_hash}"


def test_login_rotates_the_session_key(client, titulaire):
    client.get(LOGIN)
    session = client.session
    session["marker"] = "x"
    session.save()
    before = session.session_key
    post_login(client, titulaire.nir)
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(titulaire.pk)


def test_login_as_someone_else_starts_a_fresh_session(client, make_titulaire):
    first, second = make_titulaire(), make_titulaire()
    client.force_login(first)
    session = client.session
    session["delegation_acting_for"] = 42
    session.save()
    before = session.session_key
    post_login(client, second.nir)
    assert client.session.session_key != before
    assert client.session["_auth_user_id"] == str(second.pk)
    assert "delegation_acting_for" not in client.session


def test_safe_next_is_honoured(client, titulaire):
    target = reverse("accounts:informations")
    response = post_login(client, titulaire.nir, next=target)
    assert response.url == target


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"]
)
def test_unsafe_next_is_ignored(client, titulaire, target):
    response = post_login(client, titulaire.nir, next=target)
    assert response.url == SYNTHESE


def test_next_from_login_required_redirect_round_trip(client, titulaire):
    response = client.get(SYNTHESE)
    assert response.status_code == 302 and response.url.startswith(LOGIN + "?next=")
    page = client.get(response.url)
    assert f'name="next" value="{SYNTHESE}"' in page.content.decode()


def test_logged_in_get_redirects_to_synthesis(logged_client):
    response = logged_client.get(LOGIN)
    assert response.status_code == 302 and response.url == SYNTHESE


def test_activation_message_shows_above_the_form(rf):
    from django.contrib import messages
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.middleware import MessageMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware

    from accounts.views.login import login_view

    request = rf.get(LOGIN)
    SessionMiddleware(lambda r: None).process_request(request)
    MessageMiddleware(lambda r: None).process_request(request)
    request.user = AnonymousUser()
    messages.success(request, "Votre compte a bien été activé.")
    html = login_view(request).content.decode()
    assert "✓" in html and "Votre compte a bien été activé." in html
    assert html.index("Votre compte a bien été activé.") < html.index('name="username"')


def make_pending(nir, password=PASSWORD, expired=False):
    now = timezone.now()
    created = now - timedelta(days=20 if expired else 1)
    return PendingSignup.objects.create(
        nir=nir,
        civility="MME",
        birth_name="Martin",
        email="attente@exemple.test",
        password_hash=make_password(password),
        token_hash="a" * 64,
        created_at=created,
        expires_at=created + timedelta(days=15),
    )


def test_pending_account_with_right_password_is_told_to_activate(client, nir_factory):
    nir = nir_factory()
    pending = make_pending(nir)
    response = post_login(client, spaced(nir))
    html = response.content.decode().replace("&#x27;", "'")
    assert response.status_code == 200
    assert "Votre compte n'est pas encore activé." in html
    assert f'action="{reverse("accounts:resend_link")}"' in html
    assert client.session[login_service.RESEND_PENDING_ID] == pending.pk
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("case", ["wrong-password", "expired"])
def test_pending_account_otherwise_gets_the_generic_message(client, nir_factory, case):
    nir = nir_factory()
    make_pending(nir, expired=case == "expired")
    response = post_login(client, nir, "Mauvais2015!" if case == "wrong-password" else PASSWORD)
    html = response.content.decode()
    assert BAD in html and "pas encore activé" not in html
    assert login_service.RESEND_PENDING_ID not in client.session


def test_logout_requires_post(logged_client):
    assert logged_client.get(reverse("accounts:logout")).status_code == 405


def test_logout_flushes_the_server_side_session(client, titulaire):
    post_login(client, titulaire.nir)
    old_cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Vous êtes déconnecté." in response.content.decode()
    # Replaying the old cookie no longer authenticates.
    client.cookies[django_settings.SESSION_COOKIE_NAME] = old_cookie
    replay = client.get(SYNTHESE)
    assert replay.status_code == 302 and replay.url.startswith(LOGIN)
    assert AuditEntry.objects.filter(event=Event.LOGOUT, actor=titulaire).exists()


@pytest.mark.parametrize("username", ["\x00", "1" * 41, "2A" * 7 + "1", "é" * 15, " "])
def test_odd_identifiers_never_error(client, username):
    response = post_login(client, username, "x\x00y")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@settings(max_examples=25)
@given(username=st.text(max_size=45), password=st.text(max_size=60))
def test_any_input_gets_a_page_never_an_error(username, password):
    response = Client().post(LOGIN, {"username": username, "password": password})
    assert response.status_code in (200, 429)
