"""The captcha on signup step 2 in a browser, on a machine without espeak-ng (issue 10, point
6): at 360 px the image is whole and its letters readable, the audio version plays (the
browser decodes it), a renewal changes both, the answer in lower case is accepted, and axe-core
finds nothing."""

import re
import subprocess

import pytest
from playwright.sync_api import expect

from accounts import captcha_image
from tests.fixtures.browser import NARROW, assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def challenge(page) -> str:
    from captcha.models import CaptchaStore

    key = page.locator("input[name='captcha_0']").input_value()
    return CaptchaStore.objects.get(hashkey=key).challenge


def decoded_seconds(page, url: str) -> float:
    """Fetch the WAV as the page's <audio> would, and decode it with the browser's audio stack."""
    return page.evaluate(
        """async (url) => {
            const response = await fetch(url);
            const data = await response.arrayBuffer();
            const context = new OfflineAudioContext(1, 8000, 8000);
            const buffer = await context.decodeAudioData(data);
            return buffer.duration;
        }""",
        url,
    )


def test_step2_captcha_at_360px_without_espeak(page, monkeypatch, tmp_path, settings, nir_factory):
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng anywhere: the live server's too
    monkeypatch.setenv("ESPEAK_PATH", "")
    monkeypatch.setattr(subprocess, "run", None)  # and nothing may be run to speak
    settings.ESPEAK_PATH = ""  # the setting the portal once read

    page.set_viewport_size(NARROW)
    page.goto("/inscription/")
    page.get_by_label("Je déclare avoir lu").check()
    page.get_by_role("button", name="Continuer").click()
    image = page.get_by_role("img", name="Image contenant les 6 caractères à recopier")
    expect(image).to_be_visible()
    image.evaluate("i => i.complete || new Promise(done => i.addEventListener('load', done))")
    # Drawn whole (not scaled down) inside the 360 px page.
    size = image.evaluate("i => [i.naturalWidth, i.clientWidth, i.getBoundingClientRect().right]")
    assert size[0] == size[1] == captcha_image.WIDTH and size[2] <= NARROW["width"]
    assert_accessible(page, "étape 2, captcha à 360 px")
    page.locator(".captcha-box").scroll_into_view_if_needed()
    screenshot(page, "signup_2_captcha-360", narrow=False, full_page=False)

    audio = page.locator("audio[data-captcha-audio]")
    first_audio = audio.get_attribute("src")
    assert decoded_seconds(page, first_audio) > 10  # two phrases and 12 characters

    page.get_by_role("button", name="cliquez ici pour renouveler les caractères").click()
    expect(audio).not_to_have_attribute("src", first_audio)
    expect(page.get_by_label("Contrôle de sécurité")).to_be_focused()
    assert decoded_seconds(page, audio.get_attribute("src")) > 10

    nir = nir_factory(sex="F")
    page.get_by_label("N° de sécurité sociale").fill(nir)
    page.get_by_label("Madame").check()
    page.get_by_label("Nom de naissance").fill("Martin")
    page.get_by_label(re.compile(r"^Courriel")).fill("camille.martin@demo.test")
    page.get_by_label("Confirmation courriel").fill("camille.martin@demo.test")
    page.get_by_label("Contrôle de sécurité").fill(challenge(page).lower())
    page.get_by_role("button", name="Continuer").click()
    expect(page.locator("ol.steps li[aria-current='step']")).to_contain_text("Saisir son mot")
