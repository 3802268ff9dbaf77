"""Issue 4, point 4: no enumeration. Login, password reset, signup and resend answer the same
(status, page, emails to the person asking, password hashes run, time within noise) whether or
not a NIR or an address exists or is active. Timing tests use the real Argon2 hasher."""

import re
import statistics
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.services import signup as signup_service
from tests.fixtures.signup import identity

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
RESET = reverse("accounts:reset_request")
RESEND = reverse("accounts:resend_link")
ARGON2 = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
WRONG = "Mauvais2015!x"
RUNS = 5


@pytest.fixture
def argon2(settings):
    settings.PASSWORD_HASHERS = ARGON2


@pytest.fixture
def hash_calls(monkeypatch):
    """Counts every Argon2 computation (hashing a new password or checking one)."""
    calls = []
    encode, verify = Argon2PasswordHasher.encode, Argon2PasswordHasher.verify

    def spy_encode(self, *args, **kwargs):
        calls.append("encode")
        return encode(self, *args, **kwargs)

    def spy_verify(self, *args, **kwargs):
        calls.append("verify")
        return verify(self, *args, **kwargs)

    monkeypatch.setattr(Argon2PasswordHasher, "encode", spy_encode)
    monkeypatch.setattr(Argon2PasswordHasher, "verify", spy_verify)
    return calls


def normalise(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|nonce=")[^"]+', r"\1", html)


def _fresh_attempts():
    AccessAttempt.objects.all().delete()
    cache.clear()


def median_seconds(action, runs=RUNS) -> float:
    timings = []
    for _ in range(runs):
        _fresh_attempts()
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def paired_medians(first, second, runs=RUNS) -> tuple[float, float]:
    """Median times of two actions run alternately, so that the load of a shared machine
    weighs on both alike."""
    a, b = [], []
    for _ in range(runs):
        a.append(median_seconds(first, runs=1))
        b.append(median_seconds(second, runs=1))
    return statistics.median(a), statistics.median(b)


def assert_close(a: float, b: float):
    assert 0.5 <= a / b <= 2.0, f"{a:.4f}s contre {b:.4f}s"


# Login


@pytest.fixture
def login_cases(argon2, make_titulaire, nir_factory):
    active = make_titulaire()
    inactive = make_titulaire(is_active=False)
    pending = nir_factory()  # a signup waiting for its link: no account yet
    signup_service.register(identity(pending), "Camille2015!x")
    mail.outbox.clear()
    return {
        "active": active.nir,
        "inactive": inactive.nir,
        "pending": pending,
        "unknown": nir_factory(),
    }


def test_login_answers_the_same(client, login_cases):
    answers = {}
    for case, nir in login_cases.items():
        _fresh_attempts()
        response = client.post(LOGIN, {"username": nir, "password": WRONG})
        # The typed identifier is shown again in the field: the only expected difference.
        page = normalise(response.content.decode()).replace(nir, "NIR")
        answers[case] = (response.status_code, page)
    assert len(set(answers.values())) == 1
    assert mail.outbox == []


def test_login_runs_the_same_hashes(client, login_cases, hash_calls):
    counts = {}
    for case, nir in login_cases.items():
        _fresh_attempts()
        hash_calls.clear()
        client.post(LOGIN, {"username": nir, "password": WRONG})
        counts[case] = len(hash_calls)
    assert counts["active"] >= 1
    assert len(set(counts.values())) == 1, counts


def test_login_time_does_not_tell_whether_the_nir_exists(client, login_cases):
    def attempt(nir):
        return lambda: client.post(LOGIN, {"username": nir, "password": WRONG})

    attempt(login_cases["unknown"])()  # warm-up
    known, unknown = paired_medians(attempt(login_cases["active"]), attempt(login_cases["unknown"]))
    assert_close(known, unknown)


