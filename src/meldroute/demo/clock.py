"""The demo's history lies in the past: services stamp the moment `frozen_now` gives them."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from unittest import mock


@contextmanager
def frozen_now(moment: datetime) -> Iterator[None]:
    """Let the services stamp a moment in the past, so the demo has a real-looking history."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield
