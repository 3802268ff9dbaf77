"""Authentication by NIR + password."""

from django.contrib.auth.backends import ModelBackend

from nir.digest import nir_digest


def axes_username(request, credentials) -> str:
    """django-axes keys lockouts by this value: a keyed hash, so its tables hold no NIR. The
    identifier is the login form's, already normal (nir.fields.NirFormField)."""
    username = (credentials or {}).get("username") or ""
    return nir_digest(username)[:32]


class NirBackend(ModelBackend):
    """Django's ModelBackend, given the normal NIR by the login form (the NirField's lookup
    would normalise anything else). For an unknown NIR Django's ModelBackend still runs one
    password hash, so timing does not reveal which NIRs exist."""
