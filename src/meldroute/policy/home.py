"""The ketenregisseur's start-page panel "basisniveau" (core.home_panels): which municipalities of the region meet
the basisniveau and since when, from the stored level history — one query whatever the number of municipalities."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from meldroute.core.home_panels import Figure, Panel, Row

from . import selectors
from .constants import Level, Requirement
from .models import LevelChange


def basisniveau_panel(user: Any, today: date) -> Panel | None:
    if not selectors.is_ketenregisseur(user):
        return None
    latest = LevelChange.objects.filter(municipality=OuterRef("pk")).order_by("-since", "-id")
    municipalities = list(selectors.municipalities_for(user)
                          .annotate(level=Subquery(latest.values("level")[:1]),
                                    since=Subquery(latest.values("since")[:1]),
                                    missing=Subquery(latest.values("missing")[:1]))
                          .order_by("name", "id"))
    met = [m for m in municipalities if m.level == Level.MET]
    behind = [m for m in municipalities if m.level != Level.MET]
    rows = []
    for m in behind:
        missing = m.missing if isinstance(m.missing, list) else []
        rows.append(Row(text=m.name, url=reverse("policy:municipality", args=[m.uuid]), when=m.since,
                        when_label=_("sinds"), overdue=True,
                        badge=str(Level(m.level).label) if m.level else _("Nog niet bepaald"),
                        detail=", ".join(str(Requirement(code).label) for code in missing
                                         if code in Requirement.values)))
    return Panel(key="basisniveau", title=_("Basisniveau per gemeente"), order=20, rows=rows,
                 figures=[Figure(f"{len(met)}/{len(municipalities)}", _("gemeenten voldoen")),
                          Figure(len(behind), _("voldoen deels of niet"), alert=bool(behind))],
                 link_url=reverse("policy:overview"), link_label=_("Overzicht basisniveau"),
                 empty=_("Alle gemeenten van de regio voldoen aan het basisniveau."))
