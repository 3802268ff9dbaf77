"""services.signup.register: pending signup, token, email, no disclosure of existing accounts."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.urls import reverse
from django.utils import timezone

from accounts.models import PendingSignup, SignupTokenTrace, Titulaire
from accounts.services import signup as service
from audit.models import AuditEntry, Event
from tests.fixtures.signup import DONE_URL, complete_signup, identity

pytestmark = pytest.mark.django_db


def _expired():
    now = timezone.now()
    return {"created_at": now - timedelta(days=16), "expires_at": now - timedelta(minutes=1)}


def test_register_creates_pending_with_hashed_token_and_15_days(nir_factory, mailoutbox):
    nir = nir_factory()
    now = timezone.now()
    outcome = service.register(identity(nir), "Camille2015!x")
    pending = PendingSignup.objects.get()
    assert outcome.kind == "created"
    assert pending.nir == nir
    assert len(outcome.token) >= 43  # 32 bytes, urlsafe base64
    assert pending.token_hash == hashlib.sha256(outcome.token.encode()).hexdigest()
    assert outcome.token not in pending.token_hash
    assert pending.expires_at - pending.created_at == timedelta(days=15)
    assert abs((pending.created_at - now).total_seconds()) < 5
    assert check_password("Camille2015!x", pending.password_hash)
    assert "Camille2015!x" not in pending.password_hash
    [mail] = mailoutbox
    assert mail.to == ["camille@exemple.test"]
    assert nir not in mail.subject
    assert reverse("accounts:confirm_land", args=[outcome.token]) in mail.body
    # The name typed at step 2 is not quoted: anyone may type any address (issue 12, L2).
    assert mail.body.startswith("Bonjour,\n") and "Camille" not in mail.body
    html = mail.alternatives[0][0]
    assert f"http://testserver{reverse('accounts:confirm_land', args=[outcome.token])}" in html or (
        reverse("accounts:confirm_land", args=[outcome.token]) in html
    )
    assert AuditEntry.objects.filter(event=Event.SIGNUP).count() == 1


def test_email_link_is_absolute_from_request(client, nir_factory, mailoutbox):
    complete_signup(client, nir_factory())
    [mail] = mailoutbox
    assert re.search(r"http://testserver/inscription/confirmer/[\w-]{43,}/", mail.body)
    assert "15 jours" in mail.body


def test_new_signup_keeps_the_pending_one_and_first_confirmation_wins(nir_factory, mailoutbox):
    """Issue 12, H1: a second signup no longer replaces the first (the takeover sequence is in
    tests/security/test_signup_takeover.py)."""
    from accounts.services.confirmation import Result, confirm_token

    nir = nir_factory()
    first = service.register(identity(nir), "Camille2015!x")
    second = service.register(identity(nir, email="autre@exemple.test"), "Dominique2016!y")
    assert PendingSignup.objects.count() == 2
    assert confirm_token(first.token)[0] == Result.ACTIVATED
    assert confirm_token(second.token)[0] == Result.CLOSED
    assert Titulaire.objects.get().email == "camille@exemple.test"
    assert [m.to for m in mailoutbox] == [
        ["camille@exemple.test"],
        ["autre@exemple.test"],
        ["autre@exemple.test"],  # closed: told
    ]


def test_active_nir_not_revealed_owner_emailed(client, make_titulaire, mailoutbox):
    owner = make_titulaire(email="proprietaire@exemple.test")
    response = complete_signup(client, owner.nir)
    assert response.url == DONE_URL
    page = client.get(DONE_URL)
    assert page.status_code == 200
    assert "Votre inscription a bien été enregistrée" in page.content.decode()
    assert not PendingSignup.objects.exists()
    assert Titulaire.objects.count() == 1
    [mail] = mailoutbox
    assert mail.to == ["proprietaire@exemple.test"]
    assert owner.nir not in mail.subject and owner.nir not in mail.body
    assert "/inscription/confirmer/" not in mail.body  # no link
    assert "tenter de créer un compte" in mail.body
    owner.refresh_from_db()
    assert owner.check_password("Formation2015!")
    assert AuditEntry.objects.filter(event=Event.SIGNUP_EXISTING).count() == 1


def test_same_pages_whether_nir_exists_or_not(client, make_titulaire, nir_factory):
    owner = make_titulaire()
    complete_signup(client, owner.nir)
    existing = client.get(DONE_URL).content.decode()
    client.cookies.clear()
    complete_signup(client, nir_factory())
    fresh = client.get(DONE_URL).content.decode()

    def strip(html):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    assert strip(existing) == strip(fresh)


def test_inactive_account_creates_nothing(make_titulaire, mailoutbox):
    owner = make_titulaire(is_active=False)
    outcome = service.register(identity(owner.nir), "Camille2015!x")
    assert outcome.kind == "inactive"
    assert not PendingSignup.objects.exists()
    assert mailoutbox == []


def test_find_pending_by_credentials(nir_factory):
    nir = nir_factory()
    service.register(identity(nir), "Camille2015!x")
    spaced = f"{nir[:1]} {nir[1:7]} {nir[7:]}"
    assert service.find_pending_by_credentials(spaced, "Camille2015!x").nir == nir
    assert service.find_pending_by_credentials(nir, "mauvais") is None
    assert service.find_pending_by_credentials(nir_factory(), "Camille2015!x") is None
    assert service.find_pending_by_credentials("n'importe quoi", "x") is None
    PendingSignup.objects.update(**_expired())
    assert service.find_pending_by_credentials(nir, "Camille2015!x") is None


def test_purge_expired_keeps_valid_ones(nir_factory):
    old = service.register(identity(nir_factory()), "Camille2015!x")
    service.register(identity(nir_factory()), "Camille2015!x")
    PendingSignup.objects.filter(pk=old.pending.pk).update(**_expired())
    assert service.purge_expired() == 1
    assert service.purge_expired() == 0
    assert PendingSignup.objects.count() == 1
    assert SignupTokenTrace.objects.get().reason == "expired"
