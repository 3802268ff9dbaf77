"""Changing the password: the current one, the portal's rules, other sessions end, notice."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry, Event
from tests.fixtures.accounts import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("locmem_email")]

URL = reverse("accounts:password_change")
SYNTHESE = reverse("accounts:synthese")
NEW = "Nouveau2016!abc"


def change(client, current=PASSWORD, new=NEW, confirmation=None):
    return client.post(
        URL,
        {
            "current_password": current,
            "password1": new,
            "password2": new if confirmation is None else confirmation,
        },
    )


def test_page_shows_the_rules(logged_client):
    html = logged_client.get(URL).content.decode()
    assert html.count("<h1") == 1
    assert "au minimum 5 lettres et 3 chiffres" in html
    for field in ("id_current_password", "id_password1", "id_password2"):
        assert f'for="{field}"' in html


def test_change_keeps_this_session_and_ends_the_others(logged_client, titulaire):
    other = Client()
    other.force_login(titulaire)
    assert other.get(SYNTHESE).status_code == 200
    response = change(logged_client)
    assert response.status_code == 302
    titulaire.refresh_from_db()
    assert titulaire.check_password(NEW)
    assert logged_client.get(SYNTHESE).status_code == 200  # still logged in here
    response = other.get(SYNTHESE)
    assert response.status_code == 302 and "espace-titulaire" in response.url
    assert AuditEntry.objects.filter(event=Event.PASSWORD_CHANGE, actor=titulaire).count() == 1
    (message,) = mail.outbox
    assert message.to == [titulaire.email] and "mot de passe" in message.subject
    assert titulaire.nir not in message.subject + message.body


@pytest.mark.parametrize(
    ("current", "new", "confirmation", "field"),
    [
        ("mauvais", NEW, None, "id_current_password_error"),
        (PASSWORD, "court1!", None, "id_password1_error"),
        (PASSWORD, "abcdefgh", None, "id_password1_error"),
        (PASSWORD, NEW, "Autre2016!abc", "id_password2_error"),
        (PASSWORD, PASSWORD, None, "id_password1_error"),
        (PASSWORD, "A1!" + "x" * 200, None, "id_password1_error"),
    ],
)
def test_refused(logged_client, titulaire, current, new, confirmation, field):
    response = change(logged_client, current, new, confirmation)
    assert response.status_code == 400
    assert f'id="{field}"' in response.content.decode()
    titulaire.refresh_from_db()
    assert titulaire.check_password(PASSWORD)
    assert mail.outbox == []


def test_spaces_are_kept(logged_client, titulaire):
    change(logged_client, new=" Nouveau2016!abc ")
    titulaire.refresh_from_db()
    assert titulaire.check_password(" Nouveau2016!abc ")


def test_wrong_current_password_is_rate_limited(logged_client, titulaire):
    from accounts.services.gate import RECENT_FAILURES

    for _ in range(RECENT_FAILURES.max_hits):
        change(logged_client, current="mauvais")
    response = change(logged_client)  # even the right one is refused for a while
    assert response.status_code == 400
    assert "Trop d&#x27;essais" in response.content.decode()
    titulaire.refresh_from_db()
    assert titulaire.check_password(PASSWORD)
    # The login's lock (accounts.services.gate), audited as such.
    assert AuditEntry.objects.filter(event=Event.LOCKOUT).exists()
