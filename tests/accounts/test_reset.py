"""Mot de passe oublié: same answer whatever exists, single-use 1-hour link, new password."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import login as login_service
from accounts.services import reset as reset_service
from audit.models import AuditEntry, Event
from tests.fixtures.accounts import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("locmem_email")]

REQUEST = reverse("accounts:reset_request")
SENT = reverse("accounts:reset_sent")
SET = reverse("accounts:reset_set")
LOGIN = reverse("accounts:login")
NEW = "Nouveau2016!abc"
SAME_ANSWER = "Si ces informations correspondent à un compte, vous allez recevoir un courriel"


def ask(client, username, email):
    return client.post(REQUEST, {"username": username, "email": email})


def link_from_outbox() -> str:
    assert len(mail.outbox) == 1
    match = re.search(r"https?://\S+/mot-de-passe-oublie/lien/\S+/", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(0)


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_request_page(client):
    html = client.get(REQUEST).content.decode()
    assert html.count("<h1") == 1 and "Mot de passe oublié" in html
    assert 'for="id_username"' in html and 'for="id_email"' in html


def test_matching_pair_gets_an_email_with_an_absolute_link(client, titulaire):
    response = ask(client, titulaire.nir, titulaire.email.upper())
    assert response.status_code == 302 and response.url == SENT
    message = mail.outbox[0]
    assert message.to == [titulaire.email]
    assert titulaire.nir not in message.subject and titulaire.nir not in message.body
    assert message.alternatives and "mot-de-passe-oublie/lien/" in message.alternatives[0][0]
    assert link_from_outbox().startswith("http://testserver/")
    assert AuditEntry.objects.filter(event=Event.PASSWORD_RESET_REQUEST).count() == 1


@pytest.mark.parametrize("case", ["unknown-nir", "wrong-email", "inactive", "garbage"])
def test_same_answer_and_no_email_when_nothing_matches(client, titulaire, nir_factory, case):
    nir, email = titulaire.nir, titulaire.email
    if case == "unknown-nir":
        nir = nir_factory()
    elif case == "wrong-email":
        email = "attaquant@exemple.test"
    elif case == "inactive":
        titulaire.is_active = False
        titulaire.save()
    else:
        nir = "not a nir"
    known = Client().post(REQUEST, {"username": titulaire.nir, "email": titulaire.email})
    mail.outbox.clear()
    response = ask(client, nir, email)
    assert (response.status_code, response.url) == (known.status_code, known.url)
    assert mail.outbox == []
    page = client.get(SENT)
    assert SAME_ANSWER in page.content.decode()
    assert [t.name for t in page.templates][:1] == ["accounts/reset/sent.html"]


def test_no_match_still_hashes_a_password(client, nir_factory, monkeypatch):
    calls = []
    monkeypatch.setattr(login_service, "make_password", lambda p: calls.append(p) or "x")
    ask(client, nir_factory(), "x@exemple.test")
    assert len(calls) == 1


def test_invalid_form_shows_errors(client):
    response = ask(client, "", "pas-un-courriel")
    html = response.content.decode()
    assert response.status_code == 200 and "error-summary" in html
    assert 'id="id_username_error"' in html and 'id="id_email_error"' in html


def test_end_to_end_link_works_once(client, titulaire):
    ask(client, titulaire.nir, titulaire.email)
    link = path_of(link_from_outbox())
    landing = client.get(link)
    assert landing.status_code == 302 and landing.url == SET  # token leaves the address bar
    form = client.get(SET)
    html = form.content.decode()
    assert form.status_code == 200 and "Nouveau mot de passe" in html and "Confirmation" in html
    assert "au minimum 5 lettres et 3 chiffres" in html
    done = client.post(SET, {"password1": NEW, "password2": NEW}, follow=True)
    assert done.redirect_chain[-1][0] == LOGIN
    assert "Votre mot de passe a bien été modifié." in done.content.decode()
    titulaire.refresh_from_db()
    assert titulaire.check_password(NEW)
    assert AuditEntry.objects.filter(event=Event.PASSWORD_RESET, actor=titulaire).exists()
    # Login works with the new password only.
    assert Client().post(LOGIN, {"username": titulaire.nir, "password": NEW}).status_code == 302
    # The same link a second time is refused.
    other = Client()
    assert other.get(link).url == SET
    refused = other.get(SET)
    assert refused.status_code == 400
    assert "Ce lien n'est plus valable" in refused.content.decode()


def test_link_expires_after_one_hour(client, titulaire):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        ask(client, titulaire.nir, titulaire.email)
        link = path_of(link_from_outbox())
        traveller.shift(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60))
        client.get(link)
        assert client.get(SET).status_code == 400
        assert client.post(SET, {"password1": NEW, "password2": NEW}).status_code == 400
    titulaire.refresh_from_db()
    assert titulaire.check_password(PASSWORD)


@pytest.mark.parametrize(
    "token", ["abc", "x-y-z", "MTIzNDU2Nzg5-abc-def", "-" * 150, "%00", "€uro-1-2"]
)
def test_forged_links_get_the_clear_page(client, titulaire, token):
    client.get(reverse("accounts:reset_land", args=[token]))
    response = client.get(SET)
    assert response.status_code == 400


def test_set_without_any_link(client):
    assert client.get(SET).status_code == 400


def test_password_rules_and_confirmation(client, titulaire):
    client.get(reverse("accounts:reset_land", args=[reset_service.make_link_token(titulaire)]))
    weak = client.post(SET, {"password1": "abc", "password2": "abc"})
    assert weak.status_code == 200 and 'id="id_password1_error"' in weak.content.decode()
    mismatch = client.post(SET, {"password1": NEW, "password2": NEW + "x"})
    assert "Les deux mots de passe ne sont pas identiques." in mismatch.content.decode()
    long_password = "Aa1!" * 16 + "Bb22"  # 68 characters are accepted
    done = client.post(SET, {"password1": long_password, "password2": long_password})
    assert done.status_code == 302
    titulaire.refresh_from_db()
    assert titulaire.check_password(long_password)


def test_reset_ends_other_sessions_and_lifts_a_lock(client, titulaire):
    elsewhere = Client()
    elsewhere.force_login(titulaire)
    assert elsewhere.get(LOGIN).status_code == 302  # logged in there
    for _ in range(5):
        client.post(LOGIN, {"username": titulaire.nir, "password": "Mauvais2015!"})
    client.get(reverse("accounts:reset_land", args=[reset_service.make_link_token(titulaire)]))
    assert client.post(SET, {"password1": NEW, "password2": NEW}).status_code == 302
    # The other browser is logged out by the new password hash.
    assert elsewhere.get(LOGIN).status_code == 200
    assert "_auth_user_id" not in elsewhere.session
    # The lock is lifted.
    assert client.post(LOGIN, {"username": titulaire.nir, "password": NEW}).status_code == 302


def test_link_token_round_trip_handles_dashes_in_the_uid(titulaire):
    token = reset_service.make_link_token(titulaire)
    assert reset_service.user_for_link_token(token) == titulaire
    assert reset_service.user_for_link_token("-" + token) is None


def test_requests_for_one_identifier_are_limited(client, titulaire):
    for _ in range(reset_service.NIR_LIMIT.max_hits + 2):
        response = ask(client, titulaire.nir, titulaire.email)
        assert response.status_code == 302 and response.url == SENT
    assert len(mail.outbox) == reset_service.NIR_LIMIT.max_hits


def test_request_page_never_errors_on_odd_input(client):
    for username in ["\x00", "é" * 40, "1" * 41, "2A" * 7 + "1"]:
        response = ask(client, username, "a@exemple.test")
        assert response.status_code in (200, 302)
