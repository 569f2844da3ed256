"""Each role's work on its start page: one panel builder per role, each reading through the owning app's scoped
selectors (never an unscoped query), counts in a fixed number of queries whatever the number of rows, overdue first.

The registry itself lives in meldroute.core.home_panels so that lower apps (policy's basisniveau) can add a panel
without importing this app; `register` is re-exported here for the apps above.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from meldroute.accounts import selectors as account_selectors
from meldroute.accounts.constants import Role
from meldroute.audit.services import record_access
from meldroute.audit.targets import target_of
from meldroute.care import selectors as care_selectors
from meldroute.cases import selectors as case_selectors
from meldroute.cases.models import Case, CaseAction
from meldroute.core.home_panels import Figure, Panel, Row, register
from meldroute.meetings import selectors as meeting_selectors
from meldroute.meetings.constants import MeetingStatus
from meldroute.monitoring import aggregates
from meldroute.monitoring import selectors as monitoring_selectors
from meldroute.monitoring import tables as monitoring_tables
from meldroute.monitoring.constants import REPORT_HALF_YEAR, REPORT_YEAR
from meldroute.referrals import selectors as referral_selectors
from meldroute.referrals.constants import ReferralStatus
from meldroute.routing import drafts as route_drafts

__all__ = ["register", "register_builtin_panels"]

# How many rows a panel lists; the count above it tells how many there are in all.
LIMIT = 8
# A placement or bedenktijd ending within this many days is shown as "ending soon".
ENDING_SOON_DAYS = 14
# Why the action texts on the casusregisseur's home are read (access log).
ACTIONS_PURPOSE = "startpagina: eigen casussen en acties over de termijn"


# --------------------------------------------------------------------------- procesregisseur (and every table's seat)

def meetings_panel(user: Any, today: date) -> Panel | None:
    """The next meetings of the tables the user's organisation sits at, with the items waiting for a decision;
    a planned meeting whose date has passed (not yet closed) first."""
    planned = (meeting_selectors.meetings_visible_to(user)  # type: ignore[no-untyped-call]  # meetings not yet strict
               .filter(status=MeetingStatus.PLANNED)
               .select_related("series")
               .annotate(open_items=Count("items", filter=Q(items__decision="", items__moved_to__isnull=True)))
               .order_by("date", "id"))
    meetings = list(planned[:LIMIT])
    counts = planned.aggregate(total=Count("id", distinct=True),
                               overdue=Count("id", filter=Q(date__lt=today), distinct=True))
    waiting = sum(m.open_items for m in meetings)
    to_place = _waiting_for_agenda(user)
    rows = [Row(text=str(m.series.name), url=reverse("meetings:meeting", args=[m.uuid]), when=m.date,
                when_label=_("op"), overdue=m.date < today,
                detail=_("%(n)s agendapunten wachten op een besluit") % {"n": m.open_items} if m.open_items
                else _("Nog geen agendapunten"),
                badge=_("Niet afgesloten") if m.date < today else "")
            for m in meetings]
    return Panel(
        key="meetings", title=_("Komende overleggen"), order=10, rows=rows,
        figures=[Figure(counts["total"], _("gepland")),
                 Figure(counts["overdue"], _("datum verstreken, niet afgesloten"), alert=counts["overdue"] > 0),
                 Figure(waiting, _("agendapunten wachten op een besluit")),
                 *([Figure(to_place, _("signalen en casussen wachten op agendering"), alert=to_place > 0)]
                   if to_place is not None else [])],
        link_url=reverse("meetings:list"), link_label=_("Alle overleggen"),
        empty=_("Er zijn geen overleggen gepland."))


def _waiting_for_agenda(user: Any) -> int | None:
    """For the chair's organisation: signals whose route waits for one of its tables and cases brought to them, not
    yet on an agenda (None for who chairs no table). A few queries per table it chairs, none per signal or case."""
    chaired = [series for series in meeting_selectors.series_visible_to(user)  # type: ignore[no-untyped-call]
               .filter(is_active=True, chair_organisation_id=user.organisation_id)
               if meeting_selectors.is_chair(user, series)]
    if not chaired:
        return None
    return sum(int(meeting_selectors.waiting_steps_for(series).count())
               + int(meeting_selectors.pending_case_requests_for(series).count()) for series in chaired)


# --------------------------------------------------------------------------- partner contact

def referrals_panel(user: Any, today: date) -> Panel | None:
    """Referrals the partner's organisation has to answer, acute first, then the oldest."""
    received = referral_selectors.referrals_received_by(user)  # type: ignore[no-untyped-call]  # not yet strict
    waiting = received.filter(status=ReferralStatus.IN_PROGRESS)
    counts = waiting.aggregate(total=Count("id"), acute=Count("id", filter=Q(signal__is_acute=True)))
    in_hand = received.filter(status=ReferralStatus.ACCEPTED).count()
    listed = (waiting.only(*referral_selectors.LIST_FIELDS, "signal__is_acute")
              .order_by("-signal__is_acute", "created_at", "id")[:LIMIT])
    rows = [Row(text=_("Doorverwijzing bij signaal %(ref)s") % {"ref": r.signal.reference},
                url=reverse("referrals:detail", args=[r.uuid]), when=timezone.localdate(r.created_at),
                when_label=_("ontvangen op"), badge=_("Acuut") if r.signal.is_acute else "",
                urgent=r.signal.is_acute, detail=_("van %(sender)s") % {"sender": r.sender_name})
            for r in listed]
    return Panel(
        key="referrals", title=_("Doorverwijzingen om te beantwoorden"), order=10, rows=rows,
        figures=[Figure(counts["total"], _("te beantwoorden")),
                 Figure(counts["acute"], _("waarvan acuut"), alert=counts["acute"] > 0),
                 Figure(in_hand, _("geaccepteerd, in behandeling"))],
        link_url=reverse("referrals:list"), link_label=_("Alle doorverwijzingen"),
        empty=_("Er wachten geen doorverwijzingen op uw antwoord."))


