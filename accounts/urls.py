from django.urls import path

from accounts.views import confirmation, login, reset, signup

# Included under the namespace "accounts" with space.urls.account_urlpatterns (cpf_portal/urls.py).
urlpatterns = [
    # Espace Titulaire: login and logout
    path("espace-titulaire/", login.login_view, name="login"),
    path("deconnexion/", login.logout_view, name="logout"),
    # Signup wizard (the 4 steps of docs/RULES.md)
    path("inscription/", signup.step_cgu, name="signup_cgu"),
    path("inscription/identite/", signup.step_identity, name="signup_identity"),
    path("inscription/mot-de-passe/", signup.step_password, name="signup_password"),
    path("inscription/enregistree/", signup.step_done, name="signup_done"),
    path("inscription/annuler/", signup.cancel, name="signup_cancel"),
    path("inscription/tutoriel/<int:step>/", signup.tutorial, name="signup_tutorial"),
    path("inscription/captcha/audio/<str:key>/", signup.captcha_audio, name="captcha_audio"),
    path("inscription/captcha/nouveau/", signup.captcha_refresh, name="captcha_refresh"),
    # Confirmation link: the token leaves the address bar at once
    path("inscription/confirmer/<str:token>/", confirmation.land, name="confirm_land"),
    path("inscription/confirmer/", confirmation.confirm, name="confirm"),
    path("inscription/nouveau-lien/", confirmation.resend, name="resend_link"),
    # Mot de passe oublié
    path("mot-de-passe-oublie/", reset.request_reset, name="reset_request"),
    path("mot-de-passe-oublie/envoye/", reset.reset_sent, name="reset_sent"),
    path("mot-de-passe-oublie/lien/<str:token>/", reset.reset_land, name="reset_land"),
    path("mot-de-passe-oublie/nouveau/", reset.reset_set, name="reset_set"),
]
