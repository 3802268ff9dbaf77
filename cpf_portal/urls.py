from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts import captcha_limits
from pages import views as pages_views

admin.site.site_header = "Mon Compte Formation — administration"
admin.site.site_title = "Mon Compte Formation"
admin.site.index_title = "Espace opérateurs"

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("accounts.urls")),
    path("mon-compte/heures/", include("hours.urls")),
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
