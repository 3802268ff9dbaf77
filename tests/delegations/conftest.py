"""Every delegation test sends its emails at once, into the outbox (tests/fixtures/)."""

import pytest


@pytest.fixture(autouse=True)
def _locmem_email(locmem_email):
    """Every delegation test: emails at once, in the outbox."""
