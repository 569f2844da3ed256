"""The stock Django admin's site: open to active superusers only (a module of its own, so importing it registers
nothing and the admin can load it before any ModelAdmin)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class SuperuserAdminSite(admin.AdminSite):
    site_header = _("Meldroute — technisch beheer")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_superuser)
