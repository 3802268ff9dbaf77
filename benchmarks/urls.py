"""The portal's addresses plus a bare view (the bench's baseline): "ok" through the same
middleware, served by the same gunicorn. Loaded only by benchmarks/settings.py."""

from django.http import HttpResponse
from django.urls import path

from cpf_portal import urls as portal

BARE_PATH = "/__banc__/ok/"  # benchmarks/bench.py measures it


def bare(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


urlpatterns = [path(BARE_PATH.strip("/") + "/", bare), *portal.urlpatterns]
handler400 = portal.handler400
handler403 = portal.handler403
handler404 = portal.handler404
handler500 = portal.handler500