# --------------------------------------------------------------------------- ketenregisseur

def regional_panel(user: Any, today: date) -> Panel | None:
    """This year's signals across the region, as the regional view shows them (suppressed: small cells hidden)."""
    table = monitoring_tables.regional_table(user, today.year, "acute")
    rows_shown = table.rows()
    total_label, total_values = rows_shown[-1]
    rows = [Row(text=str(label), detail=_("%(total)s signalen, waarvan %(acute)s acuut")
                % {"total": values[-1], "acute": values[0]})
            for label, values in rows_shown[:-1]]
    return Panel(
        key="regional", title=_("%(region)s in %(year)s") % {"region": table.region.name, "year": today.year},
        order=10, rows=rows,
        figures=[Figure(total_values[-1], _("signalen in de regio")), Figure(total_values[0], _("waarvan acuut"))],
        link_url=reverse("monitoring:regional"), link_label=_("Naar de regionale cijfers"),
        note=_("Kleine aantallen zijn afgeschermd, zoals in de regionale weergave."),
        empty=_("Nog geen signalen dit jaar."))


def basisniveau_placeholder_panel(user: Any, today: date) -> Panel | None:
    """Until `policy` registers its own panel under the key "basisniveau" (which replaces this one)."""
    return Panel(
        key="basisniveau", title=_("Basisniveau per gemeente"), order=20,
        note=_("Welke gemeenten aan het basisniveau voldoen, is hier nog niet te zien. De regionale cijfers geven "
               "intussen zicht op de signalen per gemeente."),
        link_url=reverse("monitoring:regional"), link_label=_("Naar de regionale cijfers"))


# --------------------------------------------------------------------------- burgemeester

def reports_panel(user: Any, today: date) -> Panel | None:
    """The latest reports of the municipality: this half year so far, the last complete half year and the last
    annual evaluation; and this year's figures so far."""
    municipality = monitoring_selectors.dashboard_municipality_for(user)
    figures = aggregates.signal_figures([municipality.pk], aggregates.Period.year(today.year))
    half = 1 if today.month <= 6 else 2
    previous = (today.year - 1, 2) if half == 1 else (today.year, 1)
    base = reverse("monitoring:report")
    rows = [
        Row(text=_("Halfjaarrapportage %(h)se helft %(y)s") % {"h": previous[1], "y": previous[0]},
            url=f"{base}?kind={REPORT_HALF_YEAR}&year={previous[0]}&half={previous[1]}",
            detail=_("Laatste volledige halfjaar")),
        Row(text=_("Jaarlijkse evaluatie %(y)s") % {"y": today.year - 1},
            url=f"{base}?kind={REPORT_YEAR}&year={today.year - 1}", detail=_("Het vorige kalenderjaar")),
        Row(text=_("Halfjaarrapportage %(h)se helft %(y)s") % {"h": half, "y": today.year},
            url=f"{base}?kind={REPORT_HALF_YEAR}&year={today.year}&half={half}",
            detail=_("Het lopende halfjaar, tot vandaag")),
    ]
    return Panel(
        key="reports", title=_("Rapportages %(m)s") % {"m": municipality.name}, order=10, rows=rows,
        figures=[Figure(figures.total, _("signalen in %(y)s tot nu toe") % {"y": today.year}),
                 Figure(figures.acute, _("waarvan acuut"))],
        link_url=reverse("monitoring:dashboard"), link_label=_("Naar het dashboard"))


