from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("notificaties/", views.notification_list, name="list"),
    path("notificaties/alles-gelezen/", views.mark_all_read, name="mark_all_read"),
    path("notificaties/instellingen/", views.mail_settings, name="settings"),
    path("notificaties/<uuid:notification_uuid>/", views.open_notification, name="open"),
]
