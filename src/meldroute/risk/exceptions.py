"""Why an import was refused: every problem of the file, one Dutch message each (nothing was imported)."""

from django.utils.translation import gettext as _

from meldroute.core.exceptions import DomainError


class RegisterRejected(DomainError):
    def __init__(self, errors: list[str]):
        super().__init__(_("Het bestand is niet geïmporteerd: los de fouten hieronder op en probeer het opnieuw."),
                         code="invalid", field="file")
        self.errors = errors