# --------------------------------------------------------------------------- zorgcoördinator

def care_panel(user: Any, today: date) -> Panel | None:
    """Victims whose bedenktijd runs out (or ran out) and placements that end soon; shelter requests not yet taken."""
    victims = care_selectors.victims_for(user, today)
    soon = today + timedelta(days=ENDING_SOON_DAYS)
    rows: list[Row] = []
    bedenktijd = ending = 0
    for victim in victims:
        person, period, placement = victim["person"], victim["period"], victim["placement"]
        url = reverse("care:trajectory", args=[person.uuid])
        if period is not None and period.deadline >= today - timedelta(days=ENDING_SOON_DAYS):
            bedenktijd += period.deadline >= today
            rows.append(Row(text=str(person.pseudonym), url=url, when=period.deadline,
                            when_label=_("bedenktijd loopt af op") if period.deadline >= today
                            else _("bedenktijd liep af op"),
                            overdue=period.deadline < today,
                            badge=_("Loopt binnenkort af") if today <= period.deadline <= soon else ""))
        if placement is not None and placement.ended_on is not None and placement.ended_on <= soon:
            ending += 1
            rows.append(Row(text=str(person.pseudonym), url=url, when=placement.ended_on,
                            when_label=_("opvang eindigt op"), badge=_("Opvang eindigt"),
                            detail=str(placement.get_kind_display())))
    requests = care_selectors.placement_requests_for(user).filter(taken_at__isnull=True).count()
    return Panel(
        key="care", title=_("Slachtoffers: bedenktijd en opvang"), order=10, rows=rows,
        figures=[Figure(len(victims), _("slachtoffers in uw casussen")),
                 Figure(bedenktijd, _("met lopende bedenktijd")),
                 Figure(ending, _("opvang eindigt binnen %(d)s dagen") % {"d": ENDING_SOON_DAYS}, alert=ending > 0),
                 Figure(requests, _("opvangaanvragen niet opgepakt"), alert=requests > 0)],
        link_url=reverse("care:list"), link_label=_("Alle slachtoffers"),
        empty=_("Geen bedenktijd of opvang die binnenkort afloopt."))


# --------------------------------------------------------------------------- casusregisseur

def cases_panel(user: Any, today: date) -> Panel | None:
    """The user's own cases (team member or action owner), most overdue actions first, and the overdue actions of
    those cases with their text (read on cases the user sees whole; access-logged per case shown)."""
    mine = case_selectors.case_list_for(user, "mine", today=today)
    cases = list(mine[:LIMIT])
    total = mine.count()
    mine_pks = case_selectors.case_list_for(user, "mine", today=today).values("pk")
    overdue_count = CaseAction.objects.overdue(today).filter(case__in=mine_pks).count()
    # The texts only of cases the user sees whole; a zorgcoördinator who sees a case's care part only gets the count.
    whole = Case.objects.seen_whole_by(user).filter(pk__in=mine_pks)
    overdue = CaseAction.objects.overdue(today).filter(case__in=whole.values("pk"))
    actions = list(overdue.select_related("case").only("uuid", "description", "deadline", "owner_label",
                                                      "case__uuid", "case__reference")
                   .order_by("deadline", "id")[:LIMIT])
    for case_uuid in sorted({a.case.uuid for a in actions}, key=str):
        record_access(actor=user, target_type=target_of(Case), target_uuid=case_uuid, fields=("actions",),
                      purpose=ACTIONS_PURPOSE)
    rows = [Row(text=str(a.description), url=reverse("cases:detail", args=[a.case.uuid]), when=a.deadline,
                when_label=_("uiterlijk"), overdue=True,
                detail=_("Casus %(ref)s · %(owner)s") % {"ref": a.case.reference, "owner": a.owner_label})
            for a in actions]
    rows += [Row(text=_("Casus %(ref)s") % {"ref": c.reference}, url=reverse("cases:detail", args=[c.uuid]),
                 when=c.next_deadline, when_label=_("eerstvolgende actie uiterlijk"),
                 detail=str(c.get_status_display()),
                 badge=_("%(n)s acties over de termijn") % {"n": c.overdue_count} if c.overdue_count else "")
             for c in cases]
    return Panel(
        key="cases", title=_("Mijn casussen en acties"), order=10, rows=rows,
        figures=[Figure(total, _("eigen open casussen")),
                 Figure(overdue_count, _("acties over de termijn"), alert=overdue_count > 0)],
        note=(_("Acties op casussen die u alleen voor de zorg ziet, staan op de casuspagina.")
              if overdue_count and not actions else ""),
        link_url=reverse("cases:list") + "?weergave=mine", link_label=_("Alle eigen casussen"),
        empty=_("U heeft geen open casussen."))


