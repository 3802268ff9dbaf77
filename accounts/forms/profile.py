"""Mes informations personnelles: the forms (validation only)."""

from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.forms.emails import check_email_confirmation
from accounts.forms.passwords import NewPasswordForm
from accounts.forms.phones import PhoneCleaningMixin, landline_field, mobile_field


class PhonesForm(PhoneCleaningMixin, forms.Form):
    landline = landline_field()
    mobile = mobile_field()


# The current password is checked by the view through the authentication gate
# (accounts.services.profile.check_current_password), never here: validation only.
WRONG_CURRENT_PASSWORD = _("Le mot de passe actuel est incorrect.")


def _current_password_field():
    return forms.CharField(
        label=_("Mot de passe actuel"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("Nouveau courriel"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    email_confirmation = forms.EmailField(
        label=_("Confirmation du nouveau courriel"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    current_password = _current_password_field()

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = BaseUserManager.normalize_email(self.cleaned_data["email"].strip())
        if email.lower() == (self.user.email or "").lower():
            raise ValidationError(_("Cette adresse est déjà celle de votre compte."), code="same")
        return email

    def clean(self):
        cleaned = super().clean()
        check_email_confirmation(self, cleaned)
        return cleaned


class PasswordChangeForm(NewPasswordForm):
    current_password = _current_password_field()
    field_order = ["current_password", "password1", "password2"]

    def clean(self):
        cleaned = super().clean()
        first, current = cleaned.get("password1"), cleaned.get("current_password")
        if first and current and first == current:
            self.add_error(
                "password1", _("Le nouveau mot de passe doit être différent de l'actuel.")
            )
        return cleaned
