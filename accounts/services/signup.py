"""The signup journey (the 2015 portal's four steps, docs/RULES.md): the session wizard and the
registration.

The wizard keeps, under one session key, only cleaned and non-secret data: whether the CGU were
accepted and the identity of step 2. Never a password, never a captcha answer.

`register(...)` ends step 3. It never reveals whether a NIR already has an account: the journey
ends the same way, but the email goes to the existing account's address.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import PendingSignup, SignupTokenTrace, Titulaire, TokenTraceReason
from audit.models import Event
from audit.services import record
from cpf_portal import ratelimit
from cpf_portal.emails import send_templated_email
from nir.digest import nir_digest

SESSION_KEY = "signup_wizard"
DONE_KEY = "signup_done"
# A signup left unfinished this long is forgotten: step 2's personal data does not linger in
# a session someone else may reuse (a shared computer). purge_expired() deletes expired
# sessions too.
WIZARD_TTL = timedelta(hours=1)
LINK_VALIDITY = timedelta(days=15)
TOKEN_BYTES = 32  # 256 bits from the CSPRNG
TRACE_RETENTION = timedelta(days=90)
IDENTITY_FIELDS = (
    "nir",
    "civility",
    "first_name",
    "birth_name",
    "landline",
    "mobile",
    "email",
    "apprentice",
)
# URL names of the steps, in order; index + 1 is the step number shown in the header.
STEP_URLS = ("accounts:signup_cgu", "accounts:signup_identity", "accounts:signup_password")


class Wizard:
    """The signup's session state. `steps_done()` says how many steps are valid so far."""

    def __init__(self, session):
        self.session = session

    @property
    def data(self) -> dict:
        data = self.session.get(SESSION_KEY) or {}
        updated = data.get("updated_at")
        if data and not (
            isinstance(updated, (int, float))
            and timezone.now().timestamp() - updated < WIZARD_TTL.total_seconds()
        ):
            self.session.pop(SESSION_KEY, None)
            return {}
        return data

    def _update(self, **values):
        data = dict(self.data)
        data.update(values, updated_at=timezone.now().timestamp())
        self.session[SESSION_KEY] = data

    # Step 1
    def accept_cgu(self):
        self._update(cgu=True)

    def withdraw_cgu(self):
        """Step 1 sent unticked: the steps after it are no longer reachable."""
        self._update(cgu=False)

    @property
    def cgu_accepted(self) -> bool:
        return bool(self.data.get("cgu"))

    # Step 2
    def save_identity(self, cleaned: dict):
        identity = {name: cleaned.get(name, "") for name in IDENTITY_FIELDS}
        identity["apprentice"] = bool(identity["apprentice"])
        self._update(identity=identity, identity_draft=None)

    def reject_identity(self):
        """Step 2 sent again with errors: step 3 waits until it is valid again."""
        self._update(identity=None)

    @property
    def identity(self) -> dict | None:
        identity = self.data.get("identity")
        # A step 2 saved under other field names (before a rename) counts as not done: it
        # must not reach the pending signup with blank names.
        if not isinstance(identity, dict) or not set(IDENTITY_FIELDS) <= identity.keys():
            return None
        return identity

    def save_identity_draft(self, values: dict):
        """What was typed at step 2 when the person went back (Retour): shown again later."""
        # The confirmation as typed, not a copy of the first address: going back and forth
        # must not defeat the check that the two agree.
        draft = {
            name: str(values.get(name, ""))[:254]
            for name in (*IDENTITY_FIELDS, "email_confirmation")
        }
        draft["apprentice"] = bool(values.get("apprentice"))
        self._update(identity_draft=draft)

    def identity_initial(self) -> dict:
        return self.data.get("identity_draft") or self.identity or {}

    def steps_done(self) -> int:
        if not self.cgu_accepted:
            return 0
        if not self.identity:
            return 1
        return 2

    def first_incomplete_url(self, step: int) -> str | None:
        """URL name of the step to show instead of `step` (1-3), or None if `step` may be shown."""
        done = self.steps_done()
        if step - 1 <= done:
            return None
        return STEP_URLS[done]

    def clear(self):
        self.session.pop(SESSION_KEY, None)
        self.session.pop(DONE_KEY, None)

    # Step 4 is shown once, right after step 3.
    def finish(self):
        self.session.pop(SESSION_KEY, None)
        self.session[DONE_KEY] = True

    def pop_done(self) -> bool:
        return bool(self.session.pop(DONE_KEY, False))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def trace_token(token_hash: str, reason: str) -> None:
    """Remember what became of a link that stops working (idempotent)."""
    SignupTokenTrace.objects.update_or_create(
        token_hash=token_hash, defaults={"reason": reason, "at": timezone.now()}
    )


