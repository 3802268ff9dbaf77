"""Mot de passe oublié: the request form and the new-password form (validation only)."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

PASSWORD_RULES = _(
    "Pour être valide, votre mot de passe doit impérativement comporter au minimum 5 lettres "
    "et 3 chiffres. Il doit être composé d'au moins 3 catégories de caractères parmi les "
    "suivants : majuscules, minuscules, caractères spéciaux, chiffres."
)


class ResetRequestForm(forms.Form):
    identifiant = forms.CharField(
        label=_("Identifiant"),
        help_text=_("Votre numéro de sécurité sociale (13 chiffres et la clé)"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    courriel = forms.EmailField(
        label=_("Courriel"),
        help_text=_("L'adresse de courriel enregistrée dans votre compte"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SetPasswordForm(forms.Form):
    password1 = forms.CharField(
        label=_("Nouveau mot de passe"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Confirmation"),
        strip=False,
        max_length=128,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        validate_password(password, self.user)
        return password

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("Les deux mots de passe ne sont pas identiques."))
        return cleaned
