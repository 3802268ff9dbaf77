"""Login journey: authenticate by NIR + password under django-axes, a per-IP limit, the
"not yet activated" case, audit, and the staff unlock.

Views, admin actions and commands call these functions; none of them renders anything.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.utils import timezone

from accounts import nir as nir_rules
from accounts.backends import axes_username
from accounts.flows.signup import find_pending_by_credentials
from accounts.middleware import EXPIRED_REASON, start_session_clock
from audit.models import Event
from audit.services import record
from cpf_portal import ratelimit

# Many people can share one address (a company, a training room): a loose limit per IP, on top
# of axes' lock per identifier.
IP_LIMIT = ratelimit.Limit("login_ip", max_hits=50, window_seconds=60 * 60)
RESEND_PENDING_ID = "resend_pending_id"
# Growing delay on top of axes' 15-minute lock (5 failures), as longer lock windows rather than
# slow answers: 10 failures in a day lock the identifier 1 hour, 25 lock it until midnight
# (Europe/Paris). Counted per keyed hash of the identifier, known or not (docs/SECURITY.md).
DAY_FAILURES = ratelimit.Limit("login_fail_day", max_hits=25, window_seconds=24 * 60 * 60)
HOUR_LOCK_AFTER = 10
HOUR_LOCK_SECONDS = 60 * 60

OK = "ok"
FAILED = "failed"
LOCKED = "locked"
PENDING = "pending"


@dataclass(frozen=True)
class LoginResult:
    outcome: str  # OK, FAILED, LOCKED or PENDING
    user: object = None
    pending: object = None


def normalized_or_blank(raw: str) -> str:
    """The typed identifier normalised when it is a valid NIR, else "" (nothing to audit)."""
    value = nir_rules.normalize_nir(raw or "")
    try:
        nir_rules.validate_nir(value)
    except nir_rules.NirError:
        return ""
    return value


def lock_ends_at(identifier: str):
    """When the lock of this identifier ends (aware datetime), or None if it is not locked: the
    later of axes' lock (its last counted failure + AXES_COOLOFF_TIME; tries during the lock do
    not extend it) and the 1-hour or until-midnight lock. Known or unknown NIR alike."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.db.models import Max, Sum

    identity = _identity(identifier)
    now = timezone.now()
    ends = []
    until = cache.get(_lock_key(identity))
    if isinstance(until, (int, float)):
        ends.append(datetime.fromtimestamp(until, tz=UTC))
    attempts = AccessAttempt.objects.filter(username=identity).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time")
    )
    if (attempts["failures"] or 0) >= settings.AXES_FAILURE_LIMIT and attempts["last"]:
        ends.append(attempts["last"] + get_cool_off())
    ends = [end for end in ends if end > now]
    return max(ends) if ends else None


def ip_blocked(request) -> bool:
    return ratelimit.is_limited(IP_LIMIT, ratelimit.client_ip(request))


def _identity(identifier: str) -> str:
    return axes_username(None, {"username": identifier})


def _lock_key(identity: str) -> str:
    return f"login_lock:{identity}"


def escalated_lock_active(identifier: str) -> bool:
    """True while the 1-hour or until-midnight lock of this identifier runs. The end time is
    stored (the cache's expiry only cleans up), so the portal's clock decides."""
    until = cache.get(_lock_key(_identity(identifier)))
    return isinstance(until, (int, float)) and until > timezone.now().timestamp()


def _lock_until(identity: str, until) -> None:
    seconds = max(int((until - timezone.now()).total_seconds()), 1)
    cache.set(_lock_key(identity), until.timestamp(), timeout=seconds)


def _count_failure(identifier: str) -> None:
    identity = _identity(identifier)
    failures = ratelimit.hit(DAY_FAILURES, identity)
    now = timezone.localtime()
    if failures >= DAY_FAILURES.max_hits:
        midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
        _lock_until(identity, midnight)
    elif failures >= HOUR_LOCK_AFTER:
        _lock_until(identity, now + timedelta(seconds=HOUR_LOCK_SECONDS))


def _clear_failures(identifier: str) -> None:
    identity = _identity(identifier)
    ratelimit.reset(DAY_FAILURES, identity)
    cache.delete(_lock_key(identity))


def attempt_login(request, identifier: str, password: str) -> LoginResult:
    """Authenticate and, on success, log in (new session key), start the session clock and
    reset the per-identifier counts (AXES_RESET_ON_SUCCESS and the daily count). Every outcome
    is audited."""
    nir = normalized_or_blank(identifier)
    if escalated_lock_active(identifier):
        dummy_password_check(password)  # a locked answer costs what a checked one does
        record(Event.LOCKOUT, request=request, nir=nir, detail="verrouillage prolongé")
        return LoginResult(LOCKED)
    from axes.handlers.proxy import AxesProxyHandler

    was_locked = AxesProxyHandler.is_locked(request, {"username": identifier})
    user = authenticate(request=request, username=identifier, password=password)
    if getattr(request, "axes_locked_out", False):
        if not was_locked:  # this very failure reached axes' limit: it counts too
            _count_failure(identifier)
        record(Event.LOCKOUT, request=request, nir=nir, detail="identifiant verrouillé")
        return LoginResult(LOCKED)
    if user is None or not user.is_active:
        ratelimit.hit(IP_LIMIT, ratelimit.client_ip(request))
        _count_failure(identifier)
        pending = find_pending_by_credentials(nir, password) if nir else None
        record(
            Event.LOGIN_FAILURE,
            request=request,
            nir=nir,
            detail="compte non activé" if pending else "",
        )
        if pending is not None:
            request.session[RESEND_PENDING_ID] = pending.pk
            return LoginResult(PENDING, pending=pending)
        return LoginResult(FAILED)
    _clear_failures(identifier)
    # login() keeps the key when the same person is already logged in: cycle it anyway.
    request.session.cycle_key()
    login(request, user)  # flushes another user's session
    start_session_clock(request.session)
    record(Event.LOGIN_SUCCESS, request=request, actor=user, nir=user.nir)
    return LoginResult(OK, user=user)


def pop_expiry_notice(session) -> str | None:
    """The reason ("idle" or "absolute") a session was ended by the timeout middleware."""
    return session.pop(EXPIRED_REASON, None)


def unlock(nir: str, request=None, actor=None, audit: bool = True) -> int:
    """Staff unlock (admin action): remove axes' failed attempts for this NIR, so the lock is
    lifted at once. Returns how many attempt rows were removed. Audited as UNLOCK."""
    from axes.utils import reset

    count = reset(username=axes_username(None, {"username": nir}))
    _clear_failures(nir)
    if audit:
        record(Event.UNLOCK, request=request, actor=actor, nir=normalized_or_blank(nir))
    return count


def dummy_password_check(password: str) -> None:
    """Comparable work when nothing matches, so timing does not tell whether an account
    exists."""
    make_password(password or "")  # one hash with the configured hasher, result discarded
