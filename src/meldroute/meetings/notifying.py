"""Who hears that an agenda is ready (issue 14): the people of every organisation at the table (standing
participants, and guests invited to one of its items) whose role works at meetings — in the application and by mail
per their choice. The text is the table's name, the date and the number of items: never what is on them."""

from django.urls import reverse

from meldroute.accounts.models import User
from meldroute.core.dates import long_date
from meldroute.notifications.constants import Kind
from meldroute.notifications.services import notify

from .constants import WORKING_ROLES
from .models import ItemGuest, Meeting


def notify_agenda(meeting: Meeting, *, actor: User | None, items: int) -> None:
    """Call inside compile_agenda's transaction, when it added items."""
    organisations = set(meeting.series.participants.values_list("pk", flat=True))
    organisations |= set(ItemGuest.objects.filter(item__meeting=meeting).values_list("organisation_id", flat=True))
    people = (User.objects.filter(organisation_id__in=organisations, is_active=True, is_service_account=False)
              .filter(role_assignments__role__in=WORKING_ROLES).distinct())
    notify(users=[u for u in people if u.pk != getattr(actor, "pk", None)], kind=Kind.AGENDA_PUBLISHED,
           text=f"Agenda {meeting.series.name} van {long_date(meeting.date)}: {items} nieuwe punten",
           link=reverse("meetings:meeting", args=[meeting.uuid]))
