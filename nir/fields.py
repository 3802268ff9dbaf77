"""The NIR's model field and form field: where a typed NIR becomes the normal form, once.

`NirField` is the column of every model holding a NIR: 15 characters (rules.NIR_LENGTH), the
normal form stored whatever was assigned (to_python, hence get_prep_value and lookups, and
pre_save), valid NIRs only when a model is validated. `NirFormField` is the field of every form
taking a NIR: it accepts what people type (spaces, dots, 2a) and hands the view the normal form.
Nothing below them normalises again."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from nir import rules

# What a person may type: 15 characters and the separators of a card or a letter.
INPUT_MAX_LENGTH = 40
VERBOSE_NAME = _("numéro de sécurité sociale")


def validate_nir(value: str) -> None:
    """Django validator: the NIR rules' first problem as a ValidationError (code kept)."""
    try:
        rules.validate_nir(value)
    except rules.NirError as error:
        raise ValidationError(error.message, code=error.code) from None


class NirFormField(forms.CharField):
    """A NIR as typed, cleaned to the normal form.

    check=True (signup, the admin): a valid NIR, the rules' message otherwise.
    check=False (login, password reset): any identifier, normalised but not judged: a mistyped
    NIR gets the same answer as a wrong password, and its attempts are counted under the same
    key as the NIR it was meant to be."""

    def __init__(self, *, check: bool = True, **kwargs):
        self.check = check
        kwargs.setdefault("label", _("N° de sécurité sociale"))
        kwargs["max_length"] = kwargs.get("max_length") or INPUT_MAX_LENGTH
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if self.max_length is not None:
            # The length of what was typed (as a plain CharField would judge it).
            MaxLengthValidator(self.max_length)(value)
        return rules.normalize_nir(value)

    def validate(self, value):
        super().validate(value)
        if self.check and value not in self.empty_values:
            validate_nir(value)


class NirField(models.CharField):
    """The column of a NIR, always in the normal form (15 characters, uppercase)."""

    description = _("Numéro de sécurité sociale (forme normale)")
    default_validators = [validate_nir]

    def __init__(self, verbose_name=VERBOSE_NAME, *args, **kwargs):
        kwargs["max_length"] = rules.NIR_LENGTH
        super().__init__(verbose_name, *args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["max_length"]  # fixed by the class
        return name, path, args, kwargs

    def to_python(self, value):
        value = super().to_python(value)
        return value if value is None else rules.normalize_nir(value)

    def pre_save(self, model_instance, add):
        # The instance holds what the database holds (a spaced NIR assigned in code included).
        value = self.to_python(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": NirFormField, "max_length": None, **kwargs})
