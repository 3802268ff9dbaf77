"""Cleaning of the two optional phone fields (signup step 2 and personal information)."""

from django.core.exceptions import ValidationError

from accounts import phones


class PhoneCleaningMixin:
    """For forms with `telephone_fixe` and `telephone_portable`: each is optional, normalised
    to ten digits (+33 accepted) and checked to be a landline or a mobile number."""

    def _clean_phone(self, name, checker):
        raw = self.cleaned_data.get(name, "")
        if not raw.strip():
            return ""
        try:
            return checker(raw)
        except phones.PhoneError as error:
            raise ValidationError(str(error.message), code=error.code) from None

    def clean_telephone_fixe(self):
        return self._clean_phone("telephone_fixe", phones.check_fixe)

    def clean_telephone_portable(self):
        return self._clean_phone("telephone_portable", phones.check_portable)
