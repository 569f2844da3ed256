"""Functional administration of regions and organisations (configuration, no case content)."""

from typing import TYPE_CHECKING

from django.contrib import admin

from .models import Organisation, Region

if TYPE_CHECKING:  # django-stubs' ModelAdmin is generic over its model; Django's is not subscriptable
    _RegionAdmin = admin.ModelAdmin[Region]
    _OrganisationAdmin = admin.ModelAdmin[Organisation]
else:
    _RegionAdmin = _OrganisationAdmin = admin.ModelAdmin


@admin.register(Region)
class RegionAdmin(_RegionAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Organisation)
class OrganisationAdmin(_OrganisationAdmin):
    list_display = ["name", "kind", "region", "code"]
    list_filter = ["kind", "region"]
    search_fields = ["name", "code"]
