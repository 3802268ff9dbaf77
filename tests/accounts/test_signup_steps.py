"""The signup wizard's pages: each step, its errors, its redirects, and the session it keeps.

The steps themselves are in tests/fixtures/signup.py."""

import re

import pytest
from django.urls import reverse

from accounts.models import PendingSignup
from accounts.services.signup import DONE_KEY, SESSION_KEY
from tests.fixtures.signup import (
    CANCEL_URL,
    CGU_URL,
    DONE_URL,
    GOOD_PASSWORD,
    IDENTITY_URL,
    PASSWORD_URL,
    accept_cgu,
    captcha_from,
    complete_signup,
    identity_data,
    reach_password_step,
)

pytestmark = pytest.mark.django_db


# Step header and step 1


def test_step1_shows_header_cgu_and_buttons(client):
    response = client.get(CGU_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<ol class="steps">' in html
    assert re.search(r'<li aria-current="step">.*?Valider les CGU.*?étape en cours', html, re.S)
    for label in ("S&#x27;inscrire", "Saisir son mot de passe", "Valider son inscription"):
        assert label in html
    assert "<details" in html and "Données personnelles" in html and "CNIL" in html
    assert "Je déclare avoir lu, compris et accepté les Conditions Générales" in html
    assert ">Annuler<" in html and ">Continuer<" in html
    assert reverse("accounts:signup_tutorial", args=[1]) in html
    assert 'style="' not in html and "<script>" not in html


def test_step1_unticked_is_refused_with_the_seed_message(client):
    response = client.post(CGU_URL, {})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Merci de valider les Conditions Générales d&#x27;Utilisation afin de pouvoir" in html
    assert 'class="error-summary"' in html
    assert SESSION_KEY not in client.session


def test_step1_ticked_goes_to_step2(client):
    accept_cgu(client)
    assert client.session[SESSION_KEY]["cgu"] is True


# Step 2


def test_step2_shows_fields_captcha_text_and_alternatives(client):
    accept_cgu(client)
    html = client.get(IDENTITY_URL).content.decode()
    for label in (
        "N° de sécurité sociale",
        "Civilité",
        "Madame",
        "Monsieur",
        "Prénom",
        "Nom de naissance",
        "Téléphone fixe",
        "Téléphone portable",
        "Courriel",
        "Confirmation courriel",
        "J&#x27;ai signé un contrat d&#x27;apprentissage",
        "Contrôle de sécurité",
        "Cette étape nous permet d&#x27;empêcher les inscriptions automatisées",
        "sans distinction de la casse",
        "Image contenant les 6 caractères à recopier",
        "cliquez ici pour renouveler les caractères",
    ):
        assert label in html, label
    assert 'name="refresh"' in html
    key, answer = captcha_from(html)
    assert len(answer) == 6
    assert reverse("accounts:captcha_audio", args=[key]) in html
    assert ">Retour<" in html and ">Annuler<" in html


def test_step2_valid_saves_cleaned_data_only(client, nir_factory):
    nir = nir_factory(sex="F")
    spaced = f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:7]} {nir[7:10]} {nir[10:13]} {nir[13:]}"
    accept_cgu(client)
    response = client.post(
        IDENTITY_URL, identity_data(client, spaced, landline="+33 1 23 45 67 89")
    )
    assert response.status_code == 302 and response.url == PASSWORD_URL
    identity = client.session[SESSION_KEY]["identity"]
    assert identity["nir"] == nir
    assert identity["email"] == "camille.martin@exemple.test"
    assert identity["landline"] == "0123456789"
    assert identity["mobile"] == "0612345678"
    assert "captcha" not in str(client.session[SESSION_KEY])
    assert "email_confirmation" not in identity


def test_email_domain_lowercased_local_part_kept(client, nir_factory):
    accept_cgu(client)
    client.post(
        IDENTITY_URL,
        identity_data(
            client,
            nir_factory(),
            email="Camille.M@EXEMPLE.Test",
            email_confirmation="camille.m@exemple.test",
        ),
    )
    assert client.session[SESSION_KEY]["identity"]["email"] == "Camille.M@exemple.test"


