"""Issue 4, point 2: rate limits on signup, password reset and the confirmation link's resend
(email change and delegation invitations: tests/accounts/test_profile_email.py and
tests/delegations). The limited answer is French and reveals nothing about the NIR."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import PendingSignup
from accounts.services import reset as reset_service
from accounts.services import signup as signup_service
from accounts.services.signup import register
from cpf_portal import ratelimit
from tests.fixtures.signup import GOOD_PASSWORD, PASSWORD_URL, identity, reach_password_step

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
RESEND = reverse("accounts:resend_link")
RESET = reverse("accounts:reset_request")


def _text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def test_signup_is_limited_per_ip(client, nir_factory, mailoutbox):
    for _ in range(signup_service.SIGNUP_IP_LIMIT.max_hits):
        ratelimit.hit(signup_service.SIGNUP_IP_LIMIT, "127.0.0.1")
    nir = nir_factory()
    reach_password_step(client, nir)
    response = client.post(PASSWORD_URL, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 429
    html = _text(response)
    assert 'lang="fr"' in html and "Trop d'inscriptions" in html
    assert not PendingSignup.objects.exists() and not mailoutbox
    # Another address is not concerned.
    response = client.post(
        PASSWORD_URL,
        {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 302
    assert PendingSignup.objects.filter(nir=nir).count() == 1


def test_signup_limit_holds_for_the_hour(client, nir_factory, database_cache):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(signup_service.SIGNUP_IP_LIMIT.max_hits):
            ratelimit.hit(signup_service.SIGNUP_IP_LIMIT, "127.0.0.1")
        traveller.shift(timedelta(minutes=59))
        reach_password_step(client, nir_factory())
        response = client.post(
            PASSWORD_URL, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        )
        assert response.status_code == 429
        traveller.shift(timedelta(minutes=2))
        nir = nir_factory()
        reach_password_step(client, nir)
        response = client.post(
            PASSWORD_URL, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        )
        assert response.status_code == 302
        assert PendingSignup.objects.filter(nir=nir).exists()


def test_signup_limit_lets_a_training_room_sign_up_in_demo_mode():
    # Production's default (10 an hour) is checked in test_production_settings.py.
    assert signup_service.SIGNUP_IP_LIMIT.max_hits == 100
    assert signup_service.SIGNUP_IP_LIMIT.window_seconds == 3600


def test_signup_limit_answer_is_the_same_for_a_known_nir(client, make_titulaire, nir_factory):
    """Over the limit, a NIR with an account and a new one get the same page."""
    for _ in range(signup_service.SIGNUP_IP_LIMIT.max_hits):
        ratelimit.hit(signup_service.SIGNUP_IP_LIMIT, "127.0.0.1")
    answers = []
    for nir in (make_titulaire().nir, nir_factory()):
        reach_password_step(client, nir)
        response = client.post(
            PASSWORD_URL, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        )
        answers.append((response.status_code, "Trop d'inscriptions" in _text(response)))
    assert answers == [(429, True), (429, True)]


def test_reset_is_limited_per_ip_without_telling(client, titulaire, mailoutbox):
    for _ in range(reset_service.IP_LIMIT.max_hits):
        ratelimit.hit(reset_service.IP_LIMIT, "127.0.0.1")
    response = client.post(RESET, {"username": titulaire.nir, "email": titulaire.email})
    # Same answer as a request that sends the email: no hint that a limit or a NIR exists.
    assert response.status_code == 302 and response.url == reverse("accounts:reset_sent")
    assert not mailoutbox


def test_reset_is_limited_per_nir_hash(client, titulaire, mailoutbox):
    for i in range(reset_service.NIR_LIMIT.max_hits + 2):
        client.post(
            RESET,
            {"username": titulaire.nir, "email": titulaire.email},
            REMOTE_ADDR=f"10.0.0.{i + 1}",
        )
    assert len(mailoutbox) == reset_service.NIR_LIMIT.max_hits


def test_reset_allows_twenty_requests_an_hour_per_address(
    client, titulaire, nir_factory, mailoutbox, database_cache
):
    """Twenty requests from one address (any NIRs) use up its hour: the owner's own request
    from there sends nothing until the hour is over."""
    own = {"username": titulaire.nir, "email": titulaire.email}
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(20):
            client.post(
                RESET,
                {"username": nir_factory(), "email": "x@exemple.test"},
                REMOTE_ADDR="10.3.3.3",
            )
        response = client.post(RESET, own, REMOTE_ADDR="10.3.3.3")
        assert response.status_code == 302 and response.url == reverse("accounts:reset_sent")
        assert not mailoutbox
        traveller.shift(timedelta(minutes=59))
        client.post(RESET, own, REMOTE_ADDR="10.3.3.3")
        assert not mailoutbox
        traveller.shift(timedelta(minutes=2))
        client.post(RESET, own, REMOTE_ADDR="10.3.3.3")
        assert [m.to for m in mailoutbox] == [[titulaire.email]]


def test_reset_allows_three_requests_an_hour_per_nir(client, titulaire, mailoutbox, database_cache):
    own = {"username": titulaire.nir, "email": titulaire.email}
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for i in range(3):
            client.post(RESET, own, REMOTE_ADDR=f"10.4.0.{i + 1}")
        assert len(mailoutbox) == 3
        traveller.shift(timedelta(minutes=59))
        client.post(RESET, own, REMOTE_ADDR="10.4.1.1")
        assert len(mailoutbox) == 3
        traveller.shift(timedelta(minutes=2))
        client.post(RESET, own, REMOTE_ADDR="10.4.2.1")
        assert len(mailoutbox) == 4


@pytest.fixture
def pending(nir_factory):
    return register(identity(nir_factory()), "Camille2015!x").pending


def _resend(client, pending):
    session = client.session
    session["resend_pending_id"] = pending.pk
    session.save()
    return client.post(RESEND)


def test_resend_has_a_two_minute_cooldown(client, pending, mailoutbox):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        _resend(client, pending)
        assert len(mailoutbox) == 2  # signup + first resend
        response = _resend(client, pending)
        assert response.status_code == 302
        assert len(mailoutbox) == 2
        assert "patienter deux minutes" in _text(client.get(LOGIN))
        traveller.shift(timedelta(minutes=1, seconds=59))
        _resend(client, pending)
        assert len(mailoutbox) == 2
        traveller.shift(timedelta(seconds=2))
        _resend(client, pending)
        assert len(mailoutbox) == 3


def test_the_owner_of_a_known_nir_gets_one_notice_an_hour(make_titulaire, mailoutbox):
    owner = make_titulaire()
    for _ in range(3):
        assert register(identity(owner.nir), GOOD_PASSWORD).kind == "existing"
    assert [m.to for m in mailoutbox] == [[owner.email]]
    # The hour's window lives in the shared cache: once it is over, a new notice goes out.
    from django.core.cache import cache

    cache.clear()
    register(identity(owner.nir), GOOD_PASSWORD)
    assert len(mailoutbox) == 2


def test_captcha_audio_is_limited_per_ip(client, monkeypatch):
    from captcha.models import CaptchaStore

    from accounts.views import signup as signup_views

    monkeypatch.setattr(
        signup_views, "CAPTCHA_AUDIO_LIMIT", ratelimit.Limit("captcha_audio_test", 2, 3600)
    )
    key = CaptchaStore.generate_key()
    url = reverse("accounts:captcha_audio", args=[key])
    assert [client.get(url).status_code for _ in range(3)][-1] == 429
    assert "Version audio indisponible" in client.get(url).content.decode()


def test_a_stranger_cannot_use_up_the_owners_resets(client, titulaire, mailoutbox):
    """Issue 12, M3: three requests (here ten, from ten addresses) with the owner's NIR and
    other addresses used to use up the hour; the owner's own request then said « envoyé » and
    sent nothing. They now count apart from the owner's."""
    for i in range(10):
        response = client.post(
            RESET,
            {"username": titulaire.nir, "email": f"intrus{i}@exemple.test"},
            REMOTE_ADDR=f"10.7.0.{i + 1}",
        )
        assert response.status_code == 302 and response.url == reverse("accounts:reset_sent")
    assert not mailoutbox
    own = client.post(
        RESET, {"username": titulaire.nir, "email": titulaire.email}, REMOTE_ADDR="10.7.1.1"
    )
    assert own.status_code == 302 and own.url == reverse("accounts:reset_sent")
    assert [m.to for m in mailoutbox] == [[titulaire.email]]


