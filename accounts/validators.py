"""Django password validator wrapping the portal's pure rule (accounts.password_rules)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts import password_rules


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