def unsaved_titulaire(identity: dict) -> Titulaire:
    """A Titulaire built from step 2, for the password similarity check (never saved)."""
    return Titulaire(
        nir=identity.get("nir", ""),
        civility=identity.get("civility", ""),
        first_name=identity.get("first_name", ""),
        birth_name=identity.get("birth_name", ""),
        email=identity.get("email", ""),
    )


@dataclass
class SignupOutcome:
    # "created", "existing" (an account exists: its owner is told), "inactive", "full"
    # (MAX_PENDING_PER_NIR signups already wait for this NIR: the address typed is told) or
    # "duplicate" (the same signup sent twice within DOUBLE_SUBMIT_WINDOW: nothing added)
    kind: str
    pending: PendingSignup | None = None
    token: str | None = None


def _audit(event_name: str, request, nir: str, obj=None, detail: str = "", actor=None):
    record(
        getattr(Event, event_name), request=request, actor=actor, nir=nir, obj=obj, detail=detail
    )


def _send_confirmation(pending: PendingSignup, token: str, request=None, reissued=False):
    send_templated_email(
        "signup_confirmation",
        pending.email,
        {
            "pending": pending,
            "path": reverse("accounts:confirm_land", kwargs={"token": token}),
            "expires_at": pending.expires_at,
            "reissued": reissued,
        },
        request,
    )


def serialise_on_nir(nir: str) -> None:
    """PostgreSQL: one signup or confirmation at a time per NIR (transaction-scoped advisory
    lock keyed by a hash of the NIR), taken before any row lock: simultaneous submissions queue
    up, and two confirmations for one NIR cannot deadlock (each would hold its own pending row
    while the other closes it). SQLite serialises writers by itself."""
    if connection.vendor != "postgresql":
        return
    key = int.from_bytes(hashlib.sha256(nir.encode()).digest()[:8], "big", signed=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _tell_existing_owner(existing: Titulaire, nir: str, request) -> None:
    # One notice an hour at most: someone replaying signups with a known NIR must not flood
    # its owner's mailbox (the page stays the same).
    if not ratelimit.hit_and_check(EXISTING_NOTICE_LIMIT, nir_digest(nir)):
        send_templated_email("signup_existing", existing.email, {"titulaire": existing}, request)


def _add_pending(identity: dict, password_hash: str, request) -> SignupOutcome:
    """A new pending signup beside any other for this NIR: none is cancelled (docs/SECURITY.md
    § 11). Refused, with an email to the address typed, when MAX_PENDING_PER_NIR wait already."""
    nir = identity["nir"]
    with transaction.atomic():
        serialise_on_nir(nir)
        existing = Titulaire.objects.select_for_update().filter(nir=nir).first()
        if existing is not None:
            if existing.is_active:
                _tell_existing_owner(existing, nir, request)
                _audit("SIGNUP_EXISTING", request, nir, obj=existing)
                return SignupOutcome("existing")
            _audit("SIGNUP_EXISTING", request, nir, detail="compte désactivé")
            return SignupOutcome("inactive")
        now = timezone.now()  # real clock: the link's 15 days are a security timer
        waiting = PendingSignup.objects.select_for_update().filter(nir=nir)
        for old in waiting.expired(now):
            trace_token(old.token_hash, TokenTraceReason.EXPIRED)
            old.delete()
        if waiting.filter(
            email__iexact=identity["email"], created_at__gt=now - DOUBLE_SUBMIT_WINDOW
        ).exists():
            # Step 3 sent twice (a double click, two tabs): one signup, one email.
            return SignupOutcome("duplicate")
        if waiting.valid(now).count() >= MAX_PENDING_PER_NIR:
            send_templated_email(
                "signup_full",
                identity["email"],
                {"help_email": settings.PORTAL_HELP_EMAIL, "days": LINK_VALIDITY.days},
                request,
            )
            _audit("RATE_LIMITED", request, nir, detail="inscriptions en attente pour ce numéro")
            return SignupOutcome("full")
        token, token_hash = new_token()
        pending = PendingSignup.objects.create(
            **{name: identity.get(name, "") for name in IDENTITY_FIELDS if name != "apprentice"},
            apprentice=bool(identity.get("apprentice")),
            password_hash=password_hash,
            token_hash=token_hash,
            created_at=now,
            expires_at=now + LINK_VALIDITY,
            last_sent_at=now,
        )
        _send_confirmation(pending, token, request)
        _audit("SIGNUP", request, nir, obj=pending)
        return SignupOutcome("created", pending, token)


def register(identity: dict, password: str, request=None, attempts: int = 5) -> SignupOutcome:
    """End of step 3: add a pending signup and email its link, or (NIR already known) tell the
    account's owner. The caller shows the same page whatever the outcome.

    Other pending signups for the NIR are left alone: the first confirmed wins and closes the
    others (accounts.services.confirmation). A token colliding on its unique index (2^-256) is
    simply drawn again."""
    identity = dict(identity)  # its NIR is normal: IdentityForm's NirFormField cleaned it
    password_hash = make_password(password)
    for attempt in range(attempts):
        try:
            return _add_pending(identity, password_hash, request)
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


# Completed step 3 per IP address and hour; the confirmation link is re-sent at most every
# RESEND_COOLDOWN (docs/SECURITY.md).
# Pending signups that may wait at once for one NIR, counted in the database under the NIR's
# lock (exact, no window): enough for a person who signs up again before finding the first
# email, few enough that a NIR cannot be flooded (each is mailed when the account is created,
# and the login page checks the password against each).
MAX_PENDING_PER_NIR = 5
# A second signup for the same NIR and address this soon after the first is the same step 3
# sent twice: nothing is added (a later one, e.g. after losing the email, is a new signup).
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=2)
EXISTING_NOTICE_LIMIT = ratelimit.Limit("signup_existing_notice", max_hits=1, window_seconds=3600)
SIGNUP_IP_LIMIT = ratelimit.Limit(
    "signup_ip", max_hits=settings.SIGNUP_IP_LIMIT_PER_HOUR, window_seconds=60 * 60
)
RESEND_COOLDOWN = timedelta(minutes=2)


