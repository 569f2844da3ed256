"""Reads for the AF's signal page and inbox: the signal, its classification, linked signals and pattern alerts."""

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.accounts.permissions import in_role
from meldroute.audit.services import record_access
from meldroute.intake.constants import SignalStatus
from meldroute.intake.models import Signal
from meldroute.intake.selectors import get_signal_for

from .constants import ExploitationForm, LinkKind
from .linking import ORIGIN_SIGNAL
from .models import Classification, EnrichmentNote, SignalLink

REGION_COUNT_PURPOSE = "koppelingen in andere gemeenten van de regio tellen"


def get_signal_for_triage(user: Any, signal_uuid: object) -> Signal:
    """A signal of the AF's own municipality; 404 for anyone else, checked before anything is read."""
    if not in_role(user, Role.AF, organisation=True):
        raise Http404
    return get_signal_for(user, signal_uuid, purpose="triage signaal", municipality_id=user.organisation_id)


def classification_of(signal: Signal) -> Classification | None:
    return Classification.objects.filter(signal=signal).prefetch_related("indicators").first()


def notes_of(signal: Signal) -> list[EnrichmentNote]:
    """The signal's enrichment notes and lookups with their authors. Read once per signal object: the page's panel and
    its timeline show the same rows (Django's prefetch cache, which `refresh_from_db` empties)."""
    prefetch_related_objects([signal], Prefetch("enrichment_notes",
                                                queryset=EnrichmentNote.objects.select_related("author")))
    return list(signal.enrichment_notes.all())


def municipal_afs(municipality_id: int) -> QuerySet[User]:
    afs: QuerySet[User] = User.objects.with_role(Role.AF).filter(organisation_id=municipality_id).order_by("first_name")
    return afs


# --- Linking (SPEC B4) ----------------------------------------------------------------------------------------------

@dataclass
class LinkedSignal:
    signal: Signal
    kinds: list[str] = field(default_factory=list)  # "zelfde adres", ...


@dataclass
class Links:
    keys: list[tuple[str, str]]  # (kind label, what), this signal's own keys; a person shows no identifier
    same_municipality: list[LinkedSignal]
    region_count: int  # signals of other municipalities in the region: only counted, never shown


def links_for(user: Any, signal: Signal, limit: int = 50) -> Links:
    """Other signals sharing an address, business or person with `signal`, within what `user` may know.

    The caller has already read `signal` through a scoped selector. Signals of the own municipality are listed by
    code, date and status (no personal data); those of the region's other municipalities are only counted, so an AF
    knows to ask, and other regions are never consulted; the count is no oracle for typed values (_region_count).
    """
    own_keys = list(SignalLink.objects.filter(signal=signal).values_list("kind", "key", "label"))
    kind_labels = dict(LinkKind.choices)
    keys = [(str(kind_labels[kind]), label) for kind, _key, label in own_keys]
    if not own_keys:
        return Links(keys=keys, same_municipality=[], region_count=0)
    match = Q()
    for kind, key, _label in own_keys:
        match |= Q(kind=kind, key=key)
    sharing = SignalLink.objects.filter(match).exclude(signal_id=signal.pk)
    rows = (sharing.filter(municipality_id=signal.municipality_id, signal__in=Signal.objects.visible_to(user))
            .select_related("signal").only("kind", "signal__uuid", "signal__reference", "signal__received_at",
                                           "signal__status")
            .order_by("-signal__received_at", "signal_id")[:limit * 3])
    kind_order = {kind: position for position, kind in enumerate(kind_labels)}
    linked: dict[int, LinkedSignal] = {}
    kinds: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        linked.setdefault(row.signal_id, LinkedSignal(row.signal))
        kinds[row.signal_id].add(row.kind)
    for signal_id, item in linked.items():  # in LinkKind's order, whatever order the database returned the rows in
        item.kinds = [str(kind_labels[kind]) for kind in sorted(kinds[signal_id], key=kind_order.__getitem__)]
    return Links(keys=keys, same_municipality=list(linked.values())[:limit],
                 region_count=_region_count(user, signal))


def _region_count(user: Any, signal: Signal) -> int:
    """How many signals of the region's other municipalities share an identifier the signal itself carries.

    Not a membership oracle: only the keys built from the signal's own fields as its reporter gave them count
    (linking.ORIGIN_SIGNAL) — never a key from a register lookup (a BSN or KvK number the AF typed, or whatever the
    register answered) — and not at all on a signal the user filed themselves (they typed its address). Each count
    is access-logged: it says something about other municipalities' signals.
    """
    if signal.reporter_id is not None and signal.reporter_id == user.pk:
        return 0
    own_keys = list(SignalLink.objects.filter(signal=signal, origin=ORIGIN_SIGNAL).values_list("kind", "key"))
    if not own_keys:
        return 0
    match = Q()
    for kind, key in own_keys:
        match |= Q(kind=kind, key=key)
    count = (SignalLink.objects.filter(match, municipality__region_id=signal.municipality.region_id)
             .exclude(municipality_id=signal.municipality_id).values("signal_id").distinct().count())
    record_access(actor=user, target_type="triage.region_links", target_uuid=signal.uuid, fields=["region_count"],
                  purpose=REGION_COUNT_PURPOSE)
    return count


