"""Issue 4, point 10: integrity under concurrency, with real threads, on PostgreSQL (row locks,
advisory lock) and on SQLite (IMMEDIATE transactions waiting behind the busy timeout).
Twenty simultaneous signups with one NIR, a double-submitted last step, a link clicked twice at
once, the links of two signups for one NIR clicked at once, two logins racing the lock counter.
Validate-vs-cancel of one dossier is in tests/dossiers/test_concurrency.py; concurrent
mobilisations and imports in tests/hours/test_concurrency.py."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import PendingSignup, Titulaire
from accounts.services import confirmation
from accounts.services.signup import register
from audit.models import AuditEntry, Event
from tests.fixtures.concurrency import run_together
from tests.fixtures.signup import GOOD_PASSWORD, PASSWORD_URL, identity, reach_password_step

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_twenty_simultaneous_signups_keep_five_pending(nir_factory, mailoutbox):
    """None cancels another, none fails: the first five wait, the others are refused (their
    addresses are told), counted under the NIR's lock."""
    from accounts.services.signup import MAX_PENDING_PER_NIR

    nir = nir_factory()
    results, errors = run_together(
        20, lambda i: register(identity(nir, email=f"n{i}@exemple.test"), "Camille2015!x").kind
    )
    assert not errors, errors
    assert PendingSignup.objects.filter(nir=nir).count() == MAX_PENDING_PER_NIR
    assert results.count("created") == MAX_PENDING_PER_NIR
    assert results.count("full") == 20 - MAX_PENDING_PER_NIR


def test_two_signups_for_one_nir_confirmed_at_once_make_one_account(nir_factory, mailoutbox):
    """Issue 12, H1: the victim's and the attacker's links opened at the same instant. Exactly
    one account; the other signup is closed and its address told; no error, no deadlock."""
    for round_ in range(3):
        nir = nir_factory()
        outcomes = [
            register(identity(nir, email=f"{who}{round_}@exemple.test"), f"Camille201{i}!x")
            for i, who in enumerate(("victime", "pirate"))
        ]
        assert PendingSignup.objects.filter(nir=nir).count() == 2

        def click(i, outcomes=outcomes):
            client = Client()
            client.get(reverse("accounts:confirm_land", args=[outcomes[i].token]))
            return client.get(reverse("accounts:confirm")).status_code

        results, errors = run_together(2, click)
        assert not errors, errors
        assert sorted(results) == [302, 410]  # one activation, one « inscription close »
        account = Titulaire.objects.get(nir=nir)
        assert not PendingSignup.objects.filter(nir=nir).exists()
        loser = next(o.pending.email for o in outcomes if o.pending.email != account.email)
        assert [m for m in mailoutbox if m.to == [loser] and "ne peut plus" in m.subject]
    assert AuditEntry.objects.filter(event=Event.ACTIVATION).count() == 3


def test_double_submitted_last_step_gives_one_pending_signup(client, nir_factory):
    nir = nir_factory()
    reach_password_step(client, nir)
    cookie = client.cookies["sessionid"].value

    def submit(i):
        other = Client()
        other.cookies["sessionid"] = cookie
        return other.post(
            PASSWORD_URL, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        ).status_code

    results, errors = run_together(2, submit)
    assert not errors, errors
    assert all(status in (200, 302) for status in results)
    assert PendingSignup.objects.filter(nir=nir).count() == 1
    pending = PendingSignup.objects.get(nir=nir)
    assert confirmation.confirm_token("wrong")[0] == confirmation.Result.INVALID
    assert pending.expires_at > pending.created_at


def test_link_clicked_twice_at_once_activates_once(nir_factory):
    outcome = register(identity(nir_factory()), "Camille2015!x")

    def click(i):
        client = Client()
        client.get(reverse("accounts:confirm_land", args=[outcome.token]))
        return client.get(reverse("accounts:confirm")).status_code

    results, errors = run_together(2, click)
    assert not errors, errors
    assert sorted(results) == [200, 302]  # one activation, one "already used"
    assert Titulaire.objects.count() == 1
    assert AuditEntry.objects.filter(event=Event.ACTIVATION).count() == 1


def test_simultaneous_wrong_passwords_all_count(make_titulaire):
    """Ten wrong passwords at once: none escapes the count (axes' row + the shared cache)."""
    from accounts.services import gate

    titulaire = make_titulaire()

    def attempt(i):
        return (
            Client()
            .post(
                reverse("accounts:login"), {"username": titulaire.nir, "password": f"Faux{i}2015!x"}
            )
            .status_code
        )

    results, errors = run_together(10, attempt)
    assert not errors, errors
    # The next attempt, even with the right password, is refused.
    response = Client().post(
        reverse("accounts:login"), {"username": titulaire.nir, "password": "Formation2015!"}
    )
    assert response.status_code == 429
    assert gate.is_locked(titulaire.nir) or results.count(429) >= 1
