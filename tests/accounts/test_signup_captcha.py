"""The captcha's audio alternative (espeak-ng) and its renewal with and without JavaScript."""

import subprocess

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse

from accounts import captcha_audio as views

pytestmark = pytest.mark.django_db


def new_key():
    return CaptchaStore.generate_key()


def test_audio_is_french_wav(client):
    key = new_key()
    response = client.get(reverse("accounts:captcha_audio", args=[key]))
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response.content[:4] == b"RIFF"
    assert response["Cache-Control"] == "no-store"
    download = client.get(reverse("accounts:captcha_audio", args=[key]), {"telecharger": "1"})
    assert download["Content-Disposition"].startswith("attachment")


def test_audio_spells_characters_in_french(client, monkeypatch):
    calls = []

    def fake_run(args, **kwargs):
        calls.append((args, kwargs))
        return subprocess.CompletedProcess(args, 0, stdout=b"RIFFdata", stderr=b"")

    monkeypatch.setattr(views.subprocess, "run", fake_run)
    key = new_key()
    challenge = CaptchaStore.objects.get(hashkey=key).challenge
    client.get(reverse("accounts:captcha_audio", args=[key]))
    [(args, kwargs)] = calls
    assert args[0] == views.settings.ESPEAK_PATH and args[args.index("-v") + 1] == "fr"
    assert ". ".join(challenge.upper()) in args[-1]
    assert kwargs["timeout"] and not kwargs.get("shell")


def test_audio_unknown_key_404(client):
    assert client.get(reverse("accounts:captcha_audio", args=["inconnue"])).status_code == 404


def test_audio_without_espeak_never_500(client, settings):
    settings.ESPEAK_PATH = "/nonexistent/espeak-ng"
    response = client.get(reverse("accounts:captcha_audio", args=[new_key()]))
    assert response.status_code == 503
    assert "01 99 00 15 15" in response.content.decode()


def test_audio_failing_espeak_never_500(client, monkeypatch):
    def boom(*args, **kwargs):
        raise subprocess.TimeoutExpired(args, 10)

    monkeypatch.setattr(views.subprocess, "run", boom)
    response = client.get(reverse("accounts:captcha_audio", args=[new_key()]))
    assert response.status_code == 503


def test_step2_without_espeak_shows_alternative(client, settings):
    settings.ESPEAK_PATH = "/nonexistent/espeak-ng"
    client.post(reverse("accounts:signup_cgu"), {"accept": "on"})
    html = client.get(reverse("accounts:signup_identity")).content.decode()
    assert "<audio" not in html
    assert "par téléphone" in html


def test_step2_has_audio_player_and_download(client):
    client.post(reverse("accounts:signup_cgu"), {"accept": "on"})
    html = client.get(reverse("accounts:signup_identity")).content.decode()
    assert "<audio controls" in html and "telecharger=1" in html


def test_refresh_json_for_javascript(client):
    response = client.get(reverse("accounts:captcha_refresh"), HTTP_ACCEPT="application/json")
    data = response.json()
    assert CaptchaStore.objects.filter(hashkey=data["key"]).exists()
    assert data["image_url"] == reverse("captcha-image", args=[data["key"]])
    assert data["audio_url"] == reverse("accounts:captcha_audio", args=[data["key"]])


def test_refresh_without_javascript_goes_back_to_step2(client):
    response = client.get(reverse("accounts:captcha_refresh"))
    assert response.status_code == 302
    assert response.url == reverse("accounts:signup_identity")


def test_captcha_is_single_use(client, nir_factory):
    from tests.fixtures.signup import accept_cgu, identity_data

    accept_cgu(client)
    data = identity_data(client, nir_factory(), email_confirmation="autre@exemple.test")
    client.post(reverse("accounts:signup_identity"), data)  # refused for the email
    data["email_confirmation"] = data["email"]
    response = client.post(reverse("accounts:signup_identity"), data)
    assert response.status_code == 200  # the same captcha answer does not work twice
