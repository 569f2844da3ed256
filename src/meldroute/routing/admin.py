"""Route versions in Django's admin, read-only: routes change through the meldroute pages, which version and audit."""

from django.contrib import admin

from .models import RouteDefinition, RouteStep


class RouteStepInline(admin.TabularInline):
    model = RouteStep
    fields = ("position", "number", "key", "title", "actor", "action", "target", "conditions", "deadline_hours",
              "deadline_working_days")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RouteDefinition)
class RouteDefinitionAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "version", "is_active", "preset", "created_at"]
    list_filter = ["region", "is_active"]
    readonly_fields = ["region", "name", "preset", "description", "source", "version", "is_active"]
    inlines = [RouteStepInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
