"""URLs of the partners app: the wegwijzer and the beheerder's receivers of another phenomenon."""

from django.urls import path

from . import views

app_name = "partners"
urlpatterns = [
    path("wegwijzer/", views.directory, name="directory"),
    path("beheer-fenomenen/", views.phenomenon_receivers_page, name="phenomena"),
    path("beheer-fenomenen/<slug:phenomenon>/standaard/", views.phenomenon_receiver_reset, name="phenomenon_reset"),
]
