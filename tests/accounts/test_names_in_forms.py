"""Issue 12, L2: one name rule (accounts.names) in signup, personal information and the admin,
through their real pages; and the portal's emails quote no name typed by a stranger."""

import re

import pytest
from django.urls import reverse

from accounts.models import Titulaire
from accounts.services.signup import SESSION_KEY
from tests.fixtures.signup import (
    IDENTITY_URL,
    PASSWORD_URL,
    accept_cgu,
    complete_signup,
    identity_data,
)

pytestmark = pytest.mark.django_db

PHISHING = "URGENT: votre CPF expire, validez vos heures sur https://cpf-heures.example"
REFUSED = ["URGENT: votre CPF expire", "https://exemple.test", "camille@exemple.test", "Martin2"]
RULE = "Saisissez uniquement des lettres, des espaces, des traits d&#x27;union (-) et des"


def field_error(html: str, field: str) -> str:
    match = re.search(rf'<p class="field-error" id="id_{field}_error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize("field", ["first_name", "birth_name"])
@pytest.mark.parametrize("value", [PHISHING, *REFUSED, "a" * 51])
def test_signup_refuses_what_is_not_a_name(client, nir_factory, field, value):
    accept_cgu(client)
    response = client.post(IDENTITY_URL, identity_data(client, nir_factory(), **{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    error = field_error(html, field)
    assert ("caractères au maximum" in error) if len(value) > 50 else (RULE in error)
    assert re.search(rf'aria-describedby="[^"]*id_{field}_error', html)  # tied to its field
    assert not (client.session.get(SESSION_KEY) or {}).get("identity")


def test_signup_keeps_names_of_any_language_with_spaces_normalised(client, nir_factory, mailoutbox):
    nir = nir_factory(sex="F")
    complete_signup(client, nir, first_name="  Zoë   Nguyễn\u00a0", birth_name="N’Diaye--O'Connor")
    from accounts.models import PendingSignup

    pending = PendingSignup.objects.get(nir=nir)
    assert (pending.first_name, pending.birth_name) == ("Zoë Nguyễn", "N’Diaye--O'Connor")


def test_the_confirmation_email_quotes_no_name(client, nir_factory, mailoutbox):
    """Step 2's name and address are both typed by whoever signs up: a name in the email would
    let anyone send the portal's email, with their text, to any address."""
    complete_signup(client, nir_factory(), first_name="Urgent", birth_name="Cliquez Ici")
    [mail] = mailoutbox
    for text in (mail.subject, mail.body, mail.alternatives[0][0]):
        assert "Urgent" not in text and "Cliquez" not in text


def test_personal_information_offers_no_name_to_change(client, make_titulaire):
    """The page shows the names; they change only through the team (the admin, below)."""
    titulaire = make_titulaire(first_name="Camille", birth_name="Martin")
    client.force_login(titulaire)
    html = client.get(reverse("accounts:informations")).content.decode()
    assert "Camille" in html and "Martin" in html
    assert 'name="first_name"' not in html and 'name="birth_name"' not in html
    client.post(
        reverse("accounts:phones"),
        {"landline": "", "mobile": "", "first_name": PHISHING},
    )
    titulaire.refresh_from_db()
    assert titulaire.first_name == "Camille"


def add_titulaire(client, nir, **overrides):
    data = {
        "nir": nir,
        "civility": "MME",
        "first_name": "Zoé",
        "birth_name": "Leroy",
        "email": "zoe@exemple.test",
        "password1": "Zoe2015!abc",
        "password2": "Zoe2015!abc",
        "usable_password": "true",
    }
    data.update(overrides)
    return client.post(reverse("admin:accounts_titulaire_add"), data)


@pytest.mark.parametrize("field", ["first_name", "birth_name"])
def test_admin_add_form_applies_the_rule(client, superuser, nir_factory, field):
    client.force_login(superuser)
    nir = nir_factory(sex="F")
    response = add_titulaire(client, nir, **{field: PHISHING})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Titulaire.objects.filter(nir=nir).exists()
    assert add_titulaire(client, nir, **{field: "  Ольга  Łukasz "}).status_code == 302
    assert getattr(Titulaire.objects.get(nir=nir), field) == "Ольга Łukasz"


def shown_change_form(client, url) -> dict:
    """What the admin's change form sends when submitted as shown."""
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if field.disabled or value is None or value is False:
            continue
        if isinstance(value, (list, tuple)):
            data[name] = [str(item) for item in value]
        else:
            data[name] = "on" if value is True else str(value)
    return data


@pytest.mark.parametrize("field", ["first_name", "birth_name"])
def test_admin_change_form_applies_the_rule(client, superuser, make_titulaire, field):
    other = make_titulaire()
    client.force_login(superuser)
    url = reverse("admin:accounts_titulaire_change", args=[other.pk])
    data = shown_change_form(client, url)
    response = client.post(url, {**data, field: "Camille: https://exemple.test"})
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    other.refresh_from_db()
    assert getattr(other, field) in {"Camille", "Martin"}
    response = client.post(url, {**data, field: "Marie-Hélène  d’Arc"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert getattr(other, field) == "Marie-Hélène d’Arc"


def test_the_model_refuses_it_too(make_titulaire):
    from django.core.exceptions import ValidationError

    titulaire = make_titulaire()
    titulaire.first_name = PHISHING
    with pytest.raises(ValidationError) as caught:
        titulaire.full_clean()
    assert "first_name" in caught.value.message_dict


def test_step2_help_text_states_the_rule(client):
    accept_cgu(client)
    html = client.get(IDENTITY_URL).content.decode()
    assert "Lettres, espaces, traits d&#x27;union et apostrophes" in html
    assert client.get(PASSWORD_URL).status_code == 302  # step 2 not done yet
