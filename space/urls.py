"""mon CompteFormation's pages. They keep the names and addresses they had before this app
existed: cpf_portal/urls.py includes each list under the namespace of the area it belongs to
(`accounts:synthese`, `accounts:informations`…, `hours:compte`)."""

from django.urls import path

from space.views import hours, profile, synthesis

account_urlpatterns = [
    path("mon-compte/", synthesis.synthese, name="synthese"),
    path("mon-compte/informations-personnelles/", profile.informations, name="informations"),
    path("mon-compte/informations-personnelles/telephones/", profile.phones_view, name="phones"),
    path("mon-compte/informations-personnelles/courriel/", profile.email_view, name="email"),
    path(
        "mon-compte/informations-personnelles/courriel/confirmer/",
        profile.email_confirm,
        name="email_confirm",
    ),
    path(
        "mon-compte/informations-personnelles/courriel/confirmer/<str:token>/",
        profile.email_land,
        name="email_land",
    ),
    path(
        "mon-compte/informations-personnelles/mot-de-passe/",
        profile.password_view,
        name="password_change",
    ),
]

hours_urlpatterns = [
    path("", hours.compte, name="compte"),
]
