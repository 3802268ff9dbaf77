"""The confirmation link (the 2015 portal's step 5, docs/RULES.md): activate a pending signup,
or say why not.

`confirm_token` is what the link does; `activate_pending` is shared with the admin action;
`reissue_link` sends a new link (login page's button, admin action).

Several pending signups may wait for one NIR. The first confirmed creates the account; the
others are closed at once, in the same transaction, and each address is told (without saying
whose the account is): its link then says so (docs/SECURITY.md § 11)."""

import enum

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import PendingSignup, SignupTokenTrace, Titulaire, TokenTraceReason
from accounts.services.signup import (
    LINK_VALIDITY,
    _audit,
    _send_confirmation,
    hash_token,
    new_token,
    serialise_on_nir,
    trace_token,
)
from cpf_portal.emails import send_templated_email


class Result(enum.StrEnum):
    ACTIVATED = "activated"
    USED = "used"  # the account was already activated with this link
    EXPIRED = "expired"  # 15 days or more: the signup is deleted, start again
    REPLACED = "replaced"  # a newer link was sent for this same signup
    CLOSED = "closed"  # another signup for this NIR was confirmed first
    INVALID = "invalid"  # unknown or tampered


def _close_others(titulaire: Titulaire, winner: PendingSignup, request=None) -> int:
    """Close every other pending signup for the account's NIR (their links say "closed") and
    tell each address once. The email names neither the account's owner nor its address; it
    points to the reset when the address is the account's, to the help contact otherwise."""

    others = list(
        PendingSignup.objects.select_for_update()
        .filter(nir=titulaire.nir)
        .exclude(pk=winner.pk)
        .order_by("pk")
    )
    told = set()
    for other in others:
        trace_token(other.token_hash, TokenTraceReason.CLOSED)
        other.delete()
        address = other.email.lower()
        if address in told:
            continue
        told.add(address)
        send_templated_email(
            "signup_closed",
            other.email,
            {
                "same_address": address == titulaire.email.lower(),
                "help_email": settings.PORTAL_HELP_EMAIL,
            },
            request,
        )
    return len(others)


def activate(pending: PendingSignup, request=None, actor=None) -> Titulaire | None:
    """Create the active Titulaire from a (locked) pending signup, delete the latter and close
    the other pending signups for its NIR. Returns None when an account with this NIR already
    exists (nothing is changed then). Call inside transaction.atomic(), after
    serialise_on_nir(pending.nir), with `pending` fetched by select_for_update()."""
    titulaire = Titulaire(
        nir=pending.nir,
        civility=pending.civility,
        first_name=pending.first_name,
        birth_name=pending.birth_name,
        landline=pending.landline,
        mobile=pending.mobile,
        email=pending.email,
        password=pending.password_hash,
        is_active=True,
        date_joined=timezone.now(),  # real clock: when the row was created
    )
    try:
        # The unique NIR of Titulaire is the last guard: whatever the locks, one account.
        with transaction.atomic():
            titulaire.save()
    except IntegrityError:
        return None
    trace_token(pending.token_hash, TokenTraceReason.USED)
    pending.delete()
    closed = _close_others(titulaire, pending, request)
    detail = "par l'équipe" if actor is not None else ""
    if closed:
        detail = f"{detail} ; {closed} autre(s) inscription(s) close(s)".lstrip(" ;")
    _audit("ACTIVATION", request, titulaire.nir, obj=titulaire, detail=detail, actor=actor)
    return titulaire


def _lock(nir: str, **lookup) -> PendingSignup | None:
    serialise_on_nir(nir)
    return PendingSignup.objects.select_for_update().filter(**lookup).first()


def activate_pending(pk: int, request=None, actor=None) -> Titulaire | None | bool:
    """The admin's "activate": the account, None if one exists already, False if the pending
    signup is gone."""
    nir = PendingSignup.objects.filter(pk=pk).values_list("nir", flat=True).first()
    if nir is None:
        return False
    with transaction.atomic():
        pending = _lock(nir, pk=pk)
        if pending is None:
            return False
        return activate(pending, request=request, actor=actor)


def _trace_result(token_hash: str) -> "Result":
    trace = SignupTokenTrace.objects.filter(token_hash=token_hash).first()
    return Result(trace.reason) if trace else Result.INVALID


def confirm_token(token: str, request=None, now=None) -> tuple[Result, Titulaire | None]:
    """What the link does. Two simultaneous clicks on one link, or on the links of two pending
    signups for one NIR: the NIR's lock queues them, the first creates the account, the second
    sees USED (same link) or CLOSED (the other one)."""
    if not token or len(token) > 200:
        return Result.INVALID, None
    token_hash = hash_token(token)
    now = now or timezone.now()  # real clock: the link's validity is a security timer
    nir = PendingSignup.objects.filter(token_hash=token_hash).values_list("nir", flat=True).first()
    if nir is None:
        return _trace_result(token_hash), None
    with transaction.atomic():
        pending = _lock(nir, token_hash=token_hash)
        if pending is None:  # closed or used while this request waited for the lock
            return _trace_result(token_hash), None
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
        locked = _lock(pending.nir, pk=pending.pk)
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
