"""The persons panel on the case page: `{% load persons_tags %}{% case_persons case %}` (pseudonyms only)."""

from typing import Any

from django import template

from meldroute.cases.permissions import case_access
from meldroute.persons import permissions, selectors, services

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
