"""URLs of the partners app: the wegwijzer."""

from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("wegwijzer/", views.directory, name="directory"),
]
