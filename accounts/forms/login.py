"""Espace Titulaire: the login form (validation only; authentication is in services.login)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from nir.fields import NirFormField

BAD_CREDENTIALS = _("Identifiant ou mot de passe incorrect.")


class LoginForm(forms.Form):
    # The field is named "username" because django-axes reads it (AXES_USERNAME_FORM_FIELD).
    # NirFormField(check=False): any identifier is taken, normalised; the gate answers.
    username = NirFormField(
        check=False,
        label=_("Identifiant"),
        help_text=_("Votre numéro de sécurité sociale (13 chiffres et la clé)"),
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def add_bad_credentials(self):
        self.add_error(None, BAD_CREDENTIALS)
