"""Issue 4, point 8: every security event the issue lists (login success and failure, lockout,
password change and reset, email change, delegation granted and revoked, staff decisions on
dossiers and hours) leaves one entry with its time, actor, IP address, object and the NIR's
keyed hash, each driven through the pages as the titulaire or the staff do it; and the staff
read the trail in the admin without being able to change it."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.services.reset import make_link_token
from audit.models import AuditEntry, Event
from delegations.models import Delegation
from dossiers import services as dossier_services
from dossiers import transitions
from nir.digest import nir_digest
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.catalogue import make_training
from tests.fixtures.hours import give

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("locmem_email")]

IP = "203.0.113.7"
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "Nouveau2016!x"


@pytest.fixture
def browser():
    """A visitor at a known address."""
    return Client(REMOTE_ADDR=IP)


@pytest.fixture
def staff_browser(superuser):
    client = Client(REMOTE_ADDR=IP)
    client.force_login(superuser)
    return client


def the_entry(event, since, **filters) -> AuditEntry:
    (entry,) = AuditEntry.objects.filter(event=event, at__gte=since, **filters)
    return entry


def assert_complete(entry, *, actor, nir, since, obj=None):
    assert since <= entry.at <= timezone.now()
    assert entry.ip == IP
    assert entry.actor == actor
    assert entry.subject_hash == nir_digest(nir)
    if obj is not None:
        assert entry.object_repr == obj
    assert nir not in entry.detail + entry.object_repr


def test_login_failure_and_success(browser, titulaire):
    since = timezone.now()
    browser.post(LOGIN, {"username": titulaire.nir, "password": "Mauvais2015!"})
    assert_complete(
        the_entry(Event.LOGIN_FAILURE, since), actor=None, nir=titulaire.nir, since=since
    )
    response = browser.post(LOGIN, {"username": titulaire.nir, "password": PASSWORD})
    assert response.status_code == 302
    entry = the_entry(Event.LOGIN_SUCCESS, since)
    assert_complete(entry, actor=titulaire, nir=titulaire.nir, since=since)


def test_lockout_and_the_longer_lockout(browser, titulaire):
    start = dt.datetime(2026, 3, 10, 10, 0, tzinfo=dt.UTC)

    def fail(times):
        return [
            browser.post(LOGIN, {"username": titulaire.nir, "password": "Mauvais2015!"}).status_code
            for _ in range(times)
        ]

    with time_machine.travel(start, tick=False) as traveller:
        since = timezone.now()
        assert fail(5) == [200] * 4 + [429]  # axes' 15 minutes
        entry = the_entry(Event.LOCKOUT, since)
        assert_complete(entry, actor=None, nir=titulaire.nir, since=since)
        traveller.shift(dt.timedelta(minutes=16))
        fail(5)  # the 10th failure: locked for an hour
        traveller.shift(dt.timedelta(minutes=16))  # axes' lock is over, the hour is not
        since = timezone.now()
        response = browser.post(LOGIN, {"username": titulaire.nir, "password": PASSWORD})
        assert response.status_code == 429
        entry = the_entry(Event.LOCKOUT, since)
        assert_complete(entry, actor=None, nir=titulaire.nir, since=since)


def test_password_change(browser, titulaire):
    browser.force_login(titulaire)
    since = timezone.now()
    response = browser.post(
        reverse("accounts:password_change"),
        {"current_password": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    entry = the_entry(Event.PASSWORD_CHANGE, since)
    assert_complete(entry, actor=titulaire, nir=titulaire.nir, since=since)


def test_password_reset(browser, titulaire):
    since = timezone.now()
    browser.get(reverse("accounts:reset_land", args=[make_link_token(titulaire)]))
    response = browser.post(
        reverse("accounts:reset_set"), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    entry = the_entry(Event.PASSWORD_RESET, since)
    assert_complete(entry, actor=titulaire, nir=titulaire.nir, since=since)


def test_email_change(browser, titulaire):
    new = "nouvelle.adresse@exemple.test"
    browser.force_login(titulaire)
    browser.post(
        reverse("accounts:email"),
        {"email": new, "email_confirmation": new, "current_password": PASSWORD},
    )
    (message,) = [m for m in mail.outbox if m.to == [new]]
    path = re.search(r"https?://[^/\s]+(/\S+/courriel/confirmer/\S+/)", message.body).group(1)
    since = timezone.now()
    browser.get(path)
    assert browser.post(reverse("accounts:email_confirm")).status_code == 302
    entry = the_entry(Event.EMAIL_CHANGE, since)
    assert_complete(entry, actor=titulaire, nir=titulaire.nir, since=since)


def test_delegation_granted_and_revoked(browser, make_titulaire):
    camille = make_titulaire(email="camille@exemple.test")
    karim = make_titulaire(email="karim@exemple.test")
    browser.force_login(camille)
    since = timezone.now()
    browser.post(reverse("delegations:list"), {"email": karim.email, "level": "consultation"})
    entry = the_entry(Event.DELEGATION_GRANTED, since)
    assert_complete(entry, actor=camille, nir=camille.nir, since=since)
    delegation = Delegation.objects.get(titulaire=camille)
    since = timezone.now()
    response = browser.post(reverse("delegations:revoke", args=[delegation.token]))
    assert response.status_code == 302
    entry = the_entry(Event.DELEGATION_REVOKED, since)
    assert_complete(entry, actor=camille, nir=camille.nir, since=since, obj=str(delegation))


def test_invitation_declined_by_the_invited_person(browser, make_titulaire):
    camille = make_titulaire(email="camille@exemple.test")
    karim = make_titulaire(email="karim@exemple.test")
    delegation = Delegation.objects.create(
        titulaire=camille, delegate=karim, email=karim.email, level="consultation"
    )
    browser.force_login(karim)
    since = timezone.now()
    response = browser.post(reverse("delegations:decline", args=[delegation.token]))
    assert response.status_code == 302
    entry = the_entry(Event.DELEGATION_REVOKED, since)
    assert_complete(entry, actor=karim, nir=camille.nir, since=since, obj=str(delegation))


def dossier_in(state, titulaire, superuser):
    """A dossier sent for validation by its titulaire, then validated by staff if asked."""
    give(titulaire.nir, cpf=100)
    dossier = dossier_services.create_dossier(
        titulaire, make_training("300", duration_hours=60), dt.date(2016, 5, 2), 30, actor=titulaire
    )
    dossier_services.submit(dossier, actor=titulaire)
    if state == transitions.VALIDATED:
        dossier_services.validate(dossier, actor=superuser)
    dossier.refresh_from_db()
    return dossier


ACTIONS = {
    # action: (how the dossier must be first, extra POST data, what the trail says)
    "action_validate": (transitions.PENDING, {}, "validé"),
    "action_refuse": (
        transitions.PENDING,
        {"apply": "1", "reason": "Formation complète"},
        "refusé",
    ),
    "action_close": (transitions.VALIDATED, {}, "clos"),
    "action_cancel": (transitions.VALIDATED, {}, "annulé"),
}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_staff_decisions_on_dossiers(staff_browser, superuser, titulaire, action):
    before, extra, word = ACTIONS[action]
    dossier = dossier_in(before, titulaire, superuser)
    assert dossier.status == before
    since = timezone.now()
    response = staff_browser.post(
        reverse("admin:dossiers_dossier_changelist"),
        {"action": action, "_selected_action": [dossier.pk], **extra},
    )
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status != before
    entry = the_entry(Event.DOSSIER_DECISION, since)
    assert_complete(entry, actor=superuser, nir=titulaire.nir, since=since, obj=dossier.reference)
    assert word in entry.detail


def test_staff_movement_of_hours(staff_browser, superuser, nir_factory):
    nir = nir_factory()
    since = timezone.now()
    response = staff_browser.post(
        reverse("admin:hours_ledgerentry_movement"),
        {"nir": nir, "kind": "abondement", "hours": "100", "label": "Abondement correctif"},
    )
    assert response.status_code == 302
    entry = the_entry(Event.HOURS_CHANGE, since)
    assert_complete(entry, actor=superuser, nir=nir, since=since)
    assert "+100" in entry.detail


def test_staff_read_the_trail_in_the_admin_and_cannot_change_it(staff_browser, browser, titulaire):
    browser.post(LOGIN, {"username": titulaire.nir, "password": "Mauvais2015!"})
    entry = AuditEntry.objects.get(event=Event.LOGIN_FAILURE)
    listing = staff_browser.get(reverse("admin:audit_auditentry_changelist"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert "Échec de connexion" in html and IP in html and entry.subject_hash[:12] in html
    assert titulaire.nir not in html
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    page = staff_browser.get(change)
    assert page.status_code == 200 and IP in page.content.decode()
    assert 'name="_save"' not in page.content.decode()
    assert staff_browser.post(change, {"detail": "effacé", "ip": "10.0.0.1"}).status_code == 403
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert staff_browser.post(delete, {"post": "yes"}).status_code == 403
    assert staff_browser.get(reverse("admin:audit_auditentry_add")).status_code == 403
    entry.refresh_from_db()
    assert entry.ip == IP and entry.detail == ""
