"""Reporter-facing pages: file a signal, the receipt, my signals, answer a question; attachment download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meldroute.accounts.constants import REPORTING_ROLES
from meldroute.accounts.permissions import role_required
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error
from meldroute.core.pagination import paginate

from . import selectors, services, thumbnails
from .forms import AnswerForm, SignalForm


@login_required
@require_http_methods(["GET", "POST"])
@role_required(*REPORTING_ROLES, organisation=True)  # User.can_report
def report_signal(request):
    if request.method == "POST":
        form = SignalForm(request.POST, request.FILES)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                signal = services.register_signal(
                    actor=request.user, municipality=request.user.organisation, is_acute=data.pop("is_acute"),
                    indicators=data.pop("indicators"), uploads=data.pop("attachments"), data=data)
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("intake:receipt", signal_uuid=signal.uuid)
    else:
        form = SignalForm(initial={"reporter_team": request.user.team})
    return render(request, "intake/report.html", {"form": form})


@login_required
def receipt(request, signal_uuid):
    signal = selectors.get_reported_signal_for(request.user, signal_uuid)
    # Acute: whom the alert reached (the AFs on duty, else their achtervang) and the number to call now.
    alerted = services.acute_alert_recipients(signal) if signal.is_acute else []
    return render(request, "intake/receipt.html", {"signal": signal, "alerted": alerted,
                                                   "acute_phone": signal.municipality.acute_phone})


@login_required
def my_signals(request):
    page = paginate(request, selectors.signals_reported_by(request.user), per_page=25)
    return render(request, "intake/mine.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def my_signal(request, signal_uuid):
    signal = selectors.get_reported_signal_for(request.user, signal_uuid)
    requests = list(signal.information_requests.all())
    open_request = next((r for r in requests if r.is_open), None)
    form = AnswerForm()
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if open_request is None:
            form.add_error(None, _("Er staat geen open vraag meer voor u klaar."))
        elif form.is_valid():
            try:
                services.answer_information_request(open_request, actor=request.user,
                                                    answer=form.cleaned_data["answer"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Dank u wel. Uw antwoord is doorgegeven aan de aandachtsfunctionaris."))
                return redirect("intake:my_signal", signal_uuid=signal.uuid)
    return render(request, "intake/my_signal.html", {
        "signal": signal, "open_request": open_request, "form": form,
        "feedback": signal.feedback.all(), "attachments": signal.attachments.all(),
        "answered": [r for r in requests if r.answered_at],
    })


@login_required
def download_attachment(request, attachment_uuid):
    attachment = selectors.get_attachment_for(request.user, attachment_uuid)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


@login_required
def attachment_thumbnail(request, attachment_uuid):
    """A small preview of an image attachment, under the same rule and access log as the file (the same selector);
    the generic icon for any other file, or for an image that cannot be read."""
    attachment = selectors.get_attachment_for(request.user, attachment_uuid, purpose="bijlage bekijken (miniatuur)")
    thumb = thumbnails.thumbnail_of(attachment)
    response = (HttpResponse(thumb, content_type="image/png") if thumb is not None
                else HttpResponse(thumbnails.icon(), content_type="image/svg+xml"))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def add_attachment(request, signal_uuid):
    signal = selectors.get_reported_signal_for(request.user, signal_uuid)
    uploads = request.FILES.getlist("attachments")
    try:
        services.add_attachments(signal, actor=request.user, uploads=uploads)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De bijlage is toegevoegd."))
    return redirect("intake:my_signal", signal_uuid=signal.uuid)
