"""Every hours test keeps attestations in a temporary folder (tests/fixtures/hours.py)."""

import pytest


@pytest.fixture(autouse=True)
def _private_attestations(private_dir):
    """Uploads in the hours tests never reach the real private media folder."""
