"""Care follows the overleggen without meetings importing care: a shelter decision starts a placement request."""

from typing import Any

from django.dispatch import receiver

from meldroute.meetings import events as meeting_events

from .models import PlacementRequest
from .services import start_placement_request


@receiver(meeting_events.shelter_decided, dispatch_uid="care.start_placement_request")
def on_shelter_decided(sender: Any, *, item: Any, actor: Any, **kwargs: Any) -> PlacementRequest:
    return start_placement_request(item, actor=actor)
