from django.urls import path

from dossiers import views

app_name = "dossiers"
urlpatterns = [
    path("", views.dossier_list, name="list"),
    path("nouveau/", views.dossier_create, name="create"),
    path("<str:reference>/", views.dossier_detail, name="detail"),
    path("<str:reference>/modifier/", views.dossier_edit, name="edit"),
    path("<str:reference>/envoyer/", views.dossier_action, {"action": "submit"}, name="submit"),
    path("<str:reference>/annuler/", views.dossier_action, {"action": "cancel"}, name="cancel"),
    path("<str:reference>/supprimer/", views.dossier_action, {"action": "delete"}, name="delete"),
]
