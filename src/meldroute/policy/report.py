"""Policy's sections of the evaluation report (monitoring.report_sections): basisniveau, actiepunten, trainings and
awareness, effort — for the report's municipality and period. Labels and counts only."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meldroute.monitoring.aggregates import Period
from meldroute.monitoring.report_sections import ReportSection, register_report_section
from meldroute.organisations.constants import Team
from meldroute.organisations.models import Organisation

from . import selectors
from .constants import ActionStatus, ActivityKind, Level, Part, Requirement
from .effort import effort_of
from .models import ActionPoint, Training


def _last_day(period: Period) -> date:
    return period.end - timedelta(days=1)


def basisniveau_section(municipality: Organisation, period: Period, kind: str) -> ReportSection:
    state = selectors.basisniveau_of(municipality, _last_day(period))
    rows = [[str(Requirement(r.requirement).label), str(Level(r.level).label),
             ", ".join(str(Part(p.part).label) for p in r.parts if not p.met) or "—"] for r in state.requirements]
    rows += [[g.goal.title, str(Level.MET.label if g.met else Level.NOT_MET.label), "—"] for g in state.goals]
    cadence = selectors.cadence_for(municipality.region)
    text = _("Stand op %(d)s: %(l)s.") % {"d": date_format(_last_day(period), "j F Y"),
                                          "l": str(Level(state.level).label).lower()}
    if cadence is not None:
        text += " " + _("De regio evalueert elke %(n)s maanden.") % {"n": cadence.every_months}
        if (next_on := cadence.next_evaluation_on()) is not None:
            text += " " + _("Volgende evaluatie: %(d)s.") % {"d": date_format(next_on, "j F Y")}
    return ReportSection("basisniveau", _("Basisniveau bestuurlijke aanpak mensenhandel"), text,
                         [_("Vereiste"), _("Stand"), _("Ontbreekt")], rows)


def actions_section(municipality: Organisation, period: Period, kind: str) -> ReportSection:
    actions = list(ActionPoint.objects.filter(Q(municipality__isnull=True) | Q(municipality=municipality),
                                              region_id=municipality.region_id))
    today = _last_day(period)
    rows = []
    for theme in sorted({a.theme for a in actions}):
        of_theme = [a for a in actions if a.theme == theme]
        rows.append([theme, str(len(of_theme)), str(sum(a.status == ActionStatus.DONE for a in of_theme)),
                     str(sum(a.status == ActionStatus.IN_PROGRESS for a in of_theme)),
                     str(sum(a.is_overdue(today) for a in of_theme))])
    return ReportSection("actions", _("Voortgang actiepunten"), "" if rows else _("Geen actiepunten vastgelegd."),
                         [_("Thema"), _("Actiepunten"), _("Gereed"), _("Loopt"), _("Over de termijn")], rows)


def trainings_section(municipality: Organisation, period: Period, kind: str) -> ReportSection:
    end = _last_day(period)
    trainings = Training.objects.filter(municipality=municipality, held_on__gte=period.start, held_on__lte=end)
    coverage = selectors.training_coverage(municipality, end)
    text = _("%(n)s trainingen met samen %(p)s deelnemers in deze periode; %(c)s van %(t)s frontlinieteams getraind "
             "in de 12 maanden tot %(d)s.") % {
        "n": trainings.count(), "p": sum(t.participants for t in trainings),
        "c": len(coverage.teams) - len(coverage.overdue), "t": len(coverage.teams), "d": date_format(end, "j F Y")}
    if coverage.overdue:
        text += " " + _("Nog te trainen: %(teams)s.") % {
            "teams": ", ".join(str(Team(t.team).label) for t in coverage.overdue)}
    rows = [[str(ActivityKind(k).label), str(n), str(c)]
            for k, n, c in selectors.activity_counts(municipality, period.start, end)]
    return ReportSection("trainings", _("Trainingen en bewustwording"), text,
                         [_("Activiteit"), _("Keren"), _("Aantal")], rows)


def effort_section(municipality: Organisation, period: Period, kind: str) -> ReportSection:
    rows = [[row.label, row.role, row.display] for row in effort_of(municipality, period.start, period.end)]
    return ReportSection("effort", _("Inspanningen en bevindingen"),
                         _("Uit de registratie in Meldroute, alleen aantallen."), [_("Inspanning"), _("Rol"),
                                                                                   _("Aantal")], rows)


register_report_section("policy_basisniveau", basisniveau_section)
register_report_section("policy_actions", actions_section)
register_report_section("policy_trainings", trainings_section)
register_report_section("policy_effort", effort_section)