# --------------------------------------------------------------------------- beheerder (and ketenregisseur)

def proposals_panel(user: Any, today: date) -> Panel | None:
    """Roles proposed by a beheerder and waiting for a second one's approval (not the user's own proposals)."""
    pending = account_selectors.pending_proposals(user)
    to_decide = pending.exclude(proposed_by=user)
    count, own = to_decide.count(), pending.filter(proposed_by=user).count()
    rows = [Row(text=_("%(user)s: %(role)s") % {"user": p.user.get_full_name() or p.user.username,
                                                  "role": p.get_role_display()},
                url=reverse("accounts:user", args=[p.user.uuid]), when=timezone.localdate(p.proposed_at),
                when_label=_("voorgesteld op"),
                detail=_("%(org)s · voorgesteld door %(by)s") % {
                    "org": p.user.organisation, "by": p.proposed_by.get_full_name() or p.proposed_by.username})
            for p in to_decide[:LIMIT]]
    return Panel(
        key="proposals", title=_("Gebruikers die wachten op goedkeuring"), order=10, rows=rows,
        figures=[Figure(count, _("rollen om goed te keuren"), alert=count > 0),
                 Figure(own, _("eigen voorstellen, wachten op een collega"))],
        link_url=reverse("accounts:users"), link_label=_("Naar gebruikers"),
        empty=_("Er wachten geen rollen op uw goedkeuring."))


def route_drafts_panel(user: Any, today: date) -> Panel | None:
    """The open change to the region's meldroute, waiting to be published or refused by someone else than its
    last editor."""
    region = user.organisation.region if user.organisation_id else None
    if region is None or not route_drafts.may_decide(user, region):
        return None
    draft = route_drafts.open_draft(region)
    rows = []
    own = False
    if draft is not None:
        editor = draft.drafted_by
        own = editor.pk == user.pk
        rows.append(Row(text=_("Concept van de meldroute van %(region)s") % {"region": region.name},
                        url=reverse("routing:draft", args=[draft.uuid]), when=timezone.localdate(draft.updated_at),
                        when_label=_("bijgewerkt op"),
                        detail=(_("Uw eigen concept: een collega publiceert of wijst af") if own else
                                _("Door %(who)s; wacht op publiceren of afwijzen")
                                % {"who": editor.get_full_name() or editor.username}),
                        badge="" if own else _("Te beoordelen")))
    return Panel(
        key="route_drafts", title=_("Meldroute-concepten"), order=30, rows=rows,
        figures=[Figure(len(rows), _("open concept"), alert=bool(rows) and not own)],
        link_url=reverse("routing:drafts"), link_label=_("Alle concepten"),
        empty=_("Er is geen open concept van de meldroute."))


def register_builtin_panels() -> None:
    register(Role.PROCESREGISSEUR, "meetings", meetings_panel, order=10)
    register(Role.PROCESREGISSEUR, "cases", cases_panel, order=20)
    register(Role.CASUSREGISSEUR, "cases", cases_panel, order=10)
    register(Role.CASUSREGISSEUR, "meetings", meetings_panel, order=20)
    register(Role.PARTNER, "referrals", referrals_panel, order=10)
    register(Role.PARTNER, "meetings", meetings_panel, order=20)
    register(Role.KETENREGISSEUR, "regional", regional_panel, order=10)
    register(Role.KETENREGISSEUR, "basisniveau", basisniveau_placeholder_panel, order=20, placeholder=True)
    register(Role.KETENREGISSEUR, "route_drafts", route_drafts_panel, order=30)
    register(Role.BURGEMEESTER, "reports", reports_panel, order=10)
    register(Role.ZORGCOORDINATOR, "care", care_panel, order=10)
    register(Role.ZORGCOORDINATOR, "cases", cases_panel, order=20)
    register(Role.BEHEERDER, "proposals", proposals_panel, order=10)
    register(Role.BEHEERDER, "route_drafts", route_drafts_panel, order=20)
