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
        "persons": [{"person": p, "proposal": services.jeugdwet_proposal(p)} for p in persons],
        "can_add": case.is_open and services.can_edit_persons(user, case),
    }
