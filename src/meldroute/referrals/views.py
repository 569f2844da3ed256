"""Referral pages: the AF sends and follows up, the partner answers in the app or through a personal link."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role, is_af_of, role_required
from meldroute.audit.selectors import access_log_for
from meldroute.core.exceptions import DomainError
from meldroute.core.forms import add_domain_error
from meldroute.core.pagination import paginate
from meldroute.intake.selectors import get_signal_for
from meldroute.partners.selectors import describe_rules, partner_type_of

from . import selectors, services
from .constants import ReferralStatus
from .forms import AcceptForm, CompleteForm, MessageForm, ReferralFilterForm, ReferralForm, RejectForm, RevokeForm
from .models import Referral

# Each of the receiver's actions: its form, the service call, the success message.
RECEIVER_ACTIONS = {
    "accepteren": (AcceptForm, lambda r, d, **who: services.accept_referral(r, **who),
                   _("De doorverwijzing is geaccepteerd.")),
    "afwijzen": (RejectForm, lambda r, d, **who: services.reject_referral(r, reason=d["reason"], **who),
                 _("De doorverwijzing is afgewezen.")),
    "afronden": (CompleteForm,
                 lambda r, d, **who: services.complete_referral(r, outcome=d["outcome"], outcome_kind=d["outcome_kind"],
                                                                handed_to=d["handed_to"], **who),
                 _("De uitkomst is teruggemeld.")),
}
# Which of them fit the referral's status (the service checks again).
RECEIVER_ACTIONS_FOR = {ReferralStatus.IN_PROGRESS: ("accepteren", "afwijzen"), ReferralStatus.ACCEPTED: ("afronden",)}


def _receiver_forms(referral, bound=None, data=None):
    names = RECEIVER_ACTIONS_FOR.get(ReferralStatus(referral.status), ())
    return {name: RECEIVER_ACTIONS[name][0](data if name == bound else None, prefix=name) for name in names}


def _no_store(response):
    # Pages with shared data must not linger in caches, and a token in the address must not leak as a referrer.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response


# --- The AF sends a referral ---------------------------------------------------------------------

def _signal_of_own_municipality(user, signal_uuid, purpose):
    if not in_role(user, Role.AF, organisation=True):
        raise Http404  # not 403: other roles must not learn what exists
    return get_signal_for(user, signal_uuid, purpose=purpose, municipality_id=user.organisation_id)


@login_required
@require_http_methods(["GET", "POST"])
def new_referral(request, signal_uuid):
    signal = _signal_of_own_municipality(request.user, signal_uuid, purpose="doorverwijzen naar ketenpartner")
    region = signal.municipality.region_id
    organisations, entries = selectors.receivers_for(region)
    form = ReferralForm(request.POST or None, organisations=organisations, entries=entries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.create_referral(
                signal, actor=request.user, purpose=data["purpose"], legal_ground=data["legal_ground"],
                categories=data["categories"], note=data["note"],
                confirm_duplicate=bool(data.get("confirm_duplicate")), **form.receiver_kwargs())
        except DomainError as error:
            if error.code == "duplicate_referral":
                form.offer_duplicate()
            add_domain_error(form, error)
            signal.refresh_from_db()
        else:
            messages.success(request, _("De doorverwijzing is verstuurd naar %(name)s.")
                             % {"name": referral.receiver_name})
            return redirect("referrals:detail", referral_uuid=referral.uuid)
    rules = ([(o.name, describe_rules(region, partner_type_of(o))) for o in organisations]
             + [(e.name, describe_rules(region, e.partner_type)) for e in entries])
    return _no_store(render(request, "referrals/new.html", {"signal": signal, "form": form, "rules": rules}))


# --- Lists and detail ----------------------------------------------------------------------------

@login_required
@role_required(Role.PARTNER, Role.AF, organisation=True)
def referral_list(request):
    user = request.user
    filters = ReferralFilterForm(request.GET or None)
    if filters.is_bound:
        filters.is_valid()  # an invalid filter shows its message at the field and is left out
    referrals = selectors.filter_referrals(selectors.referral_list_for(user), **filters.filters())
    page = paginate(request, referrals, per_page=25)
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "referrals/list.html", {"page": page, "is_partner": user.has_role(Role.PARTNER),
                                                   "filters": filters, "filter_query": query.urlencode()})


_is_receiver = selectors.is_receiver


def _render_detail(request, referral: Referral, *, receiver_forms=None, revoke_form=None, new_link="",
                   message_form=None):
    user = request.user
    is_receiver = _is_receiver(user, referral)
    is_sender = (is_af_of(user, referral.signal.municipality_id)
                 and user.organisation_id == referral.sender_organisation_id)
    if is_receiver and not is_sender:
        view = selectors.receiver_view(referral)
        if view.revoked:
            # Revoked: the receiver sees that, and when — no facts, no shared data, no history with its texts. An
            # answer refused because of it keeps its reason on this page (the answer forms themselves are gone).
            refused = [form for form in (receiver_forms or {}).values() if form.is_bound and form.errors]
            return _no_store(render(request, "referrals/revoked.html",
                                    {"referral": referral, "view": view, "refused": refused}))
    context = {
        "referral": referral, "is_receiver": is_receiver, "is_sender": is_sender,
        "sections": referral.shared_sections(),
        "history": referral.status_changes.select_related("actor"),
        "receiver_forms": (receiver_forms or _receiver_forms(referral)) if is_receiver else {},
        "conversation": selectors.messages_of(referral, user),
        "message_form": (message_form or MessageForm(prefix="bericht"))
        if referral.status != ReferralStatus.REVOKED and (is_receiver or is_sender) else None,
    }
    if is_sender:
        context |= {"links": referral.links.all(), "revoke_form": revoke_form or RevokeForm(prefix="intrekken"),
                    "new_link": new_link, "access_log": access_log_for(referral.uuid, limit=30),
                    "link_days": services.link_days()}
    return _no_store(render(request, "referrals/detail.html", context))


@login_required
def referral_detail(request, referral_uuid):
    referral = selectors.get_referral_for(request.user, referral_uuid, purpose="doorverwijzing inzien")
    return _render_detail(request, referral)


@login_required
@require_POST
def referral_action(request, referral_uuid, action):
    referral = selectors.get_referral_for(request.user, referral_uuid, purpose="doorverwijzing behandelen")
    user = request.user
    try:
        if action in RECEIVER_ACTIONS:
            if not _is_receiver(user, referral):
                # The sender's page has no answer forms to show a refusal in; the service would refuse anyway.
                raise Http404
            form_class, perform, success = RECEIVER_ACTIONS[action]
            form = form_class(request.POST, prefix=action)
            if not form.is_valid():
                return _render_detail(request, referral, receiver_forms=_receiver_forms(referral, action, request.POST)
                                      | {action: form})
            try:
                perform(referral, form.cleaned_data, actor=user)
            except DomainError as error:
                if error.code == "forbidden":
                    raise
                add_domain_error(form, error)
                referral.refresh_from_db()
                return _render_detail(request, referral, receiver_forms=_receiver_forms(referral) | {action: form})
            messages.success(request, success)
        elif action == "intrekken":
            revoke_form = RevokeForm(request.POST, prefix="intrekken")
            if revoke_form.is_valid():
                try:
                    services.revoke_referral(referral, actor=user, reason=revoke_form.cleaned_data["reason"])
                except DomainError as error:
                    if error.code == "forbidden":
                        raise
                    revoke_form.add_error(None, error.message)
                    return _render_detail(request, referral, revoke_form=revoke_form)
                messages.success(request, _("De doorverwijzing is ingetrokken."))
        elif action == "bericht":
            message_form = MessageForm(request.POST, prefix="bericht")
            if not message_form.is_valid():
                return _render_detail(request, referral, message_form=message_form)
            try:
                services.post_message(referral, actor=user, text=message_form.cleaned_data["text"])
            except DomainError as error:
                if error.code == "forbidden":
                    raise
                add_domain_error(message_form, error)
                return _render_detail(request, referral, message_form=message_form)
            messages.success(request, _("Uw bericht is verstuurd."))
        elif action == "link":
            link, token = services.create_link(referral, actor=user)
            url = str(settings.MELDROUTE["BASE_URL"]) + reverse("referrals:public", args=[token])
            # Shown once, on this response only: the token is not stored and not put in a message cookie.
            return _render_detail(request, referral, new_link=url)
        else:
            raise Http404
    except DomainError as error:
        if error.code == "forbidden":
            raise Http404 from error  # not the receiver or the sender: they must not learn more
        messages.error(request, error.message)
    return redirect("referrals:detail", referral_uuid=referral.uuid)


@login_required
@require_POST
def revoke_link(request, referral_uuid, link_uuid):
    referral = selectors.get_referral_for(request.user, referral_uuid, purpose="persoonlijke link intrekken")
    link = referral.links.filter(uuid=link_uuid).first()
    if link is None:
        raise Http404
    try:
        services.revoke_link(link, actor=request.user)
    except DomainError as error:
        if error.code == "forbidden":
            raise Http404 from error
        messages.error(request, error.message)
    else:
        messages.success(request, _("De link is ingetrokken en werkt niet meer."))
    return redirect("referrals:detail", referral_uuid=referral.uuid)


# --- The personal link (no account) --------------------------------------------------------------

def _public(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return _no_store(response)


def _render_public(request, link, forms=None):
    referral = link.referral
    context = {"referral": referral, "link": link, "token": request.resolver_match.kwargs["token"],
               "sections": selectors.receiver_view(referral).sections(), "forms": forms or _receiver_forms(referral)}
    return _public(render(request, "referrals/public.html", context))


def _link_unavailable(request):
    """Unknown, expired, revoked, or its referral revoked: one Dutch page, 404, nothing of the content."""
    return _public(render(request, "referrals/link_unavailable.html", status=404))


@require_http_methods(["GET"])
def public_link(request, token):
    try:
        link = selectors.read_through_link(token)
    except selectors.LinkUnavailable:
        return _link_unavailable(request)
    return _render_public(request, link)


@require_POST
def public_link_action(request, token, action):
    try:
        link = selectors.read_through_link(token, purpose="doorverwijzing beantwoorden via persoonlijke link")
    except selectors.LinkUnavailable:
        return _link_unavailable(request)
    if action not in RECEIVER_ACTIONS:
        raise Http404
    form_class, perform, success = RECEIVER_ACTIONS[action]
    form = form_class(request.POST, prefix=action)
    if form.is_valid():
        try:
            perform(link.referral, form.cleaned_data, link=link)
        except DomainError as error:
            if error.code == "forbidden":
                return _link_unavailable(request)
            add_domain_error(form, error)
            link.referral.refresh_from_db()
            if selectors.receiver_view(link.referral).revoked:  # revoked while the receiver was answering
                return _link_unavailable(request)
        else:
            messages.success(request, success)
            return redirect("referrals:public", token=token)
    return _render_public(request, link, forms=_receiver_forms(link.referral) | {action: form})
