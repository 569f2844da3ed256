"""Reads for the AF's signal page."""

from django.http import Http404

from meldroute.accounts.constants import Role
from meldroute.accounts.models import User
from meldroute.intake.selectors import get_signal_for

from .models import Classification


def get_signal_for_triage(user, signal_uuid):
    """A signal of the AF's own municipality; 404 for anyone else, checked before anything is read."""
    if not user.has_role(Role.AF) or user.organisation_id is None:
        raise Http404
    return get_signal_for(user, signal_uuid, purpose="triage signaal", municipality_id=user.organisation_id)


def classification_of(signal):
    return Classification.objects.filter(signal=signal).prefetch_related("indicators").first()


def municipal_afs(municipality_id):
    return User.objects.with_role(Role.AF).filter(organisation_id=municipality_id).order_by("first_name")
