"""The email address typed twice (signup step 2, the change of address): one check for both."""

from django.utils.translation import gettext_lazy as _

MISMATCH = _("Les deux adresses de courriel saisies ne sont pas identiques.")


def check_email_confirmation(form, cleaned: dict) -> None:
    """An error on `email_confirmation` when it differs from `email`, case aside (both cleaned,
    so each field's own errors come first)."""
    email, confirmation = cleaned.get("email"), cleaned.get("email_confirmation")
    if email and confirmation and email.lower() != confirmation.strip().lower():
        form.add_error("email_confirmation", MISMATCH)
