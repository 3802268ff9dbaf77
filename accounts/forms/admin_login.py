"""The operators' login (Django admin): the same NIR identifier as the titulaires' login,
accepted with spaces and cleaned to the normal form (nir.fields.NirFormField).

Validation only: the password is checked by the authentication gate
(cpf_portal.admin_site.OperatorLoginView -> accounts.services.login.attempt_operator_login)."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from nir.fields import NirFormField


class OperatorAuthenticationForm(AdminAuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        # The same field as the titulaires' login: any identifier, cleaned to the normal form
        # (a spaced NIR taken; the null character refused: PostgreSQL cannot compare such text).
        self.fields["username"] = NirFormField(
            check=False,
            label=_("Identifiant (n° de sécurité sociale)"),
            widget=forms.TextInput(
                attrs={
                    "autofocus": True,
                    "autocapitalize": "none",
                    "autocomplete": "username",
                    "spellcheck": "false",
                }
            ),
        )

    def clean(self):
        # AuthenticationForm.clean() would call authenticate(): a password check outside the
        # gate's counts, before the staff check. The fields' own validation is all we keep.
        return self.cleaned_data
