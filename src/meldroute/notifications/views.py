"""The user's own notifications and mail choices. Every query is the user's own rows: there is nobody else's."""

from uuid import UUID

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meldroute.accounts.requests import AuthenticatedHttpRequest

from . import services
from .constants import Kind
from .models import Notification


@login_required
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(user=request.user)
    show_all = request.GET.get("weergave") == "alle"
    page = Paginator(mine if show_all else mine.unread(), 25).get_page(request.GET.get("pagina"))
    return render(request, "notifications/list.html", {"page": page, "show_all": show_all,
                                                       "view": "alle" if show_all else "",
                                                       "unread": mine.unread().count()})


@login_required
@require_POST
def open_notification(request: AuthenticatedHttpRequest, notification_uuid: UUID) -> HttpResponse:
    """Mark it read and go where it points (only a path on this site)."""
    notification = Notification.objects.filter(user=request.user, uuid=notification_uuid).first()
    if notification is None:
        raise Http404
    services.mark_read(request.user, notification.uuid)
    target = notification.link
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None) or not target.startswith("/"):
        target = "notifications:list"
    return redirect(target)


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.mark_read(request.user)
    messages.success(request, _("%(n)s notificaties als gelezen gemarkeerd.") % {"n": count})
    return redirect("notifications:list")


class MailChoicesForm(forms.Form):
    def __init__(self, *args: object, initial_choices: dict[str, bool], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for kind in Kind:
            self.fields[kind.value] = forms.BooleanField(label=kind.label, required=False,
                                                         initial=initial_choices[kind.value])


@login_required
def mail_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MailChoicesForm(request.POST or None, initial_choices=services.mail_choices(request.user))
    if request.method == "POST" and form.is_valid():
        services.set_mail_choices(request.user, {k: bool(v) for k, v in form.cleaned_data.items()})
        messages.success(request, _("Uw keuzes zijn opgeslagen."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form, "has_email": bool(request.user.email)})
