from django.urls import path

from hours import views

# Included under the namespace "hours" with space.urls.hours_urlpatterns (the hours page,
# cpf_portal/urls.py).
urlpatterns = [
    path("dif/", views.dif, name="dif"),
    path("dif/attestation/", views.attestation, name="attestation"),
]
