"""Mot de passe oublié: request a link, check it, set the new password.

The link carries f"{uidb64}-{token}" from Django's PasswordResetTokenGenerator: it lasts
settings.PASSWORD_RESET_TIMEOUT and is single-use, since the token depends on the password hash
and last_login. The same answer is given whether or not an account matches, with comparable work.
"""

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts.models import Titulaire
from accounts.services.login import (
    dummy_password_check,
    unlock,
    valid_or_blank,
)
from audit.models import Event
from audit.services import record
from cpf_portal import ratelimit
from cpf_portal.emails import send_templated_email
from nir.digest import keyed_digest, nir_digest

SESSION_TOKEN = "portal_reset_token"
IP_LIMIT = ratelimit.Limit("reset_ip", max_hits=20, window_seconds=60 * 60)
# Keyed so that a stranger who knows a NIR cannot use up its owner's allowance: every request
# counts per (NIR, email) pair, so requests with another address count apart from the
# owner's; the emails actually sent count per NIR, so the owner's mailbox gets at most 3 an
# hour however the address is spelt and from however many addresses.
PAIR_LIMIT = ratelimit.Limit("reset_pair", max_hits=3, window_seconds=60 * 60)
NIR_LIMIT = ratelimit.Limit("reset_nir_sent", max_hits=3, window_seconds=60 * 60)


def make_link_token(user) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{uidb64}-{default_token_generator.make_token(user)}"


def user_for_link_token(link_token: str):
    """The active titulaire whose valid, unused, unexpired link this is; else None."""
    parts = (link_token or "").rsplit("-", 2)  # uidb64 may itself hold a "-"
    if len(parts) != 3 or len(link_token) > 200:
        return None
    uidb64, token = parts[0], f"{parts[1]}-{parts[2]}"
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError):
        return None
    user = Titulaire.objects.filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        return None
    return user


def request_reset(request, username: str, email: str) -> bool:
    """Send the link if the pair matches an active titulaire. Returns whether an email was
    sent; callers must NOT show this to the person (same answer either way)."""
    nir = valid_or_blank(username)
    email = (email or "").strip()
    over_ip = ratelimit.hit_and_check(IP_LIMIT, ratelimit.client_ip(request))
    over_pair = bool(nir) and ratelimit.hit_and_check(PAIR_LIMIT, _pair_key(nir, email))
    user = None
    if nir and not (over_ip or over_pair):
        user = Titulaire.objects.filter(nir=nir, email__iexact=email, is_active=True).first()
    # Only a matching request counts against the owner's mailbox.
    over_nir = user is not None and ratelimit.hit_and_check(NIR_LIMIT, _nir_key(nir))
    if over_nir:
        user = None
    limited = over_ip or over_pair or over_nir
    record(
        Event.PASSWORD_RESET_REQUEST,
        request=request,
        nir=nir,
        detail="lien envoyé" if user else ("limite atteinte" if limited else ""),
    )
    # One password hash in every case: it dominates the time of both answers, so timing does
    # not tell whether the pair matched.
    dummy_password_check(username)
    if user is None:
        return False
    url = reverse("accounts:reset_land", args=[make_link_token(user)])
    with transaction.atomic():
        send_templated_email(
            "password_reset",
            user.email,
            {"user": user, "path": url, "hours": 1},
            request=request,
        )
    return True


def _nir_key(nir: str) -> str:
    return nir_digest(nir)[:32]


def _pair_key(nir: str, email: str) -> str:
    """Keyed hash of the NIR and the address as typed, case aside: no NIR, no address."""
    return keyed_digest(f"reset-pair\n{nir}\n{email.lower()}")[:32]


def set_new_password(request, link_token: str, password: str):
    """Set the password if the link is still valid (checked again under a row lock).

    Changing the hash invalidates every other session of the user (Django's session auth hash)
    and the link itself. Also lifts an axes lock on the identifier. Returns the user or None.
    """
    with transaction.atomic():
        user = user_for_link_token(link_token)
        if user is None:
            return None
        user = Titulaire.objects.select_for_update().get(pk=user.pk)
        if user_for_link_token(link_token) is None:  # used meanwhile by a concurrent request
            return None
        user.set_password(password)
        user.save(update_fields=["password"])
        record(Event.PASSWORD_RESET, request=request, actor=user, nir=user.nir)
    unlock(user.nir, audit=False)  # the reset is the way out of a lock
    request.session.pop(SESSION_TOKEN, None)
    return user