def test_login_hash_check_is_what_takes_the_time(client, login_cases, monkeypatch):
    """The control the timing test relies on: without the dummy hash for an unknown NIR, the
    two cases would differ (here simulated by removing the hasher's work)."""
    from django.contrib.auth.backends import ModelBackend

    monkeypatch.setattr(
        ModelBackend, "authenticate", lambda self, request, username=None, **kw: None
    )
    monkeypatch.setattr(signup_service, "make_password", lambda password: "")
    unknown = median_seconds(
        lambda: client.post(LOGIN, {"username": login_cases["unknown"], "password": WRONG})
    )
    monkeypatch.undo()
    known = median_seconds(
        lambda: client.post(LOGIN, {"username": login_cases["active"], "password": WRONG})
    )
    assert known / unknown > 2.0  # so the ratio test above would catch a missing hash


# Password reset


@pytest.fixture
def reset_cases(argon2, make_titulaire, nir_factory):
    active = make_titulaire()
    inactive = make_titulaire(is_active=False)
    return {
        "match": (active.nir, active.email),
        "wrong-email": (active.nir, "attaquant@exemple.test"),
        "inactive": (inactive.nir, inactive.email),
        "unknown": (nir_factory(), "attaquant@exemple.test"),
    }


def test_reset_answers_the_same_and_mails_only_the_owner(client, reset_cases, hash_calls):
    answers, counts = {}, {}
    for case, (nir, email) in reset_cases.items():
        _fresh_attempts()
        mail.outbox.clear()
        hash_calls.clear()
        response = client.post(RESET, {"username": nir, "email": email})
        answers[case] = (response.status_code, response.get("Location"))
        counts[case] = len(hash_calls)
        # Whatever happens, the address typed by someone else gets nothing.
        assert not any("attaquant@exemple.test" in m.to for m in mail.outbox)
    assert len(set(answers.values())) == 1, answers
    assert len(set(counts.values())) == 1 and counts["match"] == 1, counts


def test_reset_time_does_not_tell(client, reset_cases):
    def ask(case):
        nir, email = reset_cases[case]
        return lambda: client.post(RESET, {"username": nir, "email": email})

    ask("unknown")()
    assert_close(*paired_medians(ask("match"), ask("unknown")))


# Signup


def test_signup_register_same_hashes_and_time(argon2, make_titulaire, nir_factory, hash_calls):
    owner = make_titulaire()
    counts = {}
    for case, nir in (("existing", owner.nir), ("new", nir_factory())):
        hash_calls.clear()
        outcome = signup_service.register(identity(nir), "Camille2015!x")
        counts[case] = (len(hash_calls), outcome.kind)
    assert counts["existing"][0] == counts["new"][0] == 1, counts

    fresh = iter(nir_factory() for _ in range(RUNS + 1))
    assert_close(
        *paired_medians(
            lambda: signup_service.register(identity(owner.nir), "Ab2015!xyz"),
            lambda: signup_service.register(identity(next(fresh)), "Ab2015!xyz"),
        )
    )


def test_signup_pages_the_same_for_a_known_nir(client, make_titulaire, nir_factory):
    from tests.fixtures.signup import DONE_URL, complete_signup

    answers = []
    known, deactivated = make_titulaire().nir, make_titulaire(is_active=False).nir
    for nir in (known, deactivated, nir_factory()):
        client.cookies.clear()
        response = complete_signup(client, nir)
        page = client.get(DONE_URL)
        answers.append((response.status_code, response.url, normalise(page.content.decode())))
    assert answers[0] == answers[1] == answers[2]


# Resend


def test_resend_without_a_proven_password_says_nothing(client, nir_factory, mailoutbox):
    """The resend button only works for the session that just proved the pending signup's
    password; anyone else gets one generic answer whether a signup is pending or not."""
    nir = nir_factory()
    signup_service.register(identity(nir), "Camille2015!x")
    mailoutbox.clear()
    answers = []
    for username in (nir, nir_factory()):
        other = Client()
        other.post(LOGIN, {"username": username, "password": WRONG})
        response = other.post(RESEND)
        answers.append(
            (response.status_code, response.url, normalise(other.get(LOGIN).content.decode()))
        )
    assert answers[0] == answers[1]
    assert mailoutbox == []
