"""Django validators wrapping the portal's pure rules (accounts.password_rules, accounts.names)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import names, password_rules


class PortalPasswordValidator:
    def validate(self, password, user=None):
        errors = password_rules.password_errors(password)
        if errors:
            raise ValidationError(
                [ValidationError(_(message), code="password_rule") for message in errors]
            )

    def get_help_text(self):
        return _(
            "Votre mot de passe doit comporter au minimum 5 lettres et 3 chiffres, et au moins "
            "3 catégories de caractères parmi : majuscules, minuscules, caractères spéciaux, "
            "chiffres."
        )


def validate_person_name(value):
    """A first or last name (accounts.names): letters of any language, spaces, hyphens and
    apostrophes, 1 to 50 characters. On the model fields, so every form of them (signup, the
    admin) applies it; forms normalise the spaces first (accounts.forms.names.NameField)."""

    code = names.name_error(value)
    if code is not None:
        raise ValidationError(_(names.MESSAGES[code]), code=f"name_{code}")
