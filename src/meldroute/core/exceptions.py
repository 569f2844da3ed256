"""Domain errors: a refusal by a service, with a Dutch message fit to show the user."""


class DomainError(Exception):
    def __init__(self, message: str, code: str = "refused", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field
