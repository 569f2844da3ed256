"""The stock Django admin's site: open to active superusers only, and every view in it names the superuser as the
actor of the audit safety net's events (accounts.receivers). A module of its own, so importing it registers nothing
and the admin can load it before any ModelAdmin."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .safety_net import acting_as

_View = TypeVar("_View", bound=Callable[..., Any])


class SuperuserAdminSite(admin.AdminSite):
    site_header = _("Meldroute — technisch beheer")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_superuser)

    def admin_view(self, view: _View, cacheable: bool = False) -> _View:
        inner = super().admin_view(view, cacheable)

        @wraps(inner)
        def as_superuser(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            with acting_as(request.user if request.user.is_authenticated else None):
                return inner(request, *args, **kwargs)

        return cast(_View, as_superuser)
