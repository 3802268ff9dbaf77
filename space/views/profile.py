"""Mes informations personnelles: summary, phones, email (link to the new address), password.
Only the titulaire may use these pages: a delegate gets a 403 (own_account_only)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from accounts import phones
from accounts.forms.passwords import PASSWORD_RULES
from accounts.forms.profile import (
    WRONG_CURRENT_PASSWORD,
    EmailChangeForm,
    PasswordChangeForm,
    PhonesForm,
)
from accounts.services import gate
from accounts.services import profile as service
from accounts.views.login import IP_BLOCKED_MESSAGE, lock_end
from delegations.access import own_account_only

MENU = {"active_menu": "informations"}
LOCKED = gettext_lazy(
    "Trop d'essais avec un mot de passe incorrect : votre identifiant est verrouillé. "
    "Réessayez à partir de %(time)s."
)
LOCKED_TOMORROW = gettext_lazy(
    "Trop d'essais avec un mot de passe incorrect : votre identifiant est verrouillé. "
    "Réessayez demain à partir de %(time)s."
)


def _checked(request, user, form) -> bool:
    """The form's fields valid, then the current password checked through the authentication
    gate (counted with the login's failures; not checked at all while the identifier is
    locked)."""
    if not form.is_valid():
        return False
    outcome = service.check_current_password(request, user, form.cleaned_data["current_password"])
    if outcome == gate.OK:
        return True
    if outcome == gate.FAILED:
        form.add_error("current_password", ValidationError(WRONG_CURRENT_PASSWORD, code="wrong"))
    elif outcome == gate.IP_BLOCKED:
        form.add_error(None, IP_BLOCKED_MESSAGE)
    else:
        time, tomorrow = lock_end(user.nir)
        form.add_error(None, (LOCKED_TOMORROW if tomorrow else LOCKED) % {"time": time})
    return False


def _format(number: str) -> str:
    if not number:
        return ""
    try:
        return phones.format_phone(number)
    except Exception:  # noqa: BLE001 - an odd stored value is shown as it is
        return number


@never_cache
@login_required
@require_GET
def informations(request):
    user = own_account_only(request).titulaire
    return render(
        request,
        "accounts/profile/informations.html",
        {
            **MENU,
            "titulaire": user,
            "landline": _format(user.landline),
            "mobile": _format(user.mobile),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def phones_view(request):
    user = own_account_only(request).titulaire
    initial = {"landline": user.landline, "mobile": user.mobile}
    form = PhonesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        service.change_phones(
            request,
            user,
            form.cleaned_data["landline"],
            form.cleaned_data["mobile"],
        )
        messages.success(request, _("Vos numéros de téléphone ont été enregistrés."))
        return redirect("accounts:informations")
    return render(
        request,
        "accounts/profile/phones.html",
        {**MENU, "form": form},
        status=400 if form.errors else 200,
    )


@sensitive_post_parameters("current_password")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_view(request):
    user = own_account_only(request).titulaire
    form = EmailChangeForm(user, request.POST or None)
    if request.method == "POST" and _checked(request, user, form):
        if service.email_change_limited(user):
            form.add_error(
                None,
                _("Vous avez demandé trop de changements d'adresse. Réessayez dans une heure."),
            )
        else:
            service.request_email_change(request, user, form.cleaned_data["email"])
            messages.success(
                request,
                _(
                    "Un courriel contenant un lien de confirmation a été envoyé à votre nouvelle "
                    "adresse. Votre adresse ne changera que lorsque vous aurez ouvert ce lien "
                    "(valable 24 heures)."
                ),
            )
            return redirect("accounts:informations")
    return render(
        request,
        "accounts/profile/email.html",
        {**MENU, "form": form},
        status=400 if form.errors else 200,
    )


@never_cache
@require_GET
def email_land(request, token):
    """Keep the link's token in the session and take it out of the address bar."""
    request.session[service.SESSION_EMAIL_TOKEN] = token[:600]
    return redirect("accounts:email_confirm")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def email_confirm(request):
    user = own_account_only(request).titulaire
    token = request.session.get(service.SESSION_EMAIL_TOKEN, "")
    new_email = service.read_email_token(token, user)
    if new_email is None:
        request.session.pop(service.SESSION_EMAIL_TOKEN, None)
        return render(request, "accounts/profile/email_invalid.html", MENU, status=400)
    if request.method == "POST":
        if service.apply_email_change(request, user, token) is None:
            return render(request, "accounts/profile/email_invalid.html", MENU, status=400)
        messages.success(request, _("Votre adresse de courriel a été modifiée."))
        return redirect("accounts:informations")
    return render(request, "accounts/profile/email_confirm.html", {**MENU, "new_email": new_email})


@sensitive_post_parameters("current_password", "password1", "password2")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_view(request):
    user = own_account_only(request).titulaire
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and _checked(request, user, form):
        service.change_password(request, user, form.cleaned_data["password1"])
        messages.success(
            request,
            _(
                "Votre mot de passe a été modifié. Les autres sessions ouvertes sur votre "
                "compte ont été fermées."
            ),
        )
        return redirect("accounts:informations")
    return render(
        request,
        "accounts/profile/password.html",
        {**MENU, "form": form, "rules": PASSWORD_RULES},
        status=400 if form.errors else 200,
    )