def _post_step2(client, nir_value, **overrides):
    accept_cgu(client)
    response = client.post(IDENTITY_URL, identity_data(client, nir_value, **overrides))
    assert response.status_code == 200
    assert "identity" not in client.session.get(SESSION_KEY, {})
    return response.content.decode()


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"nir": ""}, "nir", "obligatoire"),
        ({"birth_name": ""}, "birth_name", "obligatoire"),
        ({"civility": None}, "civility", "obligatoire"),
        ({"email": "pas-une-adresse"}, "email", "adresse"),
        ({"email_confirmation": "autre@exemple.test"}, "email_confirmation", "pas identiques"),
        ({"captcha_1": "ZZZZZZ"}, "captcha", "ne correspondent pas"),
        ({"captcha_1": ""}, "captcha", "recopier"),
        ({"mobile": "01 23 45 67 89"}, "mobile", ""),
        ({"landline": "06 12 34 56 78"}, "landline", ""),
        ({"landline": "12"}, "landline", ""),
    ],
)
def test_step2_rules(client, nir_factory, overrides, field, message):
    html = _post_step2(client, nir_factory(), **overrides)
    error = re.search(rf'id="id_{field}(?:_1)?_error">(.*?)</p>', html, re.S)
    assert error, f"pas d'erreur sur {field}"
    assert message in error.group(1)
    assert 'class="error-summary"' in html


def test_step2_bad_key_refused(client, nir_factory):
    nir = nir_factory()
    wrong = nir[:13] + f"{(int(nir[13:]) % 97) + 1:02d}"
    html = _post_step2(client, wrong)
    assert 'id="id_nir_error"' in html


def test_step2_temporary_number_refused_with_explanation(client, nir_factory):
    body = "7850578006000"  # a temporary number (NIA) with a correct key
    html = _post_step2(client, f"{body}{97 - int(body) % 97:02d}", civility="M")
    error = re.search(r'id="id_nir_error">(.*?)</p>', html, re.S).group(1)
    assert "provisoires" in error.lower()


def test_step2_civility_must_match_nir(client, nir_factory):
    html = _post_step2(client, nir_factory(sex="F"), civility="M")
    assert 'id="id_civility_error"' in html


def test_step2_under_16_refused_unless_apprentice_15(client, nir_factory):
    nir_15 = nir_factory(min_age=15, max_age=15)
    html = _post_step2(client, nir_15)
    assert 'id="id_nir_error"' in html
    client.post(CANCEL_URL)
    reach_password_step(client, nir_15, apprentice="on")
    assert client.session[SESSION_KEY]["identity"]["apprentice"] is True


def test_step2_14_year_old_apprentice_refused(client, nir_factory):
    html = _post_step2(client, nir_factory(min_age=14, max_age=14), apprentice="on")
    assert 'id="id_nir_error"' in html