def months_before(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


@dataclass
class PatternAlert:
    kind: str
    label: str
    search: str  # what to type in the inbox search to find these signals
    count: int

    @property
    def kind_label(self) -> str:
        return str(LinkKind(self.kind).label)


@dataclass
class PatternAlerts:
    alerts: list[PatternAlert]
    min_signals: int
    months: int


def pattern_alerts_for(user: Any, now: datetime | None = None, limit: int = 10) -> PatternAlerts:
    """Addresses and businesses with many signals lately in the AF's municipality (one grouped query).

    Only the address or KvK number and a count are shown; the signals themselves are reached through the inbox
    search, which is access-logged. Cancelled signals (mistakes, duplicates) do not count.
    """
    config = settings.MELDROUTE
    min_signals, months = int(str(config.get("PATTERN_MIN_SIGNALS", 3))), int(str(config.get("PATTERN_MONTHS", 12)))
    if not in_role(user, Role.AF, organisation=True):
        return PatternAlerts([], min_signals, months)
    since = months_before(now or timezone.now(), months)
    # A link carries its signal's municipality and receipt time (triage.linking), so the cancelled signals to leave
    # out are the municipality's cancelled ones of the same period: a small partial index (intake's
    # signal_cancelled_idx), where a join to the signal table read the municipality's whole history.
    cancelled = Signal.objects.filter(municipality_id=user.organisation_id, status=SignalStatus.CANCELLED,
                                      received_at__gte=since).values("id")
    links = SignalLink.objects.filter(municipality_id=user.organisation_id,
                                      kind__in=[LinkKind.ADDRESS, LinkKind.BUSINESS], received_at__gte=since)
    # What to show of a key (its latest label and value), looked up for the shown keys only: PostgreSQL evaluates
    # these subqueries after the sort and limit, each reading one entry of signal_link_key_time_idx.
    latest = (SignalLink.objects.filter(municipality_id=user.organisation_id, kind=OuterRef("kind"),
                                        key=OuterRef("key")).order_by("-received_at"))
    # Counted from the index alone (signal_link_pattern_cover_idx: key and signal included), in a hash: a signal has
    # one link per kind and key (signal_link_unique), so counting links counts distinct signals.
    rows = (links.exclude(signal_id__in=cancelled)
            .values("kind", "key")
            .annotate(count=Count("signal_id"), latest=Max("received_at"))
            .filter(count__gte=min_signals)
            .order_by("-count", "-latest", "key")
            .annotate(label=Subquery(latest.values("label")[:1]), value=Subquery(latest.values("value")[:1]))
            [:limit])
    alerts = []
    for row in rows:
        # `key` is a blind index; the (encrypted) value it was made from is decrypted for these few rows only.
        value = row["value"] or ""
        if row["kind"] == LinkKind.BUSINESS:
            search = value
        elif value.startswith("pc:"):
            postcode = value.split(":")[1]
            search = f"{postcode[:4]} {postcode[4:]}"
        else:
            search = row["label"]
        alerts.append(PatternAlert(kind=row["kind"], label=row["label"], search=search[:100], count=row["count"]))
    return PatternAlerts(alerts, min_signals, months)


def add_inbox_summaries(signals: Sequence[Signal]) -> None:
    """Give each inbox row `summary`: what the signal is about, safe to show in a list — the forms of exploitation
    once classified, else the first signals the reporter ticked (the catalogue's words, never the reporter's own).
    One query, for the unclassified rows only."""
    labels = dict(ExploitationForm.choices)
    unclassified = [s.pk for s in signals if not s.classified_forms]
    ticked: dict[int, list[str]] = defaultdict(list)
    if unclassified:
        through = Signal.indicators.through.objects.filter(signal_id__in=unclassified)
        for signal_id, text in through.order_by("indicator__position", "indicator_id").values_list(
                "signal_id", "indicator__text"):
            ticked[signal_id].append(text)
    for signal in signals:
        if signal.classified_forms:
            signal.summary = ", ".join(str(labels.get(f, f)) for f in signal.classified_forms)  # type: ignore[attr-defined]
        else:
            texts = ticked[signal.pk]
            signal.summary = "; ".join(texts[:2]) + (" …" if len(texts) > 2 else "")  # type: ignore[attr-defined]

