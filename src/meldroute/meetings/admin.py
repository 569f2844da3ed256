"""Functional administration of the meeting series (configuration only; agendas and decisions go through the pages)."""

from django.contrib import admin

from .models import MeetingSeries


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "municipality", "cadence", "chair_organisation", "is_active"]
    list_filter = ["kind", "cadence", "region", "is_active"]
    search_fields = ["name"]
    filter_horizontal = ["participants"]
