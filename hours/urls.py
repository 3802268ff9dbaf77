from django.urls import path

from hours import views

app_name = "hours"
urlpatterns = [
    path("", views.compte, name="compte"),
    path("dif/", views.dif, name="dif"),
    path("dif/attestation/", views.attestation, name="attestation"),
]
