"""NirField (the column) and NirFormField (the form's field): the normal form goes in once, at
the edge, and the NIR's way from the login form to the database reads in one direction."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.admin import TitulaireCreationForm
from accounts.backends import NirBackend
from accounts.forms.admin_login import OperatorAuthenticationForm
from accounts.forms.login import LoginForm
from accounts.forms.reset import ResetRequestForm
from accounts.forms.signup import IdentityForm
from accounts.services import gate
from hours.forms import MovementForm
from hours.models import HoursAccount
from nir import digest
from nir import rules as nir_rules
from nir.fields import NirField, NirFormField

# Fictitious (order number 000): Corsica, typed as people type it.
CORSICAN = "285052A00000055"
TYPED = " 2 85 05 2a 000.000-55 "


def test_the_example_is_a_valid_corsican_nir():
    assert nir_rules.validate_nir(CORSICAN).department == "2A"


def test_every_model_holding_a_nir_uses_nir_field():
    holders = [
        (model, model._meta.get_field("nir"))
        for model in apps.get_models()
        if any(field.name == "nir" for field in model._meta.get_fields())
    ]
    assert len(holders) >= 8  # titulaires, signups, dossiers, the ledgers, the import
    for model, field in holders:
        assert type(field) is NirField, model._meta.label
        assert field.max_length == nir_rules.NIR_LENGTH


def test_nir_field_deconstructs_without_its_fixed_length():
    name, path, args, kwargs = HoursAccount._meta.get_field("nir").deconstruct()
    assert path == "nir.fields.NirField"
    assert "max_length" not in kwargs and kwargs["unique"] is True


@pytest.mark.django_db
def test_nir_field_round_trip_stores_the_normal_form():
    account = HoursAccount.objects.create(nir=TYPED)
    assert account.nir == CORSICAN  # the instance holds what the database holds
    assert HoursAccount.objects.values_list("nir", flat=True).get(pk=account.pk) == CORSICAN
    # A lookup goes through the same edge.
    assert HoursAccount.objects.get(nir=TYPED).pk == account.pk
    assert HoursAccount.objects.filter(nir__in=[TYPED]).count() == 1


@pytest.mark.django_db
def test_nir_field_refuses_an_invalid_nir():
    with pytest.raises(ValidationError) as raised:
        HoursAccount(nir=CORSICAN[:-1] + "3").full_clean()
    assert raised.value.error_dict["nir"][0].code == "wrong_key"
    with pytest.raises(ValidationError) as raised:
        HoursAccount(nir="1" * 16).full_clean()
    codes = {error.code for error in raised.value.error_dict["nir"]}
    assert "wrong_length" in codes and "max_length" in codes
    HoursAccount(nir=TYPED).full_clean()  # cleaned first, then judged


def test_nir_form_field_cleans_once_and_checks():
    field = NirFormField()
    assert field.clean(TYPED) == CORSICAN
    with pytest.raises(ValidationError) as raised:
        field.clean(CORSICAN[:-1] + "3")
    assert raised.value.messages == [nir_rules.MESSAGES["wrong_key"]]
    assert raised.value.code == "wrong_key"
    with pytest.raises(ValidationError) as raised:
        field.clean("   ")
    assert raised.value.code == "required"


def test_nir_form_field_without_check_normalises_any_identifier():
    field = NirFormField(check=False)
    assert field.clean("abc-12 3") == "ABC123"  # not a NIR: the gate will say so
    assert field.clean(TYPED) == CORSICAN
    # The length is judged on what was typed, as the plain field it replaces did.
    with pytest.raises(ValidationError) as raised:
        field.clean("1 " * 20 + "1")
    assert raised.value.code == "max_length"
    with pytest.raises(ValidationError):
        field.clean("1850\x00")


@pytest.mark.parametrize(
    ("form", "name"),
    [
        (LoginForm, "username"),
        (ResetRequestForm, "username"),
        (IdentityForm, "nir"),
        (TitulaireCreationForm, "nir"),
        (MovementForm, "nir"),
        (OperatorAuthenticationForm, "username"),
    ],
)
def test_every_form_taking_a_nir_uses_nir_form_field(db, form, name):
    field = form().fields[name]
    assert isinstance(field, NirFormField)
    assert field.clean(TYPED) == CORSICAN


@pytest.mark.django_db
def test_the_login_hands_the_normal_nir_down_in_one_direction(client, monkeypatch, make_titulaire):
    """From the form to the gate, the backend and the digest: the same normal string."""
    titulaire = make_titulaire()
    seen = {"gate": [], "backend": [], "digest": []}
    real_gate = gate.authenticate_with_limits
    real_keyed = digest.keyed_digest

    def spy_gate(request, identifier, password, verify):
        seen["gate"].append(identifier)
        return real_gate(request, identifier, password, verify)

    def spy_backend(self, request, username=None, password=None, **kwargs):
        seen["backend"].append(username)
        return super(NirBackend, self).authenticate(request, username, password, **kwargs)

    def spy_keyed(message):
        seen["digest"].append(message)
        return real_keyed(message)

    monkeypatch.setattr(gate, "authenticate_with_limits", spy_gate)
    monkeypatch.setattr(NirBackend, "authenticate", spy_backend, raising=False)
    monkeypatch.setattr(digest, "keyed_digest", spy_keyed)
    typed = " " + nir_rules.format_nir(titulaire.nir).replace(" ", " . ") + " "
    client.post(reverse("accounts:login"), {"username": typed, "password": "Faux2015!x"})
    assert seen["gate"] == [titulaire.nir]
    assert seen["backend"] == [titulaire.nir]
    assert seen["digest"] and set(seen["digest"]) == {titulaire.nir}
