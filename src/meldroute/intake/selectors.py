"""Access-checked reads of signals. Detail reads of personal data write an access-log entry."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.permissions import in_role
from meldroute.audit.services import record_access
from meldroute.audit.targets import target_of

from . import search_keys
from .constants import SignalStatus
from .models import Attachment, Feedback, InformationRequest, Signal

SEARCH_FIELDS = ("reference", "business_name", "kvk_number", "address", "postcode")


def signals_visible_to(user):
    """The scoped QuerySet. Lists built on it show no personal data, so they are not access-logged."""
    return Signal.objects.visible_to(user)


def get_signal_for(user, signal_uuid, *, purpose: str, municipality_id: int | None = None) -> Signal:
    """One signal with its personal data, if the user may see it (else 404). The read is logged."""
    qs = signals_visible_to(user)
    if municipality_id is not None:
        qs = qs.filter(municipality_id=municipality_id)
    signal = (qs.select_related("municipality", "reporter", "assigned_to",
                                "source_organisation")
              .filter(uuid=signal_uuid).first())
    if signal is None:
        raise Http404
    record_access(actor=user, target_type=target_of(signal), target_uuid=signal.uuid, fields=Signal.PERSONAL_FIELDS,
                  purpose=purpose)
    return signal


def questions_of(signal: Signal) -> list[InformationRequest]:
    """The questions to the reporter with who asked them. Read once per signal object: the AF's page shows them in a
    panel and on the timeline, from the same rows (Django's prefetch cache, which `refresh_from_db` empties)."""
    prefetch_related_objects([signal], Prefetch("information_requests",
                                                queryset=InformationRequest.objects.select_related("asked_by")))
    return list(signal.information_requests.all())


def feedback_of(signal: Signal) -> list[Feedback]:
    """The feedback given to the reporter with its author; read once per signal object, like questions_of."""
    prefetch_related_objects([signal], Prefetch("feedback", queryset=Feedback.objects.select_related("author")))
    return list(signal.feedback.all())


def get_reported_signal_for(user, signal_uuid) -> Signal:
    """A signal as its own reporter sees it (only what they filed, and the feedback written for them)."""
    signal = Signal.objects.reported_by(user).select_related("municipality").filter(uuid=signal_uuid).first()
    if signal is None:
        raise Http404
    record_access(actor=user, target_type=target_of(signal), target_uuid=signal.uuid, fields=Signal.PERSONAL_FIELDS,
                  purpose="eigen melding inzien")
    return signal


def signals_reported_by(user):
    """The reporter's own list: no personal data, with flags for feedback and open questions."""
    open_question = InformationRequest.objects.filter(signal=OuterRef("pk"), answered_at__isnull=True,
                                                      expired_at__isnull=True)
    return (Signal.objects.reported_by(user)
            .annotate(has_feedback=Exists(Feedback.objects.filter(signal=OuterRef("pk"))),
                      has_open_question=Exists(open_question))
            .only("uuid", "reference", "received_at", "status", "is_acute")
            .order_by("-received_at", "-id"))


def inbox_for(user, view: str = "attention", now=None, query: str = ""):
    """The AF's inbox: their municipality's signals, acute first, then oldest first.

    With a search `query`, all of the municipality's signals whose code contains it, or whose postcode, street,
    street and house number, KvK number or business name is it (intake.search_keys); the search itself is
    access-logged (what was searched in, not the words).
    """
    if not in_role(user, Role.AF, organisation=True):
        return Signal.objects.none()
    qs = signals_visible_to(user).filter(municipality_id=user.organisation_id)
    query = query.strip()
    if query:
        record_access(actor=user, target_type=target_of(Signal), target_uuid=None, fields=SEARCH_FIELDS,
                      purpose="zoeken in signalen")
        # The location fields are encrypted: they are met through their blind indexes (whole normalised values),
        # never by decrypting the table; only the code is matched in part.
        view = "all"
        qs = qs.filter(Q(reference__icontains=query) | search_keys.search_match(query))
    if view == "closed":
        qs = qs.filter(status__in=[SignalStatus.CLOSED, SignalStatus.CANCELLED])
    elif view == "feedback_overdue":
        qs = qs.feedback_overdue(now)
    elif view != "all":
        qs = qs.needing_attention()
        if view == "mine":
            qs = qs.filter(assigned_to=user)
        elif view == "unassigned":
            qs = qs.filter(assigned_to__isnull=True)
        elif view == "acute":
            qs = qs.filter(is_acute=True)
    return (qs.select_related("assigned_to")
            .only("uuid", "reference", "received_at", "status", "is_acute", "reporter_team", "channel",
                  "classified_forms", "deadline_at", "feedback_due_at", "feedback_sent_at", "assigned_to__first_name",
                  "assigned_to__last_name", "assigned_to__username", "assigned_to__absent_until",
                  "assigned_to__is_active")
            .order_by("-is_acute", "received_at", "id"))


def inbox_tab_counts(user, now=None) -> dict[str, int]:
    """How many signals each working tab holds, in one query over the signals still needing attention."""
    if not in_role(user, Role.AF, organisation=True):
        return {}
    now = now or timezone.now()
    qs = signals_visible_to(user).filter(municipality_id=user.organisation_id).needing_attention()
    return qs.aggregate(
        attention=Count("id"),
        mine=Count("id", filter=Q(assigned_to=user)),
        unassigned=Count("id", filter=Q(assigned_to__isnull=True)),
        acute=Count("id", filter=Q(is_acute=True)),
        feedback_overdue=Count("id", filter=Q(feedback_sent_at__isnull=True, feedback_due_at__lt=now)),
    )


def unhandled_acute_for(user):
    """Acute signals nobody has picked up yet: the banner on the inbox."""
    if not in_role(user, Role.AF, organisation=True):
        return Signal.objects.none()
    return (signals_visible_to(user).filter(municipality_id=user.organisation_id, is_acute=True,
                                            status=SignalStatus.RECEIVED)
            .only("uuid", "reference", "received_at").order_by("received_at"))


def get_attachment_for(user, attachment_uuid, purpose: str = "bijlage downloaden") -> Attachment:
    attachment = (Attachment.objects.filter(signal__in=signals_visible_to(user), uuid=attachment_uuid)
                  .select_related("signal").first())
    if attachment is None:
        raise Http404
    record_access(actor=user, target_type=target_of(attachment), target_uuid=attachment.uuid,
                  fields=["file"], purpose=purpose)
    return attachment
