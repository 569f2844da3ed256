"""Route versions in Django's admin, read-only: routes change through the meldroute pages, which version and audit."""

from typing import TYPE_CHECKING

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from .models import RouteDefinition, RouteStep

if TYPE_CHECKING:  # django-stubs' admin classes are generic over their models; Django's are not subscriptable
    _RouteStepInline = admin.TabularInline[RouteStep, RouteDefinition]
    _RouteDefinitionAdmin = admin.ModelAdmin[RouteDefinition]
else:
    _RouteStepInline, _RouteDefinitionAdmin = admin.TabularInline, admin.ModelAdmin


class RouteStepInline(_RouteStepInline):
    model = RouteStep
    fields = ("position", "number", "key", "title", "actor", "action", "target", "conditions", "deadline_hours",
              "deadline_working_days")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(RouteDefinition)
class RouteDefinitionAdmin(_RouteDefinitionAdmin):
    list_display = ["name", "region", "version", "is_active", "preset", "created_at"]
    list_filter = ["region", "is_active"]
    readonly_fields = ["region", "name", "preset", "description", "source", "version", "is_active"]
    inlines = [RouteStepInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
