"""Domain events of a signal's life, for the apps above intake (routing, referrals) to follow without intake
importing them. Each is sent inside the writing transaction: a receiver that fails rolls the change back."""

from django.dispatch import Signal as Event

# kwargs: instance (the Signal), actor
signal_registered = Event()
# kwargs: instance (the Signal), actor, from_status, to_status
signal_transitioned = Event()
# kwargs: instance (the Signal), actor, feedback
feedback_given = Event()
