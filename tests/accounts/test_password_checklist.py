"""The password box lists every rule that can refuse a password (AUTH_PASSWORD_VALIDATORS, the
similarity to the name, email and NIR included) and, after a refusal, each rule's state for the
refused password, server-rendered (no JS) and without writing the password back (issue 10, 7).
Through the real pages: signup step 3, password reset, password change."""

import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.models import Titulaire
from accounts.password_checklist import KO, OK, checklist
from tests.fixtures.accounts import PASSWORD
from tests.fixtures.signup import PASSWORD_URL, reach_password_step

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("locmem_email")]

RESET_REQUEST = reverse("accounts:reset_request")
RESET_SET = reverse("accounts:reset_set")
CHANGE = reverse("accounts:password_change")

ALL_RULES = [
    "letters",
    "digits",
    "categories",
    "max_length",
    "similar",
    "similar_hidden",
    "common",
]


def states(html: str) -> dict[str, tuple[str, str]]:
    """Each checklist item: its class (is-ok / is-ko / is-pending) and its stated state."""
    found = {}
    for match in re.finditer(
        r'<li data-rule="([^"]+)"[^>]*class="(is-\w+)">(.*?)</li>', html, flags=re.S
    ):
        code, css, body = match.groups()
        found[code] = (css, re.search(r"data-state>\(([^)]*)\)", body).group(1))
    return found


def test_signup_step3_lists_every_rule_in_french(client, nir_factory):
    reach_password_step(client, nir_factory())
    html = client.get(PASSWORD_URL).content.decode()
    assert list(states(html)) == ALL_RULES
    for label in (
        "Au moins 5 lettres",
        "Au moins 3 chiffres",
        "128 caractères au maximum",
        "Ne ressemble pas à votre prénom, votre nom de naissance ni votre adresse de courriel",
        "Ne ressemble pas à votre numéro de sécurité sociale",
        "N&#x27;est pas l&#x27;un des mots de passe les plus courants",
    ):
        assert label in html
    # Before any submit: no state claimed; the rules the page cannot check say when they are.
    assert states(html)["common"] == ("is-pending", "vérifiée à l'envoi")
    assert states(html)["similar_hidden"][1] == "vérifiée à l'envoi"
    assert states(html)["letters"] == ("is-pending", "à vérifier")
    # The page compares with the name and email the person typed, never with the NIR.
    assert "camille.martin@exemple.test" in html and "Martin" in html


def test_signup_similarity_refusal_shows_its_rule_and_keeps_the_others(client, nir_factory):
    nir = nir_factory()
    reach_password_step(client, nir, first_name="Bartholomew")
    password = "Bartholomew123!"
    html = client.post(PASSWORD_URL, {"password1": password, "password2": password})
    html = html.content.decode()
    assert "trop semblable" in html
    found = states(html)
    assert found["similar"] == ("is-ko", "règle non respectée")
    for code in ("letters", "digits", "categories", "max_length", "similar_hidden", "common"):
        assert found[code] == ("is-ok", "règle respectée"), code
    assert password not in html and nir not in html
    assert "Le mot de passe que vous avez saisi" in html


def test_signup_nir_similarity_is_checked_on_submit(client, nir_factory):
    nir = nir_factory()
    reach_password_step(client, nir)
    password = "Abcde!" + nir
    html = client.post(PASSWORD_URL, {"password1": password, "password2": password})
    found = states(html.content.decode())
    assert found["similar_hidden"] == ("is-ko", "règle non respectée")
    assert found["similar"][0] == "is-ok"


def test_signup_short_password_states_each_rule(client, nir_factory):
    reach_password_step(client, nir_factory())
    html = client.post(PASSWORD_URL, {"password1": "abc12", "password2": "abc12"})
    found = states(html.content.decode())
    assert found["letters"][0] == found["digits"][0] == found["categories"][0] == "is-ko"
    assert found["max_length"][0] == "is-ok"


def test_reset_common_password_refused_with_its_rule(client, titulaire):
    client.post(RESET_REQUEST, {"username": titulaire.nir, "email": titulaire.email})
    link = re.search(r"/mot-de-passe-oublie/lien/\S+/", mail.outbox[0].body).group(0)
    assert client.get(link).url == RESET_SET
    assert list(states(client.get(RESET_SET).content.decode())) == ALL_RULES
    response = client.post(RESET_SET, {"password1": "Password123", "password2": "Password123"})
    html = response.content.decode()
    assert states(html)["common"] == ("is-ko", "règle non respectée")
    assert states(html)["letters"] == ("is-ok", "règle respectée")
    assert "Password123" not in html


def test_change_similar_to_email_refused_with_its_rule(client, make_titulaire):
    titulaire = make_titulaire(email="bartholomew.dupont@exemple.test")
    client.force_login(titulaire)
    assert list(states(client.get(CHANGE).content.decode())) == ALL_RULES
    new = "Bartholomew.Dupont1!"
    response = client.post(
        CHANGE, {"current_password": PASSWORD, "password1": new, "password2": new}
    )
    html = response.content.decode()
    assert "trop semblable au champ «\xa0courriel\xa0»" in html
    assert states(html)["similar"] == ("is-ko", "règle non respectée")
    assert new not in html


def test_mismatch_keeps_every_rule_met(client, logged_client):
    response = logged_client.post(
        CHANGE, {"current_password": PASSWORD, "password1": "Nouveau2016!abc", "password2": "x"}
    )
    found = states(response.content.decode())
    assert {css for css, _ in found.values()} == {"is-ok"}


@override_settings(
    AUTH_PASSWORD_VALIDATORS=[
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
        {"NAME": "tests.accounts.test_password_checklist.NoZValidator"},
    ]
)
def test_every_configured_validator_has_an_item():
    user = Titulaire(first_name="Camille", birth_name="Martin", email="c@exemple.test")
    items = {item.code: item for item in checklist(user, "12345678Z")}
    assert list(items) == ["min_length", "numeric", "NoZValidator"]
    assert items["min_length"].label == "Au moins 8 caractères"
    assert items["min_length"].state == OK and items["numeric"].state == OK
    assert items["NoZValidator"].state == KO and items["NoZValidator"].label == "Pas de Z."


class NoZValidator:
    def validate(self, password, user=None):
        if "Z" in password:
            raise ValidationError("Z")

    def get_help_text(self):
        return "Pas de Z."


people = st.builds(
    Titulaire,
    nir=st.just("255081416802538"),
    first_name=st.sampled_from(["Camille", "Bartholomew", "Jean-Pierre", ""]),
    birth_name=st.sampled_from(["Martin", "Dupont", "N'Diaye"]),
    email=st.sampled_from(["camille.martin@exemple.test", "jp@x.test"]),
)
passwords = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["Password123", "Camille123!", "Martin2015!x", "Vacances2015!x", "1234567"]),
    st.tuples(st.sampled_from(["Camille", "Dupont", "jp@x", "Abcde"]), st.text(max_size=8)).map(
        "".join
    ),
)


@settings(max_examples=150, deadline=None)
@given(user=people, password=passwords)
def test_a_rule_is_not_met_exactly_when_the_validators_refuse(user, password):
    """Every refusal of validate_password shows as a rule not met, and no rule claims a refusal
    that did not happen: the list is complete and honest."""
    try:
        validate_password(password, user)
        refused = False
    except ValidationError:
        refused = True
    assert refused == any(item.state == KO for item in checklist(user, password))
