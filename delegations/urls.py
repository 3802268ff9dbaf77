from django.urls import path

from delegations import views

app_name = "delegations"
# Delegations are reached by their random token, never by their id (issue 12, L5).
urlpatterns = [
    path("", views.delegation_list, name="list"),
    path("<slug:token>/accepter/", views.accept, name="accept"),
    path("<slug:token>/refuser/", views.decline, name="decline"),
    path("<slug:token>/revoquer/", views.revoke, name="revoke"),
    path("<slug:token>/consulter/", views.act_for, name="act_for"),
    path("revenir-a-mon-compte/", views.stop, name="stop"),
]
