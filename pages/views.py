"""Home, information pages and error pages."""

from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from pages.content import PAGES, breadcrumbs, get_page

# Last resort when even pages/500.html cannot be rendered (e.g. a missing static manifest).
FALLBACK_500 = (
    '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
    "<title>Erreur du service — moncompteformation</title></head><body><main>"
    "<h1>Le service rencontre un problème</h1><p>Une erreur inattendue nous empêche d'afficher "
    'cette page. Réessayez dans quelques minutes.</p><p><a href="/">Revenir à la page '
    "d'accueil</a></p></main></body></html>"
)


def home(request):
    return render(request, "pages/home.html")


def info(request, slug):
    page = get_page(slug)
    if page is None:
        raise Http404(_("Cette page d'information n'existe pas."))
    context = {"page": page, "trail": breadcrumbs(page), "pages": PAGES}
    return render(request, page.template, context)


def favicon(request):
    """Browsers ask for /favicon.ico by themselves (admin pages, feeds): the portal's icon.
    The static URL is resolved per request: in production it needs collectstatic's manifest."""
    return redirect(static("img/favicon.svg"), permanent=True)


def _error(request, status, title, message):
    context = {"title": title, "message": message, "status": status}
    return render(request, "pages/error.html", context, status=status)


@requires_csrf_token
def bad_request(request, exception=None):
    return _error(
        request,
        400,
        _("Requête incorrecte"),
        _("Votre navigateur a envoyé une demande que le portail ne peut pas traiter."),
    )


@requires_csrf_token
def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        _("Accès refusé"),
        _(
            "Vous n'avez pas le droit de consulter cette page. Si vous pensez que c'est une "
            "erreur, reconnectez-vous à votre espace."
        ),
    )


@requires_csrf_token
def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        _("Page introuvable"),
        _(
            "La page que vous cherchez n'existe pas ou n'existe plus. Vérifiez l'adresse "
            "saisie, ou repartez de la page d'accueil."
        ),
    )


def method_not_allowed(request):
    """Not a Django handler: pages.middleware renders it for the empty 405 of require_POST."""
    return _error(
        request,
        405,
        _("Action impossible depuis cette adresse"),
        _(
            "Cette action se fait par un bouton du portail, pas en ouvrant son adresse. "
            "Revenez à la page précédente et utilisez le bouton prévu."
        ),
    )


def server_error(request):
    """No request context and no database: the error may come from either."""
    try:
        html = loader.get_template("pages/500.html").render()
    except Exception:  # noqa: BLE001 — the error page itself must never fail
        html = FALLBACK_500
    return HttpResponseServerError(html)


def csrf_failure(request, reason="", template_name=None):
    """settings.CSRF_FAILURE_VIEW: a form sent too late or from an old tab. The reason is not
    shown (it would only confuse) and the response is a 403."""
    template = loader.get_template("pages/csrf_failure.html")
    return HttpResponse(template.render({"status": 403}, request), status=403)
