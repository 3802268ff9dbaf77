"""A logging filter that masks anything shaped like a NIR, as a last line of defence."""

import logging
import re

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
