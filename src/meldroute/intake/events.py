"""Domain events of a signal's life, for the apps above intake (routing, referrals) to follow without the sender
importing them. Every fact that moves a signal along its route reaches routing this way, whichever app records it.
Each is sent inside the writing transaction: a receiver that fails rolls the change back."""

from django.dispatch import Signal as Event

# kwargs: instance (the Signal), actor
signal_registered = Event()
# kwargs: instance (the Signal), actor, from_status, to_status, route_end (closing: which route steps end, and why)
signal_transitioned = Event()
# kwargs: instance (the Signal), actor, feedback
feedback_given = Event()
# The AF classified the signal (triage). kwargs: instance (the Signal), actor, facts (what a route may branch on)
signal_classified = Event()
# The AF referred the signal to a chain partner (referrals). kwargs: instance, actor, partner_type, note
signal_referred = Event()
# A chain partner returned the outcome of a referral (referrals). kwargs: instance, actor, partner_type, note
referral_outcome = Event()
# The signal became part of a case, opened from it or linked to it (cases). kwargs: instance, actor, note
signal_in_case = Event()
# A meeting decided on the signal's agenda item (meetings). kwargs: instance, actor, meeting_kind, decision,
# refer_to, note. Routing answers with the route steps the decision completed.
signal_decided = Event()
