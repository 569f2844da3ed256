"""Functional administration of the meeting series (configuration only; agendas and decisions go through the pages)."""

from typing import TYPE_CHECKING

from django.contrib import admin

from .models import MeetingSeries

if TYPE_CHECKING:  # django-stubs' ModelAdmin is generic over its model; Django's is not subscriptable
    _MeetingSeriesAdmin = admin.ModelAdmin[MeetingSeries]
else:
    _MeetingSeriesAdmin = admin.ModelAdmin


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(_MeetingSeriesAdmin):
    list_display = ["name", "kind", "region", "municipality", "cadence", "chair_organisation", "is_active"]
    list_filter = ["kind", "cadence", "region", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["participants"]
