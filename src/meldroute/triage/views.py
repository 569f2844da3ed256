"""The AF's inbox and signal page. Each action is a plain form POST (htmx-boosted) that calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import role_required
from meldroute.accounts.requests import AuthenticatedHttpRequest
from meldroute.audit.selectors import access_log_for
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error
from meldroute.core.pagination import paginate
from meldroute.core.panels import PanelAction, panel_forms, submit
from meldroute.intake import selectors as intake_selectors
from meldroute.intake import timeline
from meldroute.intake.constants import ALLOWED_TRANSITIONS, Phenomenon, SignalStatus
from meldroute.partners.selectors import describe_rules, partner_type_of, phenomenon_receiver
from meldroute.referrals.selectors import receivers_for, referrals_of_signal
from meldroute.routing import selectors as routing_selectors
from meldroute.routing import services as routing_services

from . import services
from .forms import (
    AssignForm,
    BrpLookupForm,
    ClassificationForm,
    CloseForm,
    CompleteStepForm,
    EnrichmentForm,
    FeedbackForm,
    InformationRequestForm,
    KvkLookupForm,
    OutsideHandoverForm,
    PhenomenonChoiceForm,
    ReasonForm,
    ReferralHandoverForm,
    RouteForm,
)
from .linking import split_address
from .selectors import (
    add_inbox_summaries,
    classification_of,
    get_signal_for_triage,
    links_for,
    municipal_afs,
    notes_of,
    pattern_alerts_for,
)

INBOX_TABS = [
    ("attention", _("Te behandelen")),
    ("mine", _("Aan mij toegewezen")),
    ("unassigned", _("Niet toegewezen")),
    ("acute", _("Acuut")),
    ("feedback_overdue", _("Terugkoppeling te laat")),
    ("route_overdue", _("Routestap te laat")),
    ("closed", _("Afgesloten")),
    ("all", _("Alles")),
]


@login_required
@role_required(Role.AF, organisation=True)
def inbox(request):
    view = request.GET.get("weergave", "attention")
    if view not in dict(INBOX_TABS):
        view = "attention"
    now = timezone.now()
    query = request.GET.get("zoek", "")[:100]
    signals = intake_selectors.inbox_for(request.user, view, now=now, query=query)
    if view == "route_overdue" and not query:
        signals = routing_selectors.signals_with_overdue_steps(signals, now=now)
    page = paginate(request, routing_selectors.with_current_step(signals), per_page=25)
    add_inbox_summaries(list(page.object_list))  # the rows stay cached on the page: one query for all
    counts = intake_selectors.inbox_tab_counts(request.user, now=now)
    counts["route_overdue"] = routing_selectors.overdue_step_count(request.user, now=now)
    context = {
        "page": page, "view": view, "query": query, "now": now,
        "tabs": [(key, label, counts.get(key)) for key, label in INBOX_TABS],
        "acute_signals": list(intake_selectors.unhandled_acute_for(request.user)[:10]),
        "patterns": pattern_alerts_for(request.user, now=now),
    }
    return render(request, "triage/inbox.html", context)


@login_required
@role_required(Role.AF, organisation=True)
def acute_banner(request):
    """Polled by htmx on the inbox so a new acute signal shows without a reload."""
    return render(request, "triage/_acute_banner.html",
                  {"acute_signals": list(intake_selectors.unhandled_acute_for(request.user)[:10])})


def _forms_for(signal, data=None, which=None):
    """Fresh forms for every panel; the one named `which` is bound to the submitted data."""
    classification = classification_of(signal)
    initial_classification = {}
    if classification:
        initial_classification = {"assessment": classification.assessment, "exploitation_forms": classification.forms,
                                  "sector": classification.sector, "means_of_control": classification.means_of_control,
                                  "indicators": list(classification.indicators.all())}
    else:
        initial_classification = {"indicators": list(signal.indicators.all())}
    builders = {
        "assign": lambda d, p: AssignForm(d, prefix=p, afs=municipal_afs(signal.municipality_id),
                                          initial={"assignee": signal.assigned_to_id}),
        "enrich": lambda d, p: EnrichmentForm(d, prefix=p),
        "classify": lambda d, p: ClassificationForm(d, prefix=p, initial={**initial_classification,
                                                                           **routing_selectors.fact_initial(signal)}),
        "complete_step": lambda d, p: CompleteStepForm(d, prefix=p),
        "request_info": lambda d, p: InformationRequestForm(d, prefix=p),
        "route": lambda d, p: RouteForm(d, prefix=p, region=signal.municipality.region),
        "close": lambda d, p: CloseForm(d, prefix=p, open_steps=routing_selectors.open_step_choices(signal)),
        "feedback": lambda d, p: FeedbackForm(d, prefix=p),
        "reopen": lambda d, p: ReasonForm(d, prefix=p),
        "cancel": lambda d, p: ReasonForm(d, prefix=p),
        "lookup_brp": lambda d, p: BrpLookupForm(d, prefix=p, initial=_address_initial(signal)),
        "lookup_kvk": lambda d, p: KvkLookupForm(d, prefix=p, initial={"kvk_number": signal.kvk_number,
                                                                       "name": signal.business_name}),
    }
    forms = panel_forms(builders, data, which)
    return forms, classification


def _render_signal(request, signal, forms=None, classification=None):
    if forms is None:
        forms, classification = _forms_for(signal)
    route = routing_selectors.route_progress(signal)
    failed_step = forms["complete_step"].data.get("complete_step-step") if forms["complete_step"].errors else ""
    context = {
        "signal": signal, "forms": forms, "classification": classification,
        "reported_indicators": signal.indicators.all(),
        # The panels and the timeline share these reads (and the route's): one query each per page.
        "notes": notes_of(signal),
        "feedback": intake_selectors.feedback_of(signal),
        "requests": intake_selectors.questions_of(signal),
        # The full timeline: every app that records something about the signal adds its entries (intake.timeline).
        "history": timeline.timeline_for(request.user, signal),
        "timeline_kinds": timeline.KINDS,
        "attachments": signal.attachments.all(),
        "access_log": access_log_for(signal.uuid, limit=20),
        "links": links_for(request.user, signal),
        "referrals": referrals_of_signal(signal),
        "handovers": signal.handovers.select_related("referral", "handed_over_by"),
        "route": route,
        "can_complete_steps": True,  # the page is only reachable for an AF of the signal's municipality
        "failed_step": failed_step,
        # A refused step that is not (or no longer) a current one has no form of its own to show the message in.
        # (An empty or unknown step is such a one too.)
        "failed_step_elsewhere": bool(forms["complete_step"].errors) and failed_step not in {
            str(step.uuid) for step in (route.current if route else [])},
        "statuses": SignalStatus,
        "can_close": SignalStatus.CLOSED in _reachable(signal),
        "can_route": signal.status in (SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE, SignalStatus.REOPENED),
        "can_request": signal.status in (SignalStatus.RECEIVED, SignalStatus.IN_TRIAGE, SignalStatus.IN_ROUTE,
                                         SignalStatus.REOPENED) and signal.reporter_id is not None,
    }
    return render(request, "triage/signal.html", context)


def _reachable(signal):
    """States the AF can bring the signal to from here (a new signal is picked up implicitly first)."""
    targets = set(ALLOWED_TRANSITIONS[signal.status])
    if signal.status == SignalStatus.RECEIVED:
        targets |= ALLOWED_TRANSITIONS[SignalStatus.IN_TRIAGE]
    return targets


@login_required
def signal_detail(request, signal_uuid):
    signal = get_signal_for_triage(request.user, signal_uuid)
    return _render_signal(request, signal)


# Each action: which service call, and the success message.
ACTIONS: dict[str, PanelAction] = {
    "assign": (lambda s, u, d: services.assign_signal(s, actor=u, assignee=d["assignee"]),
               _("Het signaal is toegewezen.")),
    "enrich": (lambda s, u, d: services.add_enrichment_note(s, actor=u, source=d["source"], text=d["text"]),
               _("De verrijking is toegevoegd.")),
    "classify": (lambda s, u, d: services.classify_signal(
        s, actor=u, assessment=d["assessment"], forms=d["exploitation_forms"], sector=d["sector"],
        indicators=d["indicators"], means_of_control=d["means_of_control"],
        route_facts={"side": d["side"] or "unknown", "prostitution": d["prostitution"], "minor": d["minor"],
                     "meldcode": d["meldcode"]}), _("De classificatie is opgeslagen.")),
    "complete_step": (lambda s, u, d: routing_services.complete_step(
        routing_selectors.active_step_of(s, d["step"]), actor=u, note=d["note"]), _("De stap is afgerond.")),
    "request_info": (lambda s, u, d: services.request_information(
        s, actor=u, question=d["question"], days=d["days"]), _("De vraag is naar de melder gestuurd.")),
    "route": (lambda s, u, d: services.route_signal(s, actor=u, partner=d["partner"], text=d["text"]),
              _("Het signaal is doorgezet in de meldroute.")),
    "close": (lambda s, u, d: services.close_signal(s, actor=u, outcome=d["outcome"], text=d["text"],
                                                    end_steps=d["end_steps"] if "end_steps" in d else None,
                                                    end_reason=d.get("end_reason", "")),
              _("Het signaal is afgesloten.")),
    "feedback": (lambda s, u, d: services.give_feedback(s, actor=u, text=d["text"]),
                 _("De terugkoppeling staat klaar voor de melder.")),
    "reopen": (lambda s, u, d: services.reopen_signal(s, actor=u, text=d["text"]), _("Het signaal is heropend.")),
    "cancel": (lambda s, u, d: services.cancel_signal(s, actor=u, text=d["text"]), _("Het signaal is geannuleerd.")),
    "lookup_brp": (lambda s, u, d: services.lookup_brp(s, actor=u, **d),
                   _("Het antwoord van de BRP staat bij de verrijking.")),
    "lookup_kvk": (lambda s, u, d: services.lookup_kvk(s, actor=u, **d),
                   _("Het antwoord van de KvK staat bij de verrijking.")),
}


def _address_initial(signal):
    """The lookup form starts from the signal's address, so the AF only adds the purpose."""
    street, number = split_address(signal.address) or ("", "")
    return {"postcode": signal.postcode, "street": "" if signal.postcode else street,
            "house_number": "".join(c for c in number if c.isdigit()) or None}


