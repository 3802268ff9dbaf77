"""The two optional phone fields and their cleaning (signup step 2 and personal information)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts import phones


def _phone_field(label, help_text):
    # type="tel" brings the phone keypad on mobiles; "tel" autocompletion accepts +33 numbers.
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
    )


def landline_field():
    return _phone_field(
        _("Téléphone fixe"),
        _("Facultatif. 01 à 05 ou 09, par exemple 01 23 45 67 89 ou +33 1 23 45 67 89."),
    )


def mobile_field():
    return _phone_field(
        _("Téléphone portable"),
        _("Facultatif. 06 ou 07, par exemple 06 12 34 56 78 ou +33 6 12 34 56 78."),
    )


class PhoneCleaningMixin:
    """For forms with `landline` and `mobile`: each is optional, normalised
    to ten digits (+33 accepted) and checked to be a landline or a mobile number."""

    def _clean_phone(self, name, checker):
        raw = self.cleaned_data.get(name, "")
        if not raw.strip():
            return ""
        try:
            return checker(raw)
        except phones.PhoneError as error:
            raise ValidationError(str(error.message), code=error.code) from None

    def clean_landline(self):
        return self._clean_phone("landline", phones.check_landline)

    def clean_mobile(self):
        return self._clean_phone("mobile", phones.check_mobile)
