"""The bench's settings (`make bench` only): production's, with the bench's URLconf, which adds
a bare "ok" view in front of the portal's addresses. Never used by `make serve`."""

from cpf_portal.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
