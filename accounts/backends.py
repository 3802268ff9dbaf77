"""Authentication by NIR + password."""

import hashlib
import hmac

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from accounts import nir as nir_rules


def nir_digest(nir: str) -> str:
    """Keyed hash of a normalised NIR: lets us count, lock and audit without storing it."""
    key = settings.AUDIT_HASH_KEY.encode()
    return hmac.new(key, nir_rules.normalize_nir(nir or "").encode(), hashlib.sha256).hexdigest()


def axes_username(request, credentials) -> str:
    """django-axes keys lockouts by this value: a keyed hash, so its tables hold no NIR."""
    username = (credentials or {}).get("username") or ""
    return nir_digest(username)[:32]


class NirBackend(ModelBackend):
    """ModelBackend with the NIR normalised (spaces accepted). For an unknown NIR Django's
    ModelBackend still runs one password hash, so timing does not reveal which NIRs exist."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is not None:
            username = nir_rules.normalize_nir(username)
        return super().authenticate(request, username=username, password=password, **kwargs)