@login_required
@require_POST
def signal_action(request, signal_uuid, action):
    signal = get_signal_for_triage(request.user, signal_uuid)
    if action not in ACTIONS:
        raise Http404
    forms, classification = _forms_for(signal, request.POST, which=action)
    if submit(request, ACTIONS[action], signal, forms[action]):
        return redirect("triage:signal", signal_uuid=signal.uuid)
    signal.refresh_from_db()
    # 200, not 400: the page with the field errors and the user's input is what htmx must swap in.
    return _render_signal(request, signal, forms=forms, classification=classification)


# --- "Geen mensenhandel, ander fenomeen": the hand-over page -------------------------------------------------------

REFERRAL, OUTSIDE = "doorverwijzing", "buiten"


@login_required
@require_http_methods(["GET", "POST"])
def handover(request: AuthenticatedHttpRequest, signal_uuid: str) -> HttpResponse:
    """Choose the phenomenon; the configured map proposes the receiver (partners.selectors.phenomenon_receiver); the
    AF sends it as a referral or records it as passed on outside Meldroute, and the signal is closed with it."""
    signal = get_signal_for_triage(request.user, signal_uuid)  # 404 unless the AF of its municipality; logged
    region = signal.municipality.region_id
    source = request.POST if request.method == "POST" else request.GET
    choose = PhenomenonChoiceForm(source if "fenomeen" in source else None)
    phenomenon = choose.cleaned_data["fenomeen"] if choose.is_valid() else ""
    context: dict[str, object] = {"signal": signal, "choose": choose, "phenomenon": phenomenon}
    if not phenomenon:
        return render(request, "triage/handover.html", context)
    proposal = phenomenon_receiver(region, phenomenon)
    mode = source.get("wijze") or (REFERRAL if proposal and proposal.partner_type else OUTSIDE)
    if mode not in (REFERRAL, OUTSIDE):
        mode = OUTSIDE
    data = request.POST if request.method == "POST" else None
    organisations, entries = receivers_for(region)
    form: ReferralHandoverForm | OutsideHandoverForm
    if mode == REFERRAL:
        proposed = ""
        if proposal and proposal.partner_type:
            proposed = next((f"org:{o.uuid}" for o in organisations if partner_type_of(o) == proposal.partner_type),
                            next((f"entry:{e.uuid}" for e in entries if e.partner_type == proposal.partner_type), ""))
        form = ReferralHandoverForm(data, organisations=organisations, entries=entries, initial={
            "receiver": proposed, "purpose": _("Overdracht: geen mensenhandel, wel %(phenomenon)s.")
            % {"phenomenon": Phenomenon(phenomenon).label}})
    else:
        form = OutsideHandoverForm(data, initial={"receiver_name": proposal.receiver_name if proposal else "",
                                                  "handed_over_on": timezone.localdate()})
    if data is not None and form.is_valid():
        values = dict(form.cleaned_data)
        try:
            if isinstance(form, ReferralHandoverForm):
                services.hand_over_signal(
                    signal, actor=request.user, phenomenon=phenomenon, text=values["text"],
                    purpose=values["purpose"], legal_ground=values["legal_ground"],
                    categories=values["categories"], **form.receiver_kwargs())
            else:
                services.hand_over_signal(
                    signal, actor=request.user, phenomenon=phenomenon, text=values["text"],
                    receiver_name=values["receiver_name"], contact=values["contact"],
                    handed_over_on=values["handed_over_on"])
        except DomainError as error:
            add_domain_error(form, error)
            signal.refresh_from_db()
        else:
            messages.success(request, _("Het signaal is doorgegeven en afgesloten."))
            return redirect("triage:signal", signal_uuid=signal.uuid)
    rules = []
    if mode == REFERRAL:
        rules = ([(o.name, describe_rules(region, partner_type_of(o))) for o in organisations]
                 + [(e.name, describe_rules(region, e.partner_type)) for e in entries])
    context |= {"proposal": proposal, "mode": mode, "form": form, "rules": rules,
                "other_mode": OUTSIDE if mode == REFERRAL else REFERRAL,
                "phenomenon_label": Phenomenon(phenomenon).label}
    return render(request, "triage/handover.html", context)
