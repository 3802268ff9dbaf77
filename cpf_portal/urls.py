from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import captcha_limits
from accounts import urls as accounts_urls
from hours import urls as hours_urls
from pages import views as pages_views
from space import urls as space_urls

admin.site.site_header = "Mon Compte Formation — administration"
admin.site.site_title = "Mon Compte Formation"
admin.site.index_title = "Espace opérateurs"

urlpatterns = [
    path("", include("pages.urls")),
    # mon CompteFormation's pages (space/) keep the names of their area: one namespace per
    # area a person sees, whichever app serves the page.
    path("", include((accounts_urls.urlpatterns + space_urls.account_urlpatterns, "accounts"))),
    path(
        "mon-compte/heures/",
        include((space_urls.hours_urlpatterns + hours_urls.urlpatterns, "hours")),
    ),
    path("mon-compte/dossiers/", include("dossiers.urls")),
    path("mon-compte/delegations/", include("delegations.urls")),
    path("formations/", include("catalogue.urls")),
    # django-simple-captcha's addresses, each limited per client address.
    path("captcha/", include(captcha_limits.urlpatterns)),
    path("admin/", admin.site.urls),
    path("favicon.ico", pages_views.favicon),
]

if settings.PORTAL_DEMO:
    urlpatterns.append(path("demo/", include("demo.urls")))

handler400 = "pages.views.bad_request"
handler403 = "pages.views.permission_denied"
handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
