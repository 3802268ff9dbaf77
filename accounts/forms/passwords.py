"""The new-password pair shared by signup (step 3), password reset and password change.

Validation only: the portal's rule (accounts.password_rules, through AUTH_PASSWORD_VALIDATORS),
Django's common-password and similarity validators against `password_user()`, and the two
entries matching. Up to 128 characters, never stripped nor truncated (no maxlength in the page).
"""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from accounts import password_checklist, password_rules

# The 2015 portal's rule box, shown above every new-password form.
PASSWORD_RULES = _(
    "Pour être valide, votre mot de passe doit impérativement comporter au minimum 5 lettres "
    "et 3 chiffres. Il doit être composé d'au moins 3 catégories de caractères parmi les "
    "suivants : majuscules, minuscules, caractères spéciaux, chiffres."
)


def password_field(label, *, described_by: str | None = None) -> forms.CharField:
    attrs = {"autocomplete": "new-password"}
    if described_by:
        attrs["aria-describedby"] = described_by
    field = forms.CharField(
        label=label,
        strip=False,
        max_length=password_rules.MAX_LENGTH,
        widget=forms.PasswordInput(attrs=attrs),
        error_messages={
            "max_length": _(
                "Votre mot de passe ne doit pas dépasser %(limit_value)d caractères "
                "(il en compte %(show_value)d)."
            )
        },
    )
    # No maxlength in the page: a browser would cut a longer paste without a word, and the
    # person could then not log in with the same paste. The rule's own message says it.
    field.widget.attrs.pop("maxlength", None)
    return field


class NewPasswordForm(forms.Form):
    """`user` is the (possibly unsaved) account the similarity validator compares the password
    to. Subclasses set the labels, as on each screen of the 2015 portal."""

    password1 = password_field(_("Nouveau mot de passe"), described_by="password-rules")
    password2 = password_field(_("Confirmation du nouveau mot de passe"))
    mismatch_message = _("Les deux mots de passe saisis ne sont pas identiques.")

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def checklist(self):
        """The password box's rules, each with its state for the submitted password (kept
        after a refusal, the password itself never shown again); no state before a submit."""
        submitted = self.data.get(self.add_prefix("password1")) if self.is_bound else None
        return password_checklist.checklist(self.user, submitted or None)

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        validate_password(password, self.user)
        return password

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", self.mismatch_message)
        return cleaned
