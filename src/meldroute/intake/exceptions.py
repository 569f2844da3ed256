"""Refusals specific to signals."""

from meldroute.core.exceptions import DomainError


class TransitionNotAllowed(DomainError):
    pass


class AttachmentRejected(DomainError):
    pass
