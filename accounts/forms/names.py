"""The name fields (prénom, nom de naissance) of every form: signup step 2 and the admin."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import names
from accounts.validators import validate_person_name

NAME_HELP = _("Lettres, espaces, traits d'union et apostrophes ; 50 caractères au maximum.")


class NameField(forms.CharField):
    """Whitespace normalised (accounts.names.normalize_name) before the rule is checked, so
    « Jean  Pierre » is stored « Jean Pierre »."""

    default_validators = [validate_person_name]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", None)  # the rule says how long, in one message
        super().__init__(**kwargs)

    def to_python(self, value):
        return names.normalize_name(super().to_python(value))