def signup_ip_limited(request) -> bool:
    """Count one completed step 3 for this address; True when over the hourly limit."""
    limited = ratelimit.hit_and_check(SIGNUP_IP_LIMIT, ratelimit.client_ip(request))
    if limited:
        _audit("RATE_LIMITED", request, "", detail="inscription")
    return limited


def resend_too_soon(pending: PendingSignup) -> bool:
    """True when a new link was already asked for this pending signup less than 2 minutes ago
    (the first request is always granted: the first email may simply be lost). Otherwise
    starts the cooldown, in the shared cache."""
    from django.core.cache import cache

    key = f"rl:signup_resend:{pending.pk}"
    now = timezone.now().timestamp()
    last = cache.get(key)
    if isinstance(last, (int, float)) and now - last < RESEND_COOLDOWN.total_seconds():
        return True
    cache.set(key, now, timeout=int(RESEND_COOLDOWN.total_seconds()))
    return False


def find_pending_by_credentials(nir: str, password: str) -> PendingSignup | None:
    """For the login page: the valid pending signup for this NIR whose password matches, or
    None. Several may wait for one NIR (at most MAX_PENDING_PER_NIR): each is checked, newest
    first. Runs one password hash even when there is none, so timing does not tell whether a
    signup waits."""
    waiting = (
        list(PendingSignup.objects.valid().filter(nir=nir).order_by("-created_at", "-pk"))
        if nir
        else []
    )
    if not waiting:
        make_password(password or "")
        return None
    for pending in waiting:
        if check_password(password or "", pending.password_hash):
            return pending
    return None


def purge_expired(now=None) -> int:
    """Delete expired pending signups (their links then say "expired"); returns how many.
    Expired sessions go too, with whatever an abandoned signup had left in them, and expired
    captcha challenges."""
    now = now or timezone.now()
    removed = 0
    with transaction.atomic():
        for pending in PendingSignup.objects.select_for_update().expired(now):
            trace_token(pending.token_hash, TokenTraceReason.EXPIRED)
            pending.delete()
            removed += 1
        SignupTokenTrace.objects.filter(at__lt=now - TRACE_RETENTION).delete()
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    CaptchaStore.remove_expired()
    return removed
