"""The stock Django admin, for active superusers only. It can set no power: superuser, staff, permissions, groups and
roles are read-only here (roles go through the beheerder's pages and their two-person approval), and every change
that is saved is an event in the audit chain (accounts.receivers, with the superuser named as the actor)."""

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, User
from .safety_net import acting_as

if TYPE_CHECKING:  # django-stubs' admin classes are generic over their models; Django's are not subscriptable
    _TabularInline = admin.TabularInline[RoleAssignment, User]
    _DjangoUserAdmin = DjangoUserAdmin[User]
else:
    _TabularInline, _DjangoUserAdmin = admin.TabularInline, DjangoUserAdmin


class AuditedAdminMixin:
    """Saves and deletes through the admin name the superuser in the safety net's audit events."""

    def save_model(self, request: HttpRequest, obj: Model, form: BaseForm, change: bool) -> None:
        with acting_as(request.user):
            super().save_model(request, obj, form, change)  # type: ignore[misc]

    def save_related(self, request: HttpRequest, form: BaseForm, formsets: Any, change: bool) -> None:
        with acting_as(request.user):
            super().save_related(request, form, formsets, change)  # type: ignore[misc]

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        with acting_as(request.user):
            super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with acting_as(request.user):
            super().delete_queryset(request, queryset)  # type: ignore[misc]


class RoleAssignmentInline(_TabularInline):
    model = RoleAssignment
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(AuditedAdminMixin, _DjangoUserAdmin):
    inlines = [RoleAssignmentInline]
    list_display = ["username", "first_name", "last_name", "organisation", "team", "is_active"]
    list_filter = ["organisation", "role_assignments__role", "is_active"]
    readonly_fields = ["is_superuser", "is_staff", "groups", "user_permissions", "is_service_account", "last_login",
                       "date_joined"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Meldroute"), {"fields": ["organisation", "team", "absent_until", "is_service_account"]}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # accounts are made on the beheerder's pages, superusers with `createsuperuser`

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        with acting_as(request.user):  # the password a superuser sets for someone else is in the chain, with its name
            return super().user_change_password(request, id, form_url)
