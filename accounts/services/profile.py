"""Mes informations personnelles: phones, email (confirmed by a link to the new address) and
password. Plain functions that views (and tests) call; each change is atomic and audited.

The email-change link carries a signed value (django.core.signing, salt EMAIL_SALT, 24 hours):
the user id, a random nonce and a digest of the current address. The new address itself waits
in the shared cache under the nonce, so it never travels in a URL. Once the address has
changed, the digest no longer matches, so the link works only once. No model is needed.
"""

import hashlib
import secrets

from django.contrib.auth import update_session_auth_hash
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Titulaire
from accounts.services import gate
from audit.models import Event
from audit.services import record
from cpf_portal import ratelimit
from cpf_portal.emails import send_templated_email

EMAIL_SALT = "accounts.profile.email_change"
EMAIL_MAX_AGE = 24 * 60 * 60
SESSION_EMAIL_TOKEN = "portal_email_change_token"
EMAIL_LIMIT = ratelimit.Limit("email_change", max_hits=5, window_seconds=60 * 60)
CURRENT_DOOR = "mot de passe actuel"


def _locked(user):
    return Titulaire.objects.select_for_update().get(pk=user.pk)


def _email_digest(email: str) -> str:
    return hashlib.sha256((email or "").strip().lower().encode()).hexdigest()[:32]


def mask_email(email: str) -> str:
    """c***e@exemple.test: enough for the owner to recognise, not to read."""
    local, _, domain = (email or "").partition("@")
    shown = local[:1] + "***" if len(local) <= 2 else f"{local[0]}***{local[-1]}"
    return f"{shown}@{domain}"


def check_current_password(request, user, password: str) -> str:
    """The current password asked by the email and password changes, checked through the
    authentication gate: the same counts and locks as the login (a stolen session must not
    become a way to guess the password, nor a door around the lock). Returns the gate's
    outcome (gate.OK, FAILED, LOCKED or IP_BLOCKED)."""
    result = gate.authenticate_with_limits(
        request, user.nir, password, lambda typed: user if user.check_password(typed) else None
    )
    if result.outcome == gate.LOCKED:
        record(Event.LOCKOUT, request=request, actor=user, nir=user.nir, detail=CURRENT_DOOR)
    elif result.outcome == gate.FAILED:
        record(Event.LOGIN_FAILURE, request=request, actor=user, nir=user.nir, detail=CURRENT_DOOR)
    return result.outcome


# --- Phones -------------------------------------------------------------------------------


def change_phones(request, user, landline: str, mobile: str):
    """Store the normalised numbers (already validated by the form)."""
    with transaction.atomic():
        user = _locked(user)
        if (user.landline, user.mobile) == (landline, mobile):
            return user
        user.landline, user.mobile = landline, mobile
        user.save(update_fields=["landline", "mobile"])
        record(Event.PHONE_CHANGE, request=request, actor=user, nir=user.nir)
    request.user.landline, request.user.mobile = landline, mobile
    return user


# --- Email --------------------------------------------------------------------------------


def email_change_limited(user) -> bool:
    return ratelimit.is_limited(EMAIL_LIMIT, f"t{user.pk}")


def _pending_email_key(nonce: str) -> str:
    return f"email_change:{nonce}"


def make_email_token(user, new_email: str) -> str:
    nonce = secrets.token_urlsafe(16)
    cache.set(_pending_email_key(nonce), {"u": user.pk, "e": new_email}, EMAIL_MAX_AGE)
    return signing.dumps(
        {"u": user.pk, "n": nonce, "h": _email_digest(user.email)}, salt=EMAIL_SALT
    )


def read_email_token(token: str, user) -> str | None:
    """The new address if the token is valid, unexpired, for `user` and not used yet."""
    if not token or len(token) > 600:
        return None
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=EMAIL_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("u") != user.pk:
        return None
    if data.get("h") != _email_digest(user.email):
        return None  # the address changed since: the link was used (or superseded)
    pending = cache.get(_pending_email_key(str(data.get("n"))))
    if not isinstance(pending, dict) or pending.get("u") != user.pk:
        return None
    new_email = pending.get("e")
    return new_email if isinstance(new_email, str) and new_email else None


def request_email_change(request, user, new_email: str) -> None:
    """Send the confirmation link to the new address and a notice to the current one."""
    ratelimit.hit(EMAIL_LIMIT, f"t{user.pk}")
    path = reverse("accounts:email_land", args=[make_email_token(user, new_email)])
    with transaction.atomic():
        record(
            Event.EMAIL_CHANGE_REQUEST,
            request=request,
            actor=user,
            nir=user.nir,
            detail=mask_email(new_email),
        )
        send_templated_email(
            "email_change_confirm", new_email, {"user": user, "path": path}, request=request
        )
        send_templated_email(
            "email_change_notice",
            user.email,
            {"user": user, "new_email_masked": mask_email(new_email)},
            request=request,
        )


def apply_email_change(request, user, token: str) -> str | None:
    """Change the address if the token is still good (checked again under a row lock).
    Returns the new address, or None."""
    with transaction.atomic():
        user = _locked(user)
        new_email = read_email_token(token, user)
        if new_email is None:
            return None
        old_email = user.email
        user.email = new_email
        user.save(update_fields=["email"])
        record(
            Event.EMAIL_CHANGE,
            request=request,
            actor=user,
            nir=user.nir,
            detail=f"{mask_email(old_email)} -> {mask_email(new_email)}",
        )
    request.session.pop(SESSION_EMAIL_TOKEN, None)
    if request.user.pk == user.pk:
        request.user.email = new_email
    return new_email


# --- Password -----------------------------------------------------------------------------


def change_password(request, user, new_password: str):
    """Set the new password. The session auth hash changes, so every other session of the user
    ends; the current one is kept (update_session_auth_hash). Emails a notice."""
    with transaction.atomic():
        locked = _locked(user)
        locked.set_password(new_password)
        locked.save(update_fields=["password"])
        record(Event.PASSWORD_CHANGE, request=request, actor=locked, nir=locked.nir)
        send_templated_email(
            "password_changed",
            locked.email,
            {"user": locked, "changed_at": timezone.localtime()},
            request=request,
        )
    update_session_auth_hash(request, locked)
    return locked
