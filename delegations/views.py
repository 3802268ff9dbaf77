"""Mes délégations: delegations given (invite, revoke) and accounts delegated to me (accept,
decline, view). Thin: delegations.services does the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from delegations import services
from delegations.access import own_account_only, start_acting_for, stop_acting_for
from delegations.forms import InviteForm
from delegations.models import Delegation


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delegation_list(request):
    access = own_account_only(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite(
                access.titulaire,
                form.cleaned_data["email"],
                form.cleaned_data["level"],
                form.cleaned_data["end_date"],
                request=request,
            )
        except services.DelegationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, services.SAME_ANSWER)
            return redirect("delegations:list")
    given_pending, given_accepted, given_ended = services.given_for_display(access.titulaire)
    received_pending, received_active = services.received_for_display(request.user)
    return render(
        request,
        "delegations/list.html",
        {
            "active_menu": "delegations",
            "form": form,
            "given_pending": given_pending,
            "given_accepted": given_accepted,
            "given_ended": given_ended,
            "received_pending": received_pending,
            "received_active": received_active,
        },
        status=400 if form.errors else 200,
    )


def _received(request, token) -> Delegation:
    delegation = Delegation.objects.received_by(request.user).filter(token=token).first()
    if delegation is None:
        raise Http404(_("Délégation introuvable."))
    return delegation


def _act(request, action, success_message):
    try:
        action()
    except services.DelegationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success_message)
    return redirect("delegations:list")


def _answer(request, token, service, success_message):
    """The invited person answers an invitation received (accept or decline)."""
    own_account_only(request)
    delegation = _received(request, token)
    return _act(
        request, lambda: service(delegation, request.user, request=request), success_message
    )


@login_required
@require_POST
def accept(request, token):
    return _answer(
        request,
        token,
        services.accept,
        _("Vous avez accepté la délégation. Vous pouvez maintenant consulter ce compte."),
    )


@login_required
@require_POST
def decline(request, token):
    return _answer(request, token, services.decline, _("Vous avez refusé l'invitation."))


@login_required
@require_POST
def revoke(request, token):
    """The titulaire revokes a delegation (or cancels an invitation); a delegate may also give
    up a delegation received."""
    own_account_only(request)
    delegation = (
        Delegation.objects.filter(token=token).filter(titulaire=request.user).first()
        or Delegation.objects.received_by(request.user).filter(token=token).first()
    )
    if delegation is None:
        raise Http404(_("Délégation introuvable."))
    message = (
        _("L'invitation a été annulée.")
        if delegation.status == "invitee"
        else _("La délégation a été révoquée.")
    )
    return _act(
        request, lambda: services.revoke(delegation, request.user, request=request), message
    )


@login_required
@require_POST
def act_for(request, token):
    """ "Consulter ce compte": view the account of someone who delegated it to me."""
    delegation = Delegation.objects.received_by(request.user).in_force().filter(token=token).first()
    if delegation is None:
        raise Http404(_("Délégation introuvable."))
    start_acting_for(request, delegation)
    return redirect("accounts:synthese")


@login_required
@require_POST
def stop(request):
    """ "Revenir à mon compte"."""
    stop_acting_for(request)
    messages.info(request, _("Vous êtes revenu à votre compte."))
    return redirect("accounts:synthese")
