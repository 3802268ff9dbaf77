"""Login journey: authenticate by NIR + password through the authentication gate
(accounts.services.gate: the per-identifier locks and the per-IP limit), the "not yet activated"
case, audit, and the staff unlock.

Views, admin actions and commands call these functions; none of them renders anything.
"""

from dataclasses import dataclass

from axes.utils import reset
from django.contrib.auth import login
from django.contrib.auth.hashers import make_password

from accounts.backends import NirBackend, axes_username
from accounts.middleware import EXPIRED_REASON, start_session_clock
from accounts.models import Titulaire
from accounts.services import gate
from accounts.services.gate import lock_ends_at
from accounts.services.signup import find_pending_by_credentials
from audit.models import Event
from audit.services import record
from nir import rules as nir_rules

__all__ = ["lock_ends_at"]

RESEND_PENDING_ID = "resend_pending_id"
BACKEND = "accounts.backends.NirBackend"
OPERATORS_DOOR = "espace des opérateurs"

OK = "ok"
FAILED = "failed"
LOCKED = "locked"
PENDING = "pending"
IP_BLOCKED = "ip_blocked"


@dataclass(frozen=True)
class LoginResult:
    outcome: str  # OK, FAILED, LOCKED, PENDING or IP_BLOCKED
    user: object = None
    pending: object = None


def valid_or_blank(identifier: str) -> str:
    """The identifier (normal: the login form's NirFormField cleaned it) when it is a valid
    NIR, else "" (nothing to audit)."""
    try:
        nir_rules.validate_nir(identifier)
    except nir_rules.NirError:
        return ""
    return identifier


def ip_blocked(request) -> bool:
    return gate.ip_blocked(request)


def attempt_login(request, identifier: str, password: str) -> LoginResult:
    """The portal's door: authenticate through the gate and, on success, log in. Every outcome
    but the address limit is audited. `identifier` is the login form's cleaned value (normal:
    nir.fields.NirFormField); from here to the database it is used as is."""
    nir = valid_or_blank(identifier)
    found = {}

    def verify(typed):
        user = NirBackend().authenticate(request, username=identifier, password=typed)
        if user is not None and user.is_active:
            return user
        # Still within the reservation: the pending signup's hash is this attempt's check
        # (or, when there is none, the dummy hash that keeps the timing even).
        found["pending"] = find_pending_by_credentials(nir, typed) if nir else None
        return None

    result = gate.authenticate_with_limits(request, identifier, password, verify)
    if result.outcome == gate.FAILED and found.get("pending") is not None:
        pending = found["pending"]
        record(Event.LOGIN_FAILURE, request=request, nir=nir, detail="compte non activé")
        request.session[RESEND_PENDING_ID] = pending.pk
        return LoginResult(PENDING, pending=pending)
    return _conclude(request, result, nir)


def attempt_operator_login(request, identifier: str, password: str) -> LoginResult:
    """The operators' door (/admin/login/), through the same gate and counts as the portal's.
    An account without staff rights (or none) is refused without checking its password: a
    dummy hash instead, a counted failure, and the same answer as a wrong password."""
    nir = valid_or_blank(identifier)

    def verify(typed):
        staff = Titulaire.objects.filter(nir=nir, is_active=True, is_staff=True).first()
        if nir and staff is not None:
            return staff if staff.check_password(typed) else None
        dummy_password_check(typed)
        return None

    result = gate.authenticate_with_limits(request, identifier, password, verify)
    return _conclude(request, result, nir, door=OPERATORS_DOOR)


def _conclude(request, result, nir: str, door: str = "") -> LoginResult:
    """Audit the gate's answer and, on success, log in: a new session key, the session clock
    (the gate has already reset the identifier's counts)."""
    if result.outcome == gate.IP_BLOCKED:
        return LoginResult(IP_BLOCKED)
    if result.outcome == gate.LOCKED:
        detail = "; ".join(filter(None, ["identifiant verrouillé", door]))
        record(Event.LOCKOUT, request=request, nir=nir, detail=detail)
        return LoginResult(LOCKED)
    if result.outcome == gate.FAILED:
        record(Event.LOGIN_FAILURE, request=request, nir=nir, detail=door)
        return LoginResult(FAILED)
    user = result.user
    # login() keeps the key when the same person is already logged in: cycle it anyway.
    request.session.cycle_key()
    login(request, user, backend=BACKEND)  # flushes another user's session
    start_session_clock(request.session)
    record(Event.LOGIN_SUCCESS, request=request, actor=user, nir=user.nir, detail=door)
    return LoginResult(OK, user=user)


def pop_expiry_notice(session) -> str | None:
    """The reason ("idle" or "absolute") a session was ended by the timeout middleware."""
    return session.pop(EXPIRED_REASON, None)


def unlock(nir: str, request=None, actor=None, audit: bool = True) -> int:
    """Staff unlock (admin action): remove axes' failed attempts for this NIR, so the lock is
    lifted at once. Returns how many attempt rows were removed. Audited as UNLOCK."""
    count = reset(username=axes_username(None, {"username": nir}))
    gate.clear(nir)
    if audit:
        record(Event.UNLOCK, request=request, actor=actor, nir=valid_or_blank(nir))
    return count


def dummy_password_check(password: str) -> None:
    """Comparable work when nothing is checked, so timing does not tell whether an account
    exists (or, at the operators' door, whether it has staff rights)."""
    make_password(password or "")  # one hash with the configured hasher, result discarded
