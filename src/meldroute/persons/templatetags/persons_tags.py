"""The persons panel on the case page: `{% load persons_tags %}{% case_persons case %}` (pseudonyms only)."""

from typing import Any

from django import template

from meldroute.cases.permissions import case_access
from meldroute.core.dates import readable_iso
from meldroute.persons import permissions, selectors, services
from meldroute.persons.constants import PersonRole

register = template.Library()


@register.inclusion_tag("persons/_case_persons.html", takes_context=True)
def case_persons(context: dict[str, Any], case: Any) -> dict[str, Any]:
    user = context["request"].user
    # The case page computed what the user may do on the case once for the request: reuse it.
    access = context.get("case_access")
    if access is None or access.case.pk != case.pk:
        access = case_access(user, case)
    persons = list(selectors.persons_of_case(user, case))
    return {
        "case": case,
        # A person's attributes (status, minor flags, the Jeugdwet route they imply) only where the user sees them.
        "persons": [{"person": p, "proposal": services.jeugdwet_proposal(p) if p.attributes_visible else []}
                    for p in persons],
        "can_add": case.is_open and permissions.can_edit_persons(access),
    }


@register.inclusion_tag("persons/_brp_take_over.html", takes_context=True)
def brp_take_over(context: Any, note: Any, signal: Any) -> dict[str, Any]:
    """On the AF's signal page, under a BRP answer: for each person found, one click to take them into one of the
    signal's cases (persons.views.person_from_brp). The signal's cases are read once per page, however many notes."""
    from meldroute.cases.selectors import cases_of_signal

    user = context["request"].user
    key = f"brp_take_over_cases_{signal.pk}"
    cache = context.render_context
    if key not in cache:
        cache[key] = [c for c in cases_of_signal(user, signal) if c.is_open]
    people = [(index, {**person, "born": readable_iso(str(person.get("birth_date") or ""))})
              for index, person in enumerate(note.people or [])]
    return {"note": note, "people": people, "cases": cache[key],
            "roles": PersonRole.choices, "csrf_token": context.get("csrf_token")}
