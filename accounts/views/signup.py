"""The signup wizard (the 2015 portal's four steps), its tutorial and the captcha's helpers.

Views stay thin: the session state and the registration live in accounts.services.signup."""

from captcha.models import CaptchaStore
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from accounts.captcha_audio import clips_available, spoken_challenge
from accounts.captcha_limits import NEW_CHALLENGE_LIMIT, limited_per_ip
from accounts.forms.signup import (
    CguForm,
    IdentityForm,
    PasswordForm,
)
from accounts.services import signup as service
from cpf_portal import ratelimit

TUTORIAL_STEPS = (1, 2, 3)
STEP_LABELS = (
    (1, gettext_lazy("Valider les CGU")),
    (2, gettext_lazy("S'inscrire")),
    (3, gettext_lazy("Saisir son mot de passe")),
    (4, gettext_lazy("Valider son inscription")),
)
STEP_TITLES = {
    1: gettext_lazy("Valider les CGU"),
    2: gettext_lazy("S'inscrire"),
    3: gettext_lazy("Saisir son mot de passe"),
    4: gettext_lazy("Valider son inscription"),
}
LIMITED_MESSAGE = gettext_lazy(
    "Trop d'inscriptions ont été enregistrées depuis cette connexion. "
    "Merci de réessayer dans une heure."
)
STEP_TEMPLATES = {
    1: "accounts/signup/step_cgu.html",
    2: "accounts/signup/step_identity.html",
    3: "accounts/signup/step_password.html",
}


def _guard(request, step):
    """Redirect to the first incomplete step when `step` is reached too early."""
    target = service.Wizard(request.session).first_incomplete_url(step)
    if target is None:
        return None
    messages.warning(
        request, _("Merci de compléter d'abord cette étape pour poursuivre votre inscription.")
    )
    return redirect(target)


def _render_step(request, step, form, status=200, **extra):
    context = {
        "form": form,
        "step": step,
        "tutorial_step": step,
        "signup_steps": STEP_LABELS,
        "step_title": STEP_TITLES[step],
        **extra,
    }
    return render(request, STEP_TEMPLATES[step], context, status=status)


@never_cache
def step_cgu(request):
    wizard = service.Wizard(request.session)
    if request.method == "POST":
        form = CguForm(request.POST)
        if form.is_valid():
            wizard.accept_cgu()
            return redirect("accounts:signup_identity")
        if wizard.cgu_accepted:
            wizard.withdraw_cgu()
    else:
        form = CguForm(initial={"accept": wizard.cgu_accepted})
    return _render_step(request, 1, form)


def _typed_identity(post) -> dict:
    values = {name: post.get(name, "") for name in service.IDENTITY_FIELDS}
    values["apprentice"] = post.get("apprentice") in {"on", "true", "1"}
    values["email_confirmation"] = post.get("email_confirmation", "")
    return values


@never_cache
@sensitive_post_parameters()
@limited_per_ip(NEW_CHALLENGE_LIMIT)  # each display draws a new captcha challenge
def step_identity(request):
    if response := _guard(request, 2):
        return response
    wizard = service.Wizard(request.session)
    if request.method == "POST":
        if "back" in request.POST:
            wizard.save_identity_draft(_typed_identity(request.POST))
            return redirect("accounts:signup_cgu")
        if "refresh" in request.POST:
            # New characters; what was typed is shown again, without any error message.
            form = IdentityForm(initial=_typed_identity(request.POST))
            return _render_step(request, 2, form, refreshed=True)
        form = IdentityForm(request.POST)
        if form.is_valid():
            wizard.save_identity(form.cleaned_data)
            return redirect("accounts:signup_password")
        if wizard.identity:
            wizard.reject_identity()
    else:
        initial = dict(wizard.identity_initial())
        initial.setdefault("email_confirmation", initial.get("email", ""))
        form = IdentityForm(initial=initial)
    return _render_step(request, 2, form)


@never_cache
@sensitive_post_parameters()
def step_password(request):
    if response := _guard(request, 3):
        return response
    wizard = service.Wizard(request.session)
    identity = wizard.identity
    if request.method == "POST":
        if "back" in request.POST:
            return redirect("accounts:signup_identity")
        form = PasswordForm(identity, request.POST)
        if form.is_valid() and service.signup_ip_limited(request):
            form.add_error(None, LIMITED_MESSAGE)
            return _render_step(request, 3, form, status=429)
        if form.is_valid():
            service.register(identity, form.cleaned_data["password1"], request=request)
            wizard.finish()
            return redirect("accounts:signup_done")
    else:
        form = PasswordForm(identity)
    return _render_step(request, 3, form)


@never_cache
def step_done(request):
    wizard = service.Wizard(request.session)
    if not wizard.pop_done():
        return redirect(service.STEP_URLS[min(wizard.steps_done(), 2)])
    return render(
        request,
        "accounts/signup/step_done.html",
        {"step": 4, "signup_steps": STEP_LABELS, "step_title": STEP_TITLES[4]},
    )


@require_POST
def cancel(request):
    service.Wizard(request.session).clear()
    messages.info(request, _("Votre inscription a été annulée ; aucune donnée n'a été conservée."))
    return redirect("pages:home")


@require_GET
def tutorial(request, step):
    if step not in TUTORIAL_STEPS:
        raise Http404
    return render(
        request,
        "accounts/signup/tutorial.html",
        {"tutorial_step": step, "back_url": reverse(service.STEP_URLS[step - 1])},
    )


# Captcha: audio alternative (RGAA 1.5) and new characters.


# Each audio version joins recorded clips (cheap), but is a CaptchaStore lookup and ~15 s of
# sound: a few per person, not a flood.
CAPTCHA_AUDIO_LIMIT = ratelimit.Limit("captcha_audio_ip", max_hits=60, window_seconds=3600)


@require_GET
def captcha_audio(request, key):
    if ratelimit.hit_and_check(CAPTCHA_AUDIO_LIMIT, ratelimit.client_ip(request)):
        return render(request, "accounts/signup/captcha_audio_unavailable.html", status=429)
    # Security clock: the challenge's 20 minutes follow the real time.
    store = CaptchaStore.objects.filter(hashkey=key, expiration__gt=timezone.now()).first()
    if store is None:
        raise Http404
    if not clips_available():  # a checkout without its clips: say so, never a 500
        return render(request, "accounts/signup/captcha_audio_unavailable.html", status=503)
    audio = spoken_challenge(store.challenge)
    response = HttpResponse(audio, content_type="audio/wav")
    disposition = "attachment" if request.GET.get("telecharger") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="controle-de-securite.wav"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@limited_per_ip(NEW_CHALLENGE_LIMIT)
def captcha_refresh(request):
    """JSON for signup.js (new key, image and audio addresses); without JS, back to step 2."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not wants_json:
        return redirect("accounts:signup_identity")
    key = CaptchaStore.generate_key()
    response = JsonResponse(
        {
            "key": key,
            "image_url": reverse("captcha-image", kwargs={"key": key}),
            "audio_url": reverse("accounts:captcha_audio", kwargs={"key": key}),
        }
    )
    response["Cache-Control"] = "no-store"
    return response
