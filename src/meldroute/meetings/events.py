"""Domain events of the overleggen, for the apps above meetings (care) to follow without meetings importing them.
Each is sent inside the writing transaction: a receiver that fails rolls the decision back."""

from django.dispatch import Signal as Event

# The screeningsoverleg decided that the persons of an item must be sheltered (seed 003 §6, footnote 12).
# kwargs: item (the AgendaItem, with its signal or case), actor. Care answers with the placement request it started.
shelter_decided = Event()
