"""The demo mailbox: an email backend that keeps every message in the database instead of
sending it, so that a demo on a laptop needs no SMTP server (settings.MAILERS when
PORTAL_DEMO=1). Messages are read at /demo/boite-mail/."""

from django.core.mail.backends.base import BaseEmailBackend

from demo.models import DemoEmail


def _html_alternative(message) -> str:
    for alternative in getattr(message, "alternatives", None) or []:
        content, mimetype = alternative[0], alternative[1]
        if mimetype == "text/html":
            return str(content)
    if getattr(message, "content_subtype", "plain") == "html":
        return str(message.body)
    return ""


class DemoMailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages or []:
            recipients = message.recipients()
            if not recipients:
                continue
            html = _html_alternative(message)
            body = message.body if getattr(message, "content_subtype", "plain") != "html" else ""
            DemoEmail.objects.create(
                from_email=str(message.from_email or ""),
                recipients="\n".join(str(r) for r in recipients),
                subject=str(message.subject or ""),
                body=str(body or ""),
                html_body=html,
            )
            sent += 1
        return sent
