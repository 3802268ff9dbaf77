"""Issue 12, L4: captcha refreshes and image renders were unlimited (150 refreshes, 150 rows).
Each is now counted per client address (through the trusted proxies) and answered in French
over the limit; expired challenges are purged (accounts/captcha_limits.py)."""

import datetime as dt
from io import StringIO

import pytest
from captcha.models import CaptchaStore
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.captcha_limits import IMAGE_LIMIT, NEW_CHALLENGE_LIMIT

pytestmark = pytest.mark.django_db

XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
JSON = {"HTTP_ACCEPT": "application/json"}


def near_the_limit(limit, address="127.0.0.1"):
    """The address has used all but one of its allowance (the test client's REMOTE_ADDR)."""
    cache.set(f"rl:{limit.name}:{address}", limit.max_hits - 1, limit.window_seconds)


def test_one_address_creates_at_most_the_limit_of_challenges(client):
    """Refreshes, ours (signup.js) and the library's, alternately: the rows stop at the limit."""
    before = CaptchaStore.objects.count()
    statuses = []
    for i in range(NEW_CHALLENGE_LIMIT.max_hits + 20):
        if i % 2:
            response = client.get(reverse("captcha-refresh"), **XHR)
        else:
            response = client.get(reverse("accounts:captcha_refresh"), **JSON)
        statuses.append(response.status_code)
    assert statuses.count(200) == NEW_CHALLENGE_LIMIT.max_hits
    assert set(statuses[NEW_CHALLENGE_LIMIT.max_hits :]) == {429}
    assert CaptchaStore.objects.count() - before == NEW_CHALLENGE_LIMIT.max_hits
    # Another address is not affected.
    other = client.get(reverse("captcha-refresh"), REMOTE_ADDR="198.51.100.9", **XHR)
    assert other.status_code == 200


def test_over_the_limit_the_answer_is_french(client):
    near_the_limit(NEW_CHALLENGE_LIMIT)
    assert client.get(reverse("captcha-refresh"), **XHR).status_code == 200
    as_json = client.get(reverse("accounts:captcha_refresh"), **JSON)
    assert as_json.status_code == 429
    assert "Trop de contrôles de sécurité" in as_json.json()["erreur"]
    page = client.get(reverse("accounts:signup_identity"))
    assert page.status_code == 429
    html = page.content.decode()
    assert 'lang="fr"' in html and "Trop de contrôles de sécurité" in html
    assert html.count("<h1") == 1


def test_the_signup_step_showing_the_captcha_counts_as_a_new_challenge(client):
    session = client.session
    session.save()
    before = cache.get(f"rl:{NEW_CHALLENGE_LIMIT.name}:127.0.0.1") or 0
    client.get(reverse("accounts:signup_identity"))
    assert cache.get(f"rl:{NEW_CHALLENGE_LIMIT.name}:127.0.0.1") == before + 1


def test_image_renders_are_limited_per_address(client):
    key = CaptchaStore.generate_key()
    url = reverse("captcha-image", args=[key])
    near_the_limit(IMAGE_LIMIT)
    first = client.get(url)
    assert first.status_code == 200 and first["Content-Type"] == "image/png"
    over = client.get(url)
    assert over.status_code == 429
    assert "Trop de contrôles de sécurité" in over.content.decode()
    assert client.get(url, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_the_limit_follows_the_client_address_through_the_proxies(client, settings):
    """Behind one trusted proxy, the address is the one it saw; an entry the client writes on
    the left does not give it a fresh allowance."""
    settings.PORTAL_PROXY_COUNT = 1
    near_the_limit(NEW_CHALLENGE_LIMIT, "198.51.100.7")
    proxy = {"REMOTE_ADDR": "192.0.2.10"}
    url = reverse("captcha-refresh")
    assert client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy, **XHR).status_code == 200
    forged = client.get(url, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7", **proxy, **XHR)
    assert forged.status_code == 429
    other = client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy, **XHR)
    assert other.status_code == 200


def test_expired_challenges_are_purged(client):
    CaptchaStore.generate_key()
    expired = CaptchaStore.objects.create(
        challenge="ABCDEF", response="abcdef", expiration=timezone.now() - dt.timedelta(minutes=1)
    )
    call_command("purge_expired_signups", stdout=StringIO())
    assert not CaptchaStore.objects.filter(pk=expired.pk).exists()
    assert CaptchaStore.objects.count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_limit_page_is_french_and_accessible(page):

    from tests.fixtures.browser import assert_accessible, screenshot

    near_the_limit(NEW_CHALLENGE_LIMIT)
    cache.incr(f"rl:{NEW_CHALLENGE_LIMIT.name}:127.0.0.1")
    response = page.goto(page.base_url + reverse("captcha-refresh"))
    assert response.status == 429
    page.goto(page.base_url + reverse("accounts:signup_identity"))
    assert page.get_by_role("heading", level=1).inner_text() == "Trop de demandes"
    assert page.get_by_text("Trop de contrôles de sécurité").is_visible()
    assert_accessible(page)
    page.set_viewport_size({"width": 360, "height": 780})
    screenshot(page, "captcha-limit-360", narrow=False)
    page.get_by_role("link", name="Revenir à l'accueil").click()
    assert page.url.rstrip("/") == page.base_url.rstrip("/")
