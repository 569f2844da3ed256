"""URLs of the overleggen pages."""

from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("overleggen/", views.meeting_list, name="list"),
    path("overleggen/<uuid:meeting_uuid>/", views.meeting_detail, name="meeting"),
    path("overleggen/<uuid:meeting_uuid>/agenda-bijwerken/", views.compile_agenda, name="compile"),
    path("overleggen/<uuid:meeting_uuid>/punten/<uuid:item_uuid>/besluit/", views.decide, name="decide"),
    path("overleggen/<uuid:meeting_uuid>/afsluiten/", views.close, name="close"),
    path("overleggen/<uuid:meeting_uuid>/laten-vervallen/", views.cancel, name="cancel"),
    path("overleggen/<uuid:meeting_uuid>/notulen/", views.minutes, name="minutes"),
    path("overleggen/<uuid:meeting_uuid>/notulen.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("overleggen/<uuid:meeting_uuid>/aanwezigheid/", views.attendance, name="attendance"),
    path("overleggen/<uuid:meeting_uuid>/punten/<uuid:item_uuid>/uitnodigen/", views.invite, name="invite"),
    path("overleggen/<uuid:meeting_uuid>/punten/<uuid:item_uuid>/verplaatsen/", views.move, name="move"),
    path("overleggen/casus/<uuid:case_uuid>/agenderen/", views.request_case, name="request_case"),
]
