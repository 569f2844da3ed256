"""The stock Django admin's site: open to active superusers only, and every view in it names the superuser as the
actor of the audit safety net's events (accounts.receivers). A module of its own, so importing it registers nothing
and the admin can load it before any ModelAdmin."""

from functools import wraps

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .safety_net import acting_as


class SuperuserAdminSite(admin.AdminSite):
    site_header = _("Meldroute — technisch beheer")

    def has_permission(self, request):
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_superuser)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def as_superuser(request, *args, **kwargs):
            with acting_as(request.user if request.user.is_authenticated else None):
                return inner(request, *args, **kwargs)

        return as_superuser
