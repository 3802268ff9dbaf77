"""A logging filter that masks anything shaped like a NIR, as a last line of defence."""

import logging
import re

from django.utils.log import AdminEmailHandler

NIR_PATTERN = re.compile(
    r"(?<![0-9A-Za-z])[12]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}\s?\d{2}(?![0-9])",
    re.IGNORECASE,
)


def mask_text(text: str) -> str:
    return NIR_PATTERN.sub("[NIR masqué]", text)


class MaskNirFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, ()
        # Tracebacks too (a database error quotes the duplicate key): format them now, masked.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        return True


class MaskedAdminEmailHandler(AdminEmailHandler):
    """Django's error report to ADMINS, masked as a whole: its body quotes the request's POST
    data and the exception's message (a database error quotes the duplicate key), which the
    record filter above does not reach."""

    def send_mail(self, subject, message, *args, **kwargs):
        if kwargs.get("html_message"):
            kwargs["html_message"] = mask_text(kwargs["html_message"])
        super().send_mail(mask_text(subject), mask_text(message), *args, **kwargs)
