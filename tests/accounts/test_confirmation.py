"""The confirmation link: activation, second click, expiry (time-machine), tampering, resend."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import PendingSignup, Titulaire
from accounts.services import confirmation as service
from accounts.services.signup import register
from audit.models import AuditEntry, Event
from tests.fixtures.signup import identity

pytestmark = pytest.mark.django_db


def _expired():
    now = timezone.now()
    return {"created_at": now - timedelta(days=16), "expires_at": now - timedelta(minutes=1)}


LOGIN_URL = reverse("accounts:login")
CONFIRM_URL = reverse("accounts:confirm")


def land(client, token):
    response = client.get(reverse("accounts:confirm_land", args=[token]))
    assert response.status_code == 302
    assert response.url == CONFIRM_URL  # the token leaves the address bar
    return client.get(CONFIRM_URL)


@pytest.fixture
def signup(nir_factory):
    nir = nir_factory()
    outcome = register(identity(nir), "Camille2015!x")
    return outcome


def test_valid_link_activates_and_redirects_to_login(client, signup):
    response = land(client, signup.token)
    assert response.status_code == 302 and response.url == LOGIN_URL
    titulaire = Titulaire.objects.get(nir=signup.pending.nir)
    assert titulaire.is_active
    assert titulaire.check_password("Camille2015!x")
    assert titulaire.email == "camille@exemple.test"
    assert titulaire.mobile == "0612345678"
    assert not PendingSignup.objects.exists()
    assert AuditEntry.objects.filter(event=Event.ACTIVATION).count() == 1
    page = client.get(LOGIN_URL)
    assert "Votre compte a bien été activé." in page.content.decode()
    assert "signup_confirm_token" not in client.session


def test_second_click_says_already_used(client, signup):
    land(client, signup.token)
    response = land(client, signup.token)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ce lien a déjà été utilisé" in html
    assert html.count("<h1") == 1
    assert Titulaire.objects.count() == 1


@pytest.mark.parametrize("delta, activated", [(-60, True), (60, False), (0, False)])
def test_link_expires_after_15_days(client, signup, delta, activated):
    created = signup.pending.created_at
    with time_machine.travel(created + timedelta(days=15, seconds=delta), tick=False):
        response = land(client, signup.token)
    if activated:
        assert response.status_code == 302 and response.url == LOGIN_URL
        assert Titulaire.objects.filter(nir=signup.pending.nir).exists()
    else:
        html = response.content.decode()
        assert response.status_code == 410
        assert "Ce lien a expiré" in html
        assert reverse("accounts:signup_cgu") in html
        assert not PendingSignup.objects.exists()  # purged: the NIR is free again
        assert not Titulaire.objects.exists()
        # A second click still says "expired", and a new signup is possible.
        assert land(client, signup.token).status_code == 410
        register(identity(signup.pending.nir), "Camille2015!x")
        assert PendingSignup.objects.count() == 1


@pytest.mark.parametrize(
    "token",
    ["x", "A" * 43, "%27%3Cscript%3E", "a" * 150, "é" * 10],
)
def test_tampered_or_unknown_link(client, signup, token):
    response = land(client, token)
    assert response.status_code == 400
    assert "Ce lien n'est pas valide" in response.content.decode()
    assert PendingSignup.objects.count() == 1


def test_tampered_real_token(client, signup):
    token = signup.token
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert land(client, tampered).status_code == 400
    assert not Titulaire.objects.exists()


def test_confirm_without_token_in_session(client):
    response = client.get(CONFIRM_URL)
    assert response.status_code == 400


def test_resend_reissues_link(client, signup, mailoutbox):
    old_token = signup.token
    with time_machine.travel(timezone.now() + timedelta(days=10), tick=False):
        session = client.session
        session["resend_pending_id"] = signup.pending.pk
        session.save()
        response = client.post(reverse("accounts:resend_link"))
        now = timezone.now()
    assert response.status_code == 302 and response.url == LOGIN_URL
    pending = PendingSignup.objects.get()
    assert abs((pending.expires_at - (now + timedelta(days=15))).total_seconds()) < 5
    assert len(mailoutbox) == 2
    assert "Nouveau lien" in mailoutbox[-1].subject
    assert "resend_pending_id" not in client.session
    assert (
        "Un nouveau lien de confirmation vous a été envoyé."
        in client.get(LOGIN_URL).content.decode()
    )
    # The old link says it was replaced; the new one works.
    assert land(client, old_token).status_code == 410
    new_token = mailoutbox[-1].body.split("/inscription/confirmer/")[1].split("/")[0]
    assert land(client, new_token).url == LOGIN_URL


def test_resend_without_session_key(client, signup, mailoutbox):
    response = client.post(reverse("accounts:resend_link"))
    assert response.status_code == 302 and response.url == LOGIN_URL
    assert len(mailoutbox) == 1


def test_resend_is_post_only(client):
    assert client.get(reverse("accounts:resend_link")).status_code == 405


def test_reissue_link_returns_new_token(signup):
    token = service.reissue_link(signup.pending)
    assert token and token != signup.token
    assert service.confirm_token(signup.token)[0] == service.Result.REPLACED
    assert service.confirm_token(token)[0] == service.Result.ACTIVATED


def test_reissue_link_on_deleted_pending(signup):
    PendingSignup.objects.all().delete()
    assert service.reissue_link(signup.pending) is None


def test_activation_when_account_already_exists(make_titulaire, nir_factory):
    nir = nir_factory()
    outcome = register(identity(nir), "Camille2015!x")
    make_titulaire(nir=nir)  # e.g. created meanwhile by an operator
    assert service.confirm_token(outcome.token)[0] == service.Result.USED
    assert Titulaire.objects.count() == 1


def test_purge_command(nir_factory, capsys):
    expired = register(identity(nir_factory()), "Camille2015!x")
    register(identity(nir_factory()), "Camille2015!x")
    PendingSignup.objects.filter(pk=expired.pending.pk).update(**_expired())
    call_command("purge_expired_signups")
    assert "1 inscription expirée supprimée." in capsys.readouterr().out
    call_command("purge_expired_signups")
    assert "Aucune inscription expirée" in capsys.readouterr().out
    assert PendingSignup.objects.count() == 1
    assert service.confirm_token(expired.token)[0] == service.Result.EXPIRED


def test_login_with_pending_credentials_then_resend(client, signup, mailoutbox):
    """With the login page (accounts.services.login): a not-yet-confirmed signup gets a button
    that sends a new link."""
    nir = signup.pending.nir
    response = client.post(LOGIN_URL, {"username": nir, "password": "Camille2015!x"})
    assert response.status_code == 200
    assert reverse("accounts:resend_link") in response.content.decode()
    response = client.post(reverse("accounts:resend_link"))
    assert response.url == LOGIN_URL
    assert len(mailoutbox) == 2
    assert service.confirm_token(signup.token)[0] == service.Result.REPLACED
