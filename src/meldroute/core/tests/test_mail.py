"""Mail texts are templates: rendered as plain text (nothing HTML-escaped), in the active language, one-line subject."""

from django.utils import translation

from meldroute.core.mail import render_mail


def test_a_mail_template_renders_plain_text_with_its_link_intact():
    subject, body = render_mail("triage/mail/feedback_reminder",
                                {"ref": "MR-ABCD2345", "link": "https://meldroute.example/inbox/?a=1&b='2'"})
    assert subject == "Terugkoppeling te laat: MR-ABCD2345"
    assert body == "De melder van MR-ABCD2345 wacht op terugkoppeling.\nhttps://meldroute.example/inbox/?a=1&b='2'\n"


def test_a_mail_template_uses_the_existing_translation():
    with translation.override("en"):
        subject, _body = render_mail("triage/mail/feedback_reminder", {"ref": "MR-ABCD2345", "link": "x"})
    assert subject == "Feedback overdue: MR-ABCD2345"
