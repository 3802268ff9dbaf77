from django.urls import path

from catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.search, name="search"),
    path("<str:code>/", views.training_detail, name="training"),
]