def test_the_owners_mailbox_still_gets_at_most_three_resets_an_hour(
    client, titulaire, mailoutbox, database_cache
):
    """Mass mailing to the owner stays capped: the address spelt in any case, from many
    addresses, interleaved with wrong ones; the hour over, it works again."""
    spellings = [titulaire.email, titulaire.email.upper(), titulaire.email.title()]
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for i in range(12):
            courriel = spellings[i % 3] if i % 2 else f"autre{i}@exemple.test"
            client.post(
                RESET,
                {"username": titulaire.nir, "email": courriel},
                REMOTE_ADDR=f"10.8.0.{i + 1}",
            )
            client.post(
                RESET,
                {"username": titulaire.nir, "email": spellings[i % 3]},
                REMOTE_ADDR=f"10.8.1.{i + 1}",
            )
        assert len(mailoutbox) == 3
        assert {tuple(m.to) for m in mailoutbox} == {(titulaire.email,)}
        traveller.shift(timedelta(minutes=61))
        own = {"username": titulaire.nir, "email": titulaire.email}
        client.post(RESET, own, REMOTE_ADDR="10.8.2.1")
        assert len(mailoutbox) == 4


def test_reset_requests_with_a_wrong_address_are_limited_per_pair(client, titulaire, mailoutbox):
    """Every request still counts somewhere keyed by the NIR: the same wrong pair is refused
    after three, with the same answer."""
    from audit.models import AuditEntry, Event

    for i in range(4):
        client.post(
            RESET,
            {"username": titulaire.nir, "email": "intrus@exemple.test"},
            REMOTE_ADDR=f"10.9.0.{i + 1}",
        )
    details = list(
        AuditEntry.objects.filter(event=Event.PASSWORD_RESET_REQUEST)
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details == ["", "", "", "limite atteinte"]
    assert not mailoutbox
