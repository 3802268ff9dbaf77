"""Idle and absolute session timeouts for logged-in titulaires.

The session keeps the time of login and of the last request (POSIX seconds). After
settings.SESSION_IDLE_TIMEOUT without a request, or settings.SESSION_ABSOLUTE_TIMEOUT after login,
the session is flushed server-side and the person is sent to the login page, which explains why
(the reason is kept in the new, anonymous session: see accounts.services.login.pop_expiry_notice).
"""

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from audit.models import Event
from audit.services import record

LOGIN_AT = "portal_login_at"
LAST_SEEN = "portal_last_seen"
EXPIRED_REASON = "portal_session_expired"
IDLE = "idle"
ABSOLUTE = "absolute"
# The last-seen time is rewritten when it is older than this (seconds), not at every request:
# a session is saved only when it changes (SESSION_SAVE_EVERY_REQUEST is off), so a page view
# costs no write to Redis or the database. The idle timeout counts from the stored time: it
# ends a session after 29 to 30 minutes without a request, never later.
LAST_SEEN_RESOLUTION = 60


def expiry_reason(session, now: float) -> str | None:
    """Why this authenticated session has expired at `now`, or None if it is still valid."""
    last_seen = session.get(LAST_SEEN)
    login_at = session.get(LOGIN_AT)
    if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
        return IDLE
    if login_at is not None and now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT:
        return ABSOLUTE
    return None


def start_session_clock(session) -> None:
    """Called right after login: the absolute timeout counts from here."""
    now = timezone.now().timestamp()
    session[LOGIN_AT] = now
    session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = timezone.now().timestamp()
            reason = expiry_reason(request.session, now)
            if reason is not None:
                return self._expire(request, user, reason)
            session = request.session
            # A session opened without the login form (force_login, tests) starts its clock now.
            if LOGIN_AT not in session:
                session[LOGIN_AT] = now
            last_seen = session.get(LAST_SEEN)
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN] = now
        return self.get_response(request)

    def _expire(self, request, user, reason):
        record(Event.LOGOUT, request=request, actor=user, detail=f"session expirée ({reason})")
        logout(request)  # flushes the session: its row is deleted, a new key is issued
        request.session[EXPIRED_REASON] = reason
        return redirect(settings.LOGIN_URL)


# The titulaire's space: login, signup, reset, mon CompteFormation, hours, dossiers, delegations.
ACCOUNT_NAMESPACES = frozenset({"accounts", "hours", "dossiers", "delegations"})


class NoStoreMiddleware:
    """`Cache-Control: no-store` (Django's never-cache headers) on every page of the titulaire's
    space and on every page answered to a logged-in person: a browser or a proxy keeps no copy
    of an account (a shared computer's back button, a disk cache). One place rather than a
    decorator on each view, so that a new page cannot forget it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        account_page = match is not None and match.namespace in ACCOUNT_NAMESPACES
        logged_in = user is not None and user.is_authenticated
        if (account_page or logged_in) and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        return response
