"""The persons panel on the case page: `{% load persons_tags %}{% case_persons case %}` (pseudonyms only)."""

from django import template

from meldroute.persons import selectors, services

register = template.Library()


@register.inclusion_tag("persons/_case_persons.html", takes_context=True)
def case_persons(context, case):
    user = context["request"].user
    persons = list(selectors.persons_of_case(user, case))
    return {
        "case": case,
        # A person's attributes (status, minor flags, the Jeugdwet route they imply) only where the user sees them.
        "persons": [{"person": p, "proposal": services.jeugdwet_proposal(p) if p.attributes_visible else []}
                    for p in persons],
        "can_add": case.is_open and services.can_edit_persons(user, case),
    }
