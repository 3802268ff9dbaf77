"""Mot de passe oublié: the request form and the new-password form (validation only)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.forms.passwords import PASSWORD_RULES, NewPasswordForm, password_field
from nir.fields import NirFormField

__all__ = ["PASSWORD_RULES", "ResetRequestForm", "SetPasswordForm"]


class ResetRequestForm(forms.Form):
    username = NirFormField(
        check=False,
        label=_("Identifiant"),
        help_text=_("Votre numéro de sécurité sociale (13 chiffres et la clé)"),
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    email = forms.EmailField(
        label=_("Courriel"),
        help_text=_("L'adresse de courriel enregistrée dans votre compte"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SetPasswordForm(NewPasswordForm):
    password1 = password_field(_("Nouveau mot de passe"), described_by="password-rules")
    password2 = password_field(_("Confirmation"))
    mismatch_message = _("Les deux mots de passe ne sont pas identiques.")
