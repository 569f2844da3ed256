"""The API's JSON parser (REST_FRAMEWORK's default): a body that cannot be read is a structured 400 in Dutch."""

import json
from collections.abc import Mapping
from typing import IO, Any

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def _unreadable(cause: BaseException | None) -> str:
    if isinstance(cause, json.JSONDecodeError):
        return str(_("De inhoud is geen leesbare JSON (regel %(line)s, kolom %(column)s).")
                   % {"line": cause.lineno, "column": cause.colno})
    if isinstance(cause, UnicodeDecodeError):
        return str(_("De inhoud is geen tekst in UTF-8."))
    return str(_("De inhoud is geen leesbare JSON."))


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, but never a 500 and never English: JSON nested too deep to decode raises RecursionError
    (which DRF lets through), and DRF's own parse error names the problem in English."""

    def parse(self, stream: IO[Any], media_type: str | None = None,
              parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(_("De JSON is te diep genest.")) from error
        except ParseError as error:
            raise ParseError(_unreadable(error.__context__)) from error
