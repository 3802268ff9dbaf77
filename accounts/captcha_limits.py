"""Per-address limits on the captcha's anonymous work (issue 12, L4).

Every new challenge is a database row (django-simple-captcha's `CaptchaStore`, 20 minutes, then
removed by `purge_expired_signups`), and every image is drawn by Pillow: without a limit, one
address could fill the table and the CPU (150 refreshes, 150 rows). Counted per client address
(`ratelimit.client_ip`, through the trusted proxies) in the shared cache:

- new challenges: the refresh addresses (ours and the library's) and the signup step that shows
  the captcha (each display draws a new challenge);
- images: the library's image addresses.

The audio version has its own, tighter limit (`accounts.views.signup.CAPTCHA_AUDIO_LIMIT`).
"""

from functools import wraps

from captcha import views as captcha_views
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import re_path
from django.utils.translation import gettext as _

from accounts import captcha_image
from cpf_portal import ratelimit

# A person needs a few challenges; a training room shares one address: a few dozen people, a
# few each, in an hour. The rows one address can create are bounded by this figure per hour.
NEW_CHALLENGE_LIMIT = ratelimit.Limit("captcha_new_ip", max_hits=300, window_seconds=3600)
# Two images per challenge at most (the page, a reload).
IMAGE_LIMIT = ratelimit.Limit("captcha_image_ip", max_hits=600, window_seconds=3600)


def limited_message() -> str:
    return _(
        "Trop de contrôles de sécurité ont été demandés depuis cette connexion. "
        "Merci de réessayer dans une heure."
    )


def too_many(request):
    if "application/json" in request.headers.get("Accept", "") or (
        request.headers.get("x-requested-with") == "XMLHttpRequest"
    ):
        return JsonResponse({"erreur": limited_message()}, status=429)
    return render(
        request,
        "accounts/signup/captcha_limited.html",
        {"message": limited_message()},
        status=429,
    )


def limited_per_ip(limit: ratelimit.Limit):
    """Count the request against `limit` for the client's address; over it, a French 429."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if ratelimit.hit_and_check(limit, ratelimit.client_ip(request)):
                response = too_many(request)
                response["Cache-Control"] = "no-store"
                return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# django-simple-captcha's own addresses (captcha.urls), same names, each behind its limit; the
# image is the portal's own drawing (accounts/captcha_image.py).
urlpatterns = [
    re_path(
        r"image/(?P<key>\w+)/$",
        limited_per_ip(IMAGE_LIMIT)(captcha_image.captcha_image),
        name="captcha-image",
        kwargs={"scale": 1},
    ),
    re_path(
        r"image/(?P<key>\w+)@2/$",
        limited_per_ip(IMAGE_LIMIT)(captcha_image.captcha_image),
        name="captcha-image-2x",
        kwargs={"scale": 2},
    ),
    re_path(
        r"audio/(?P<key>\w+).wav$",
        limited_per_ip(IMAGE_LIMIT)(captcha_views.captcha_audio),
        name="captcha-audio",
    ),
    re_path(
        r"refresh/$",
        limited_per_ip(NEW_CHALLENGE_LIMIT)(captcha_views.captcha_refresh),
        name="captcha-refresh",
    ),
]
