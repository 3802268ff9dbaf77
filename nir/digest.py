"""The NIR's keyed hash: counts, locks and audits a NIR without storing it.

The key is settings.NIR_HASH_KEY (environment: PORTAL_NIR_HASH_KEY), its own secret, never
derived from SECRET_KEY. Rotating it changes every digest: how to do it, docs/SECURITY.md,
« Rotation des clés »."""

import hashlib
import hmac

from django.conf import settings


def nir_digest(nir: str) -> str:
    """HMAC-SHA256 (hex) of a normal NIR (as NirField stores it and NirFormField cleans it):
    nothing here normalises, so one NIR has one digest only if every caller passes the normal
    form."""
    return keyed_digest(nir or "")


def keyed_digest(message: str) -> str:
    """The same key over any text naming a NIR (e.g. a NIR and an email address together)."""
    return hmac.new(settings.NIR_HASH_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()
