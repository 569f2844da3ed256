"""Mail from the application: its texts are templates (`<app>/mail/<name>.subject.txt` and `.body.txt`)."""

from collections.abc import Sequence
from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string

from .language import in_record_language


@in_record_language  # sent from an English user's request (an acute alert, a set-password link) still in Dutch
def render_mail(name: str, context: dict[str, Any]) -> tuple[str, str]:
    """The subject (one line) and body (ending in one newline) of the mail template `name`."""
    subject = render_to_string(f"{name}.subject.txt", context).strip()
    body = render_to_string(f"{name}.body.txt", context).rstrip("\n") + "\n"
    return subject, body


def send_template_mail(name: str, context: dict[str, Any], recipients: Sequence[str], *,
                       fail_silently: bool = False) -> None:
    """Send the mail template `name`. Meldroute's mails carry no personal data: a code, a date and a link."""
    subject, body = render_mail(name, context)
    send_mail(subject=subject, message=body, from_email=None, recipient_list=list(recipients),
              fail_silently=fail_silently)
