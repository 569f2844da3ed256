"""Mail texts are templates: rendered as plain text (nothing HTML-escaped), one-line subject, in the language of
record whatever the sender's screen shows (core.language): the recipient's language is not the sender's."""

from django.utils import translation

from meldroute.core.mail import render_mail


def test_a_mail_template_renders_plain_text_with_its_link_intact():
    subject, body = render_mail("triage/mail/feedback_reminder",
                                {"ref": "MR-ABCD2345", "link": "https://meldroute.example/inbox/?a=1&b='2'"})
    assert subject == "Terugkoppeling te laat: MR-ABCD2345"
    assert body == "De melder van MR-ABCD2345 wacht op terugkoppeling.\nhttps://meldroute.example/inbox/?a=1&b='2'\n"


def test_a_mail_sent_from_an_english_users_request_is_dutch():
    with translation.override("en"):
        assert translation.gettext("Terugkoppeling te laat: %(ref)s") == "Feedback overdue: %(ref)s"
        subject, _body = render_mail("triage/mail/feedback_reminder", {"ref": "MR-ABCD2345", "link": "x"})
        assert translation.get_language() == "en"  # the request goes on in English
    assert subject == "Terugkoppeling te laat: MR-ABCD2345"
