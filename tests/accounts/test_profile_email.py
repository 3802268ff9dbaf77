"""Changing the email: link to the new address, notice to the old one, single use, 24 hours."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services import profile as service
from audit.models import AuditEntry, Event
from tests.fixtures.accounts import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("locmem_email")]

EMAIL = reverse("accounts:email")
CONFIRM = reverse("accounts:email_confirm")
NEW = "nouvelle.adresse@exemple.test"


def ask(client, email=NEW, confirmation=None, password=PASSWORD):
    return client.post(
        EMAIL,
        {"email": email, "email_confirmation": confirmation or email, "current_password": password},
    )


def link_path() -> str:
    message = next(m for m in mail.outbox if m.to == [NEW])
    match = re.search(r"https?://[^/\s]+(/\S+/courriel/confirmer/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def test_page(logged_client):
    html = logged_client.get(EMAIL).content.decode()
    assert html.count("<h1") == 1
    for field in ("id_email", "id_email_confirmation", "id_current_password"):
        assert f'for="{field}"' in html


def test_request_sends_link_to_new_and_notice_to_old(logged_client, titulaire):
    response = ask(logged_client)
    assert response.status_code == 302
    titulaire.refresh_from_db()
    assert titulaire.email != NEW  # nothing changes before the link is opened
    assert sorted(m.to[0] for m in mail.outbox) == sorted([NEW, titulaire.email])
    notice = next(m for m in mail.outbox if m.to == [titulaire.email])
    assert NEW not in notice.body and "n***e@exemple.test" in notice.body
    for message in mail.outbox:
        assert titulaire.nir not in message.subject + message.body
    assert AuditEntry.objects.filter(event=Event.EMAIL_CHANGE_REQUEST).count() == 1


def test_link_lands_then_confirm_changes_email_once(logged_client, titulaire):
    ask(logged_client)
    path = link_path()
    response = logged_client.get(path)
    assert response.status_code == 302 and response.url == CONFIRM  # token leaves the URL
    page = logged_client.get(CONFIRM)
    assert page.status_code == 200 and NEW in page.content.decode()
    titulaire.refresh_from_db()
    assert titulaire.email != NEW  # GET changes nothing
    response = logged_client.post(CONFIRM)
    assert response.status_code == 302
    titulaire.refresh_from_db()
    assert titulaire.email == NEW
    assert AuditEntry.objects.filter(event=Event.EMAIL_CHANGE).count() == 1
    # Single use: the same link no longer works.
    logged_client.get(path)
    assert logged_client.get(CONFIRM).status_code == 400


def test_link_expires_after_24_hours(logged_client, titulaire):
    ask(logged_client)
    path = link_path()
    with time_machine.travel(timezone.now() + timedelta(hours=25)):
        # The session itself timed out meanwhile (Redis, which may hold it, keeps its own
        # clock: the session is left explicitly).
        logged_client.logout()
        logged_client.force_login(titulaire)
        logged_client.get(path)
        response = logged_client.get(CONFIRM)
        assert response.status_code == 400
        assert "non valable" in response.content.decode()
    titulaire.refresh_from_db()
    assert titulaire.email != NEW


def test_link_opened_before_login_works_after_login(client, titulaire):
    first = Client()
    first.force_login(titulaire)
    ask(first)
    path = link_path()
    response = client.get(path)  # not logged in yet
    assert response.status_code == 302
    response = client.get(CONFIRM)
    assert response.status_code == 302 and "espace-titulaire" in response.url
    client.force_login(titulaire)
    client.post(CONFIRM)
    titulaire.refresh_from_db()
    assert titulaire.email == NEW


def test_link_of_another_account_does_nothing(client, titulaire, make_titulaire):
    owner = Client()
    owner.force_login(titulaire)
    ask(owner)
    path = link_path()
    other = make_titulaire(email="autre@exemple.test")
    client.force_login(other)
    client.get(path)
    assert client.get(CONFIRM).status_code == 400
    assert client.post(CONFIRM).status_code == 400
    other.refresh_from_db()
    titulaire.refresh_from_db()
    assert NEW not in (other.email, titulaire.email)


@pytest.mark.parametrize("token", ["x", "a" * 5000, "e30:1abc:xyz", "%00"])
def test_forged_tokens_are_refused(logged_client, token):
    logged_client.get(reverse("accounts:email_land", args=[token]))
    assert logged_client.get(CONFIRM).status_code == 400


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (
            {
                "email": NEW,
                "email_confirmation": "autre@exemple.test",
                "current_password": PASSWORD,
            },
            "id_email_confirmation_error",
        ),
        (
            {"email": NEW, "email_confirmation": NEW, "current_password": "faux"},
            "id_current_password_error",
        ),
        (
            {
                "email": "pas-une-adresse",
                "email_confirmation": "pas-une-adresse",
                "current_password": PASSWORD,
            },
            "id_email_error",
        ),
    ],
)
def test_form_errors(logged_client, data, field):
    response = logged_client.post(EMAIL, data)
    assert response.status_code == 400
    assert f'id="{field}"' in response.content.decode()
    assert mail.outbox == []


def test_same_address_refused(logged_client, titulaire):
    response = ask(logged_client, email=titulaire.email.upper())
    assert response.status_code == 400 and mail.outbox == []


def test_requests_are_rate_limited(logged_client):
    for _ in range(service.EMAIL_LIMIT.max_hits):
        assert ask(logged_client).status_code == 302
    response = ask(logged_client)
    assert response.status_code == 400 and "trop de changements" in response.content.decode()


def test_five_requests_an_hour(logged_client, titulaire, database_cache):
    """The sixth request of the hour is refused and sends nothing; the hour over, it works."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            assert ask(logged_client).status_code == 302
        sent = len(mail.outbox)
        traveller.shift(timedelta(minutes=59))
        logged_client.logout()  # the old session timed out: log in again
        logged_client.force_login(titulaire)
        response = ask(logged_client)
        assert response.status_code == 400 and "trop de changements" in response.content.decode()
        assert len(mail.outbox) == sent
        traveller.shift(timedelta(minutes=2))
        logged_client.logout()
        logged_client.force_login(titulaire)
        assert ask(logged_client).status_code == 302
        assert len(mail.outbox) == sent + 2  # link to the new address, notice to the old


def test_mask_email():
    assert service.mask_email("camille.martin@exemple.test") == "c***n@exemple.test"
    assert service.mask_email("ab@x.fr") == "a***@x.fr"


def test_link_does_not_carry_the_new_address(logged_client):
    """Personal data stays out of URLs: the signed token holds a nonce, not the address."""
    import base64

    ask(logged_client)
    path = link_path()
    token = path.rstrip("/").rsplit("/", 1)[-1]
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    assert NEW.encode() not in decoded and NEW.split("@")[0] not in path