def test_step2_refresh_keeps_typed_data_without_errors(client, nir_factory):
    nir = nir_factory()
    accept_cgu(client)
    data = identity_data(client, nir, captcha_1="", first_name="Dominique", refresh="1")
    old_key = data["captcha_0"]
    response = client.post(IDENTITY_URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{nir}"' in html and 'value="Dominique"' in html
    assert "field-error" not in html and "error-summary" not in html
    new_key, _answer = captcha_from(html)
    assert new_key != old_key


def test_step2_back_keeps_typed_data(client, nir_factory):
    nir = nir_factory()
    accept_cgu(client)
    data = identity_data(client, nir, first_name="Dominique", back="1")
    response = client.post(IDENTITY_URL, data)
    assert response.status_code == 302 and response.url == CGU_URL
    html = client.get(CGU_URL).content.decode()
    assert "checked" in html  # the CGU stay accepted
    html = client.get(IDENTITY_URL).content.decode()
    assert f'value="{nir}"' in html and 'value="Dominique"' in html
    assert f'value="{data["captcha_1"]}"' not in html  # never the captcha answer


# Step 3


def test_step3_shows_rule_box_and_checklist(client, nir_factory):
    reach_password_step(client, nir_factory())
    html = client.get(PASSWORD_URL).content.decode()
    assert "Pour être valide, votre mot de passe doit impérativement comporter" in html
    assert "Mot de passe" in html and "Confirmation Mot de passe" in html
    assert "data-password-checklist" in html and 'aria-live="polite"' in html
    assert "Valider mon inscription" in html and "Retour" in html


@pytest.mark.parametrize(
    "password, expected",
    [
        ("abcde12", "3 chiffres"),  # too few digits
        ("abcd1234!", "5 lettres"),  # too few letters
        ("abcdefg123", "catégories"),  # two categories only
    ],
)
def test_step3_each_failed_rule_is_named(client, nir_factory, password, expected):
    reach_password_step(client, nir_factory())
    response = client.post(PASSWORD_URL, {"password1": password, "password2": password})
    html = response.content.decode()
    assert response.status_code == 200
    assert expected in html
    assert not PendingSignup.objects.exists()


def test_step3_password_similar_to_identity_refused(client, nir_factory):
    reach_password_step(client, nir_factory(), birth_name="Bartholomew")
    password = "Bartholomew123!"
    html = client.post(PASSWORD_URL, {"password1": password, "password2": password})
    assert "trop semblable" in html.content.decode()
    assert not PendingSignup.objects.exists()


def test_step3_mismatch_refused(client, nir_factory):
    reach_password_step(client, nir_factory())
    response = client.post(PASSWORD_URL, {"password1": GOOD_PASSWORD, "password2": "x"})
    assert "pas identiques" in response.content.decode()


def test_step3_long_password_kept_whole(client, nir_factory):
    from django.contrib.auth.hashers import check_password

    password = "  Aa1!" * 12 + "Bb2345"  # 78 characters, leading spaces kept
    complete_signup(client, nir_factory(), password=password)
    pending = PendingSignup.objects.get()
    assert check_password(password, pending.password_hash)
    assert not check_password(password.strip(), pending.password_hash)


def test_step3_back_goes_to_step2_with_data(client, nir_factory):
    nir = nir_factory()
    reach_password_step(client, nir)
    response = client.post(PASSWORD_URL, {"back": "1", "password1": "secret"})
    assert response.url == IDENTITY_URL
    html = client.get(IDENTITY_URL).content.decode()
    assert f'value="{nir}"' in html
    assert "secret" not in html


def test_step3_valid_registers_and_shows_step4_once(client, nir_factory, mailoutbox):
    nir = nir_factory()
    complete_signup(client, nir)
    assert SESSION_KEY not in client.session
    pending = PendingSignup.objects.get(nir=nir)
    assert len(mailoutbox) == 1
    response = client.get(DONE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Votre inscription a bien été enregistrée",
        "Vous allez recevoir un courriel contenant un lien de confirmation.",
        "Vous devez cliquer sur ce lien pour valider votre inscription",
        "Attention : le lien restera actif durant 15 jours.",
        "Terminer",
    ):
        assert text in html
    assert re.search(r'<li aria-current="step">.*?Valider son inscription', html, re.S)
    assert reverse("accounts:login") in html
    assert nir not in html and pending.email not in html
    # One shot: reloading does not show it again.
    assert client.get(DONE_URL).status_code == 302


# Wizard guards and cancel


@pytest.mark.parametrize("url", [IDENTITY_URL, PASSWORD_URL, DONE_URL])
def test_steps_cannot_be_skipped(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == CGU_URL


def test_step3_needs_step2(client):
    accept_cgu(client)
    response = client.get(PASSWORD_URL, follow=True)
    assert response.redirect_chain[-1][0] == IDENTITY_URL
    assert "compléter d&#x27;abord" in response.content.decode()
    assert client.post(PASSWORD_URL, {"password1": GOOD_PASSWORD}).url == IDENTITY_URL


def test_cancel_clears_session_and_goes_home(client, nir_factory):
    reach_password_step(client, nir_factory())
    response = client.post(CANCEL_URL)
    assert response.status_code == 302
    assert response.url == reverse("pages:home")
    assert SESSION_KEY not in client.session and DONE_KEY not in client.session
    assert client.get(PASSWORD_URL).url == CGU_URL


def test_cancel_is_post_only(client):
    assert client.get(CANCEL_URL).status_code == 405


# Tutorial


@pytest.mark.parametrize("step", [1, 2, 3])
def test_tutorial_pages(client, step):
    response = client.get(reverse("accounts:signup_tutorial", args=[step]))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1 and f"étape {step}" in html
    assert 'class="tutorial-walk"' in html


@pytest.mark.parametrize("step", [0, 4, 99])
def test_tutorial_unknown_step_404(client, step):
    assert client.get(reverse("accounts:signup_tutorial", args=[step])).status_code == 404


def test_dialog_in_step_pages(client):
    html = client.get(CGU_URL).content.decode()
    assert '<dialog id="tutorial-dialog"' in html
    assert 'aria-labelledby="tutorial-dialog-title"' in html
    assert "js/signup.js" in html and "defer" in html


def test_step2_saved_under_old_field_names_must_be_typed_again(client, nir_factory):
    """A signup in progress when the fields were renamed (civilite, prenom...) must not reach
    step 3 with a nameless identity: step 2 is asked again."""
    reach_password_step(client, nir_factory())
    session = client.session
    wizard = session[SESSION_KEY]
    old_names = {"civility": "civilite", "first_name": "prenom", "birth_name": "nom_naissance"}
    wizard["identity"] = {old_names.get(k, k): v for k, v in wizard["identity"].items()}
    session[SESSION_KEY] = wizard
    session.save()
    response = client.post(PASSWORD_URL, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302 and response.url == IDENTITY_URL
    assert not PendingSignup.objects.exists()
