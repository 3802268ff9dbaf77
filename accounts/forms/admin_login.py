"""The operators' login (Django admin): the same NIR identifier as the titulaires' login,
accepted with spaces, so the field must allow more than the 15 stored characters.

Validation only: the password is checked by the authentication gate
(cpf_portal.admin_site.OperatorLoginView -> accounts.services.login.attempt_operator_login)."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _


class OperatorAuthenticationForm(AdminAuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Identifiant (n° de sécurité sociale)")
        self.fields["username"].max_length = 40
        self.fields["username"].widget.attrs.update({"maxlength": "40", "spellcheck": "false"})
        # The model field's MaxLengthValidator(15) would refuse a spaced NIR; the null
        # character check stays (PostgreSQL cannot compare such text).
        self.fields["username"].validators = [ProhibitNullCharactersValidator()]

    def clean(self):
        # AuthenticationForm.clean() would call authenticate(): a password check outside the
        # gate's counts, before the staff check. The fields' own validation is all we keep.
        return self.cleaned_data
