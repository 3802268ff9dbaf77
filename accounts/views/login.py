"""Espace Titulaire: login, logout, and the lockout page."""

import math
from datetime import UTC, datetime

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms.login import LoginForm
from accounts.middleware import ABSOLUTE, IDLE
from accounts.services import login as service
from audit.models import Event
from audit.services import record

EXPIRY_NOTICES = {
    IDLE: gettext_lazy(
        "Votre session a expiré après 30 minutes d'inactivité. Merci de vous identifier à nouveau."
    ),
    ABSOLUTE: gettext_lazy(
        "Votre session a expiré après 12 heures de connexion. Merci de vous identifier à nouveau."
    ),
}
# The lock notice says when the lock ends (axes' 15 minutes, the 1-hour lock, or midnight),
# the same for a known and an unknown NIR: it depends only on the counts for what was typed.
LOCKED_UNTIL = gettext_lazy(
    "Votre compte est temporairement verrouillé après plusieurs tentatives infructueuses. "
    "Réessayez à partir de %(time)s ou utilisez « Mot de passe oublié »."
)
LOCKED_UNTIL_TOMORROW = gettext_lazy(
    "Votre compte est temporairement verrouillé après plusieurs tentatives infructueuses. "
    "Réessayez demain à partir de %(time)s ou utilisez « Mot de passe oublié »."
)
IP_BLOCKED_MESSAGE = gettext_lazy(
    "Trop de tentatives de connexion depuis votre réseau. Réessayez dans une heure. "
    "Si vous avez oublié votre mot de passe, utilisez « Mot de passe oublié »."
)
PENDING_MESSAGE = gettext_lazy(
    "Votre compte n'est pas encore activé. Cliquez sur le lien reçu par courriel, "
    "ou demandez un nouveau lien."
)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def _render(request, form, status=200, **extra):
    context = {"form": form, "next": _safe_next(request), **extra}
    return render(request, "accounts/login.html", context, status=status)


@sensitive_post_parameters("password", "username")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request):
    notice = service.pop_expiry_notice(request.session)
    if notice in EXPIRY_NOTICES:
        messages.warning(request, EXPIRY_NOTICES[notice])
    if request.method == "GET":
        if request.user.is_authenticated:
            return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)
        return _render(request, LoginForm())

    if service.ip_blocked(request):
        return ip_blocked_response(request)
    form = LoginForm(request.POST)
    if not form.is_valid():
        return _render(request, form)
    result = service.attempt_login(
        request, form.cleaned_data["username"], form.cleaned_data["password"]
    )
    if result.outcome == service.IP_BLOCKED:
        return ip_blocked_response(request)
    if result.outcome == service.LOCKED:
        return lockout_response(request)
    if result.outcome == service.PENDING:
        return _render(request, LoginForm(initial={"username": ""}), pending=PENDING_MESSAGE)
    if result.outcome == service.FAILED:
        form.add_bad_credentials()
        return _render(request, form)
    return redirect(_safe_next(request) or settings.LOGIN_REDIRECT_URL)


@require_POST
def logout_view(request):
    if request.user.is_authenticated:
        record(Event.LOGOUT, request=request, actor=request.user)
    logout(request)  # flushes the session server-side
    messages.info(request, _("Vous êtes déconnecté."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def lock_end(identifier: str) -> tuple[str, bool]:
    """When the lock ends, as the notices say it ("14 h 32"), and whether that is tomorrow."""
    ends = service.lock_ends_at(identifier) or timezone.now() + get_cool_off()
    # Rounded up to the minute: "à partir de 14 h 32" is never too early.
    ends = timezone.localtime(datetime.fromtimestamp(math.ceil(ends.timestamp() / 60) * 60, UTC))
    return f"{ends.hour} h {ends.minute:02d}", ends.date() > timezone.localdate()


def locked_message(identifier: str) -> str:
    time, tomorrow = lock_end(identifier)
    return (LOCKED_UNTIL_TOMORROW if tomorrow else LOCKED_UNTIL) % {"time": time}


def lockout_response(request, *args, **kwargs):
    """The login page with the lockout notice (HTTP 429). Also called by axes' middleware with
    (request, original_response, credentials); the arguments after request are ignored."""
    form = LoginForm(request.POST)
    form.is_valid()  # the identifier as the login cleaned it (normal), or "" if it was not
    message = locked_message(form.cleaned_data.get("username", ""))
    return _render(request, LoginForm(), status=429, locked=message)


def ip_blocked_response(request):
    """The per-IP limit: no account is locked, the address is; 429."""
    return _render(request, LoginForm(), status=429, locked=IP_BLOCKED_MESSAGE)
