from django.urls import path

from demo import views

app_name = "demo"
urlpatterns = [
    path("boite-mail/", views.mailbox, name="mailbox"),
    path("boite-mail/<int:pk>/", views.mailbox_detail, name="mailbox_detail"),
    path("boite-mail/vider/", views.mailbox_clear, name="mailbox_clear"),
    path("numero-fictif/", views.nir_generator, name="nir"),
]
