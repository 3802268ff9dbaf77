"""The authentication gate: every door that checks a password (the portal's login, the
operators' login, the current password asked by the password and email changes) goes through
authenticate_with_limits(), so one identifier has one set of counters whatever the door.

Counted before checked. An attempt first reserves its place in the counters with an atomic
increment (Redis INCR, or cpf_portal.cache's row-locked UPDATE); the password is checked only if
that place is within the limits. Whatever the number of simultaneous requests, no more
passwords are checked than the limits allow: a reservation holds while its hash runs. A wrong
password keeps its reservation (it is the failure count); a right one clears the counts (the
documented policy: success resets); a refused one gives its place back.

The limits, per keyed hash of the identifier (known or unknown NIR alike):
- 5 failures with less than 15 minutes between them (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME)
  lock it for 15 minutes after the 5th;
- 10 failures in a day (Europe/Paris, real clock) lock it 1 hour, and each failure after that
  1 hour more: once past 10, one attempt at a time;
- 25 failures in a day lock it until midnight;
and per client address, 50 failures an hour. django-axes still records each failure (its admin
lists them) but no longer decides: it counted after the hash, so parallel requests raced it.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.utils import timezone

from accounts.backends import axes_username
from cpf_portal import ratelimit

OK = "ok"
FAILED = "failed"
LOCKED = "locked"
IP_BLOCKED = "ip_blocked"

# Many people can share one address (a company, a training room): a loose limit per IP.
IP_LIMIT = ratelimit.Limit("login_ip", max_hits=50, window_seconds=60 * 60)
# The window slides: it ends AXES_COOLOFF_TIME after the last failure, as axes' did.
RECENT_FAILURES = ratelimit.Limit(
    "login_fail_recent",
    max_hits=settings.AXES_FAILURE_LIMIT,
    window_seconds=int(settings.AXES_COOLOFF_TIME * 60 * 60),
)
# Keyed by identity and calendar day (day_identity): the window outlives its day.
DAY_FAILURES = ratelimit.Limit("login_fail_day", max_hits=25, window_seconds=24 * 60 * 60)
HOUR_LOCK_AFTER = 10
HOUR_LOCK_SECONDS = 60 * 60


@dataclass(frozen=True)
class GateResult:
    outcome: str  # OK, FAILED, LOCKED or IP_BLOCKED
    user: object = None
    checked: bool = False  # whether a password was checked at all


@dataclass(frozen=True)
class _Reservation:
    identity: str
    day_key: str
    recent: int
    day: int


def identity_of(identifier: str) -> str:
    """The key of every counter of this identifier: a keyed hash, never the NIR (the same
    value django-axes records)."""
    return axes_username(None, {"username": identifier})


def day_identity(identity: str, now=None) -> str:
    # Security timer: the real clock, the day as lived in Paris (TIME_ZONE).
    return f"{identity}:{timezone.localdate(now or timezone.now()).isoformat()}"


def _lock_key(identity: str) -> str:
    return f"login_lock:{identity}"


def lock_ends_at(identifier: str):
    """When the lock of this identifier ends (aware datetime), or None if it is not locked."""
    until = cache.get(_lock_key(identity_of(identifier)))
    if not isinstance(until, (int, float)):
        return None
    # Security timer: real clock.
    ends = datetime.fromtimestamp(until, tz=UTC)
    return ends if ends > timezone.now() else None


def is_locked(identifier: str) -> bool:
    return lock_ends_at(identifier) is not None


def ip_blocked(request) -> bool:
    return ratelimit.is_limited(IP_LIMIT, ratelimit.client_ip(request))


def authenticate_with_limits(request, identifier: str, password: str, verify) -> GateResult:
    """Check `password` for `identifier` through `verify(password)` (which returns the user
    or None, and runs the only password hash of the attempt), within the limits. Returns the
    outcome; the caller logs in, audits and renders."""
    identity = identity_of(identifier)
    address = ratelimit.client_ip(request)
    if ratelimit.is_limited(IP_LIMIT, address):
        return GateResult(IP_BLOCKED)
    if is_locked(identifier):
        return GateResult(LOCKED)  # nothing checked, nothing counted: the lock is not extended
    if ratelimit.hit(IP_LIMIT, address) > IP_LIMIT.max_hits:
        ratelimit.release(IP_LIMIT, address)
        return GateResult(IP_BLOCKED)
    reservation = _reserve(identity)
    if reservation is None:
        ratelimit.release(IP_LIMIT, address)
        return GateResult(LOCKED)
    try:
        user = verify(password)
    except BaseException:
        _give_back(reservation)
        ratelimit.release(IP_LIMIT, address)
        raise
    if user is not None:
        clear(identifier)
        ratelimit.release(IP_LIMIT, address)  # the per-IP limit counts failures only
        return GateResult(OK, user=user, checked=True)
    _count_failure(reservation)
    # django-axes keeps the record of each failure (its admin lists them by hashed identifier).
    user_login_failed.send(sender=__name__, credentials={"username": identifier}, request=request)
    # The 5th failure is answered with the lock (as axes did); the longer locks show from the
    # next try.
    if reservation.recent >= RECENT_FAILURES.max_hits:
        return GateResult(LOCKED, checked=True)
    return GateResult(FAILED, checked=True)


def _reserve(identity: str) -> _Reservation | None:
    """Take this attempt's place in the counts, atomically, or None (and nothing taken) when
    the place is beyond a limit. Each count holds the failures plus the attempts in flight, so
    a place within the limits is one the sequential policy would have allowed."""
    day_key = day_identity(identity)
    recent = ratelimit.hit(RECENT_FAILURES, identity)
    day = ratelimit.hit(DAY_FAILURES, day_key)
    reservation = _Reservation(identity, day_key, recent, day)
    within = (
        recent <= RECENT_FAILURES.max_hits
        and day <= DAY_FAILURES.max_hits
        # Past 10 failures each one locks an hour: one attempt at a time.
        and (day <= HOUR_LOCK_AFTER or recent == 1)
    )
    if within:
        return reservation
    _give_back(reservation)
    return None


def _give_back(reservation: _Reservation) -> None:
    ratelimit.release(RECENT_FAILURES, reservation.identity)
    ratelimit.release(DAY_FAILURES, reservation.day_key)


def _count_failure(reservation: _Reservation) -> None:
    """The reservation stays as the failure; the lock it earns is written with its end."""
    ratelimit.slide(RECENT_FAILURES, reservation.identity)
    now = timezone.localtime()  # security timer: real clock, Paris midnight
    ends = []
    if reservation.recent >= RECENT_FAILURES.max_hits:
        ends.append(now + timedelta(seconds=RECENT_FAILURES.window_seconds))
    if reservation.day >= DAY_FAILURES.max_hits:
        ends.append((now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0))
    elif reservation.day >= HOUR_LOCK_AFTER:
        ends.append(now + timedelta(seconds=HOUR_LOCK_SECONDS))
    if ends:
        _lock_until(reservation.identity, max(ends))


def _lock_until(identity: str, until) -> None:
    """Store the end (the cache's expiry only cleans up, so the clock decides); never shorten a
    lock already running."""
    current = cache.get(_lock_key(identity))
    if isinstance(current, (int, float)) and current >= until.timestamp():
        return
    seconds = max(int((until - timezone.now()).total_seconds()), 1)
    cache.set(_lock_key(identity), until.timestamp(), timeout=seconds)


def clear(identifier: str) -> None:
    """Success, staff unlock or password reset: the counts and the lock of this identifier go."""
    identity = identity_of(identifier)
    ratelimit.reset(RECENT_FAILURES, identity)
    ratelimit.reset(DAY_FAILURES, day_identity(identity))
    cache.delete(_lock_key(identity))
