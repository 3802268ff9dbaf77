"""The confirmation link (the 2015 portal's step 5, docs/RULES.md): activate a pending signup,
or say why not.

`confirm_token` is what the link does; `activate` is shared with the admin action;
`reissue_link` sends a new link (login page's button, admin action)."""

import enum

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.flows.signup import (
    LINK_VALIDITY,
    _audit,
    _send_confirmation,
    hash_token,
    new_token,
    trace_token,
)
from accounts.models import PendingSignup, SignupTokenTrace, Titulaire, TokenTraceReason


class Result(enum.StrEnum):
    ACTIVATED = "activated"
    USED = "used"  # the account was already activated with this link
    EXPIRED = "expired"  # 15 days or more: the signup is deleted, start again
    REPLACED = "replaced"  # a newer link was sent
    INVALID = "invalid"  # unknown or tampered


def activate(pending: PendingSignup, request=None, actor=None) -> Titulaire | None:
    """Create the active Titulaire from a (locked) pending signup and delete the latter.
    Returns None when an account with this NIR already exists (nothing is changed then).
    Call inside transaction.atomic() with `pending` fetched by select_for_update()."""
    titulaire = Titulaire(
        nir=pending.nir,
        civilite=pending.civilite,
        prenom=pending.prenom,
        nom_naissance=pending.nom_naissance,
        telephone_fixe=pending.telephone_fixe,
        telephone_portable=pending.telephone_portable,
        email=pending.email,
        password=pending.password_hash,
        is_active=True,
        date_joined=timezone.now(),
    )
    try:
        with transaction.atomic():
            titulaire.save()
    except IntegrityError:
        return None
    trace_token(pending.token_hash, TokenTraceReason.USED)
    pending.delete()
    detail = "par l'équipe" if actor is not None else ""
    _audit("ACTIVATION", request, titulaire.nir, obj=titulaire, detail=detail, actor=actor)
    return titulaire


def confirm_token(token: str, request=None, now=None) -> tuple[Result, Titulaire | None]:
    """What the link does. Two simultaneous clicks: the row lock (and, on SQLite, the unique
    NIR of Titulaire) make the second one see USED."""
    if not token or len(token) > 200:
        return Result.INVALID, None
    token_hash = hash_token(token)
    now = now or timezone.now()
    with transaction.atomic():
        pending = PendingSignup.objects.select_for_update().filter(token_hash=token_hash).first()
        if pending is None:
            trace = SignupTokenTrace.objects.filter(token_hash=token_hash).first()
            return (Result(trace.reason) if trace else Result.INVALID), None
        if pending.is_expired(now):
            trace_token(token_hash, TokenTraceReason.EXPIRED)
            pending.delete()
            return Result.EXPIRED, None
        titulaire = activate(pending, request)
        if titulaire is None:
            return Result.USED, None
        return Result.ACTIVATED, titulaire


def reissue_link(pending: PendingSignup, request=None) -> str | None:
    """A new link for this pending signup (the old one stops working), valid 15 days from now,
    emailed at once. Returns the new token, or None if the signup no longer exists."""
    with transaction.atomic():
        locked = PendingSignup.objects.select_for_update().filter(pk=pending.pk).first()
        if locked is None:
            return None
        trace_token(locked.token_hash, TokenTraceReason.REPLACED)
        token, token_hash = new_token()
        now = timezone.now()
        locked.token_hash = token_hash
        locked.created_at = min(locked.created_at, now)
        locked.expires_at = now + LINK_VALIDITY
        locked.last_sent_at = now
        locked.save(update_fields=["token_hash", "created_at", "expires_at", "last_sent_at"])
        _send_confirmation(locked, token, request, reissued=True)
    pending.refresh_from_db()
    return token
