"""The confirmation link and the "send me a new link" button of the login page."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts.models import PendingSignup
from accounts.services import confirmation as service
from accounts.services.signup import purge_expired, resend_too_soon

SESSION_TOKEN = "signup_confirm_token"
RESEND_KEY = "resend_pending_id"
STATUS = {
    service.Result.USED: 200,
    service.Result.EXPIRED: 410,
    service.Result.REPLACED: 410,
    service.Result.CLOSED: 410,
    service.Result.INVALID: 400,
}


@require_GET
def land(request, token):
    """The emailed link: keep the token in the session and take it out of the address bar."""
    request.session[SESSION_TOKEN] = token[:200]
    return redirect("accounts:confirm")


@never_cache
@require_GET
def confirm(request):
    token = request.session.pop(SESSION_TOKEN, "")
    result, _titulaire = service.confirm_token(token, request=request)
    if result == service.Result.ACTIVATED:
        messages.success(request, _("Votre compte a bien été activé."))
        return redirect("accounts:login")
    return render(
        request,
        "accounts/confirmation/result.html",
        {"result": result.value, "help_email": settings.PORTAL_HELP_EMAIL},
        status=STATUS[result],
    )


@require_POST
def resend(request):
    pending_id = request.session.pop(RESEND_KEY, None)
    pending = PendingSignup.objects.filter(pk=pending_id).first() if pending_id else None
    if pending is None:
        messages.error(
            request,
            _("Aucune inscription en attente ne correspond ; merci de vous identifier à nouveau."),
        )
        return redirect("accounts:login")
    if pending.is_expired():
        purge_expired()
        messages.error(
            request,
            _("Votre inscription a expiré : merci de recommencer votre inscription."),
        )
        return redirect("accounts:signup_cgu")

    if resend_too_soon(pending):
        request.session[RESEND_KEY] = pending.pk  # the button stays usable after the wait
        messages.error(
            request,
            _(
                "Un lien vient de vous être envoyé. Merci de patienter deux minutes avant "
                "d'en demander un nouveau."
            ),
        )
        return redirect("accounts:login")
    service.reissue_link(pending, request=request)
    messages.success(request, _("Un nouveau lien de confirmation vous a été envoyé."))
    return redirect("accounts:login")
