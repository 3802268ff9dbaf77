from django.urls import path

from delegations import views

app_name = "delegations"
urlpatterns = [
    path("", views.delegation_list, name="list"),
    path("<int:pk>/accepter/", views.accept, name="accept"),
    path("<int:pk>/refuser/", views.decline, name="decline"),
    path("<int:pk>/revoquer/", views.revoke, name="revoke"),
    path("<int:pk>/consulter/", views.act_for, name="act_for"),
    path("revenir-a-mon-compte/", views.stop, name="stop"),
]
