"""Mot de passe oublié: request, "sent" page, link landing, new password."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms.reset import PASSWORD_RULES, ResetRequestForm, SetPasswordForm
from accounts.services import reset as service


@sensitive_post_parameters("username", "email")
@never_cache
@require_http_methods(["GET", "POST"])
def request_reset(request):
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service.request_reset(request, form.cleaned_data["username"], form.cleaned_data["email"])
        return redirect("accounts:reset_sent")  # the same answer whatever exists
    return render(request, "accounts/reset/request.html", {"form": form})


@require_GET
def reset_sent(request):
    return render(request, "accounts/reset/sent.html")


@never_cache
@require_GET
def reset_land(request, token):
    """Keep the link's token in the session and take it out of the address bar."""
    request.session[service.SESSION_TOKEN] = token[:200]
    return redirect("accounts:reset_set")


@sensitive_post_parameters("password1", "password2")
@never_cache
@require_http_methods(["GET", "POST"])
def reset_set(request):
    link_token = request.session.get(service.SESSION_TOKEN, "")
    user = service.user_for_link_token(link_token)
    if user is None:
        request.session.pop(service.SESSION_TOKEN, None)
        return render(request, "accounts/reset/invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if service.set_new_password(request, link_token, form.cleaned_data["password1"]) is None:
            return render(request, "accounts/reset/invalid.html", status=400)
        messages.success(
            request,
            _(
                "Votre mot de passe a bien été modifié. Vous pouvez vous identifier avec "
                "votre nouveau mot de passe."
            ),
        )
        return redirect("accounts:login")
    return render(request, "accounts/reset/set.html", {"form": form, "rules": PASSWORD_RULES})
