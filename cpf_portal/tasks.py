"""Background tasks (django.tasks). Emails are sent here so that an SMTP outage loses nothing."""

import logging
import smtplib
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

# Growing delay between attempts while the SMTP server is down: 30 s, 1 min, 2 min … 1 h.
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600
MAX_ATTEMPTS = 30


def retry_delay(attempt: int) -> timedelta:
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** (attempt - 1), RETRY_MAX_SECONDS))


@task()
def send_email(to: list[str], subject: str, text: str, html: str = "", attempt: int = 1) -> str:
    """Send one email. On a connection failure, enqueue itself again later (the database
    backend has no automatic retry), so the message goes out once the server is back."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        if attempt >= MAX_ATTEMPTS:
            logger.error(
                "Courriel abandonné après %s tentatives : %s", attempt, type(error).__name__
            )
            raise
        delay = retry_delay(attempt)
        logger.warning(
            "Serveur SMTP indisponible (%s), nouvel essai dans %s s.",
            type(error).__name__,
            int(delay.total_seconds()),
        )
        send_email.using(run_after=timezone.now() + delay).enqueue(
            to=to, subject=subject, text=text, html=html, attempt=attempt + 1
        )
        return "retry"
    return "sent"
