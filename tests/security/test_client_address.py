"""Per-IP limits and the audit trail behind reverse proxies: the client's address is read
through the trusted proxies (DJANGO_PROXY_COUNT), never from what the client writes itself."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from audit.models import AuditEntry, Event
from cpf_portal.ratelimit import client_ip

LOGIN = reverse("accounts:login")
PROXY = "192.0.2.10"

CASES = [
    # proxies, REMOTE_ADDR, X-Forwarded-For, address used
    (0, "203.0.113.5", "", "203.0.113.5"),
    (0, "203.0.113.5", "198.51.100.7", "203.0.113.5"),  # no proxy: the header is the client's
    (1, PROXY, "198.51.100.7", "198.51.100.7"),
    (1, PROXY, "6.6.6.6, 198.51.100.7", "198.51.100.7"),  # a forged entry on the left
    (2, PROXY, "6.6.6.6, 198.51.100.7, 192.0.2.20", "198.51.100.7"),
    (2, PROXY, "198.51.100.7", PROXY),  # fewer hops than proxies: not through them all
    (1, PROXY, "pas-une-adresse", PROXY),
    (1, PROXY, " 2001:db8::1 ", "2001:db8::1"),
    (1, PROXY, "", PROXY),
    (1, "", "", "unknown"),
]


@pytest.mark.parametrize(("proxies", "remote", "forwarded", "expected"), CASES)
def test_client_address(settings, proxies, remote, forwarded, expected):
    settings.PORTAL_PROXY_COUNT = proxies
    meta = {"REMOTE_ADDR": remote}
    if forwarded:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def through_proxy(client, nir, client_address, forged=""):
    chain = f"{forged}, {client_address}" if forged else client_address
    return client.post(
        LOGIN,
        {"username": nir, "password": "Mauvais2015!"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=chain,
    )


@pytest.mark.django_db
def test_behind_a_proxy_each_client_has_its_own_login_limit(settings, client, nir_factory):
    """Fifty failures from one client block that client, not everybody behind the proxy; a
    forged X-Forwarded-For entry does not give the attacker a fresh address."""
    settings.PORTAL_PROXY_COUNT = 1
    for n in range(50):
        assert (
            through_proxy(client, nir_factory(), "198.51.100.7", forged=f"6.6.6.{n}").status_code
            == 200
        )
    assert through_proxy(client, nir_factory(), "198.51.100.7", forged="7.7.7.7").status_code == 429
    assert through_proxy(client, nir_factory(), "198.51.100.8").status_code == 200


@pytest.mark.django_db
def test_the_audit_trail_records_the_client_behind_the_proxy(settings, client, nir_factory):
    settings.PORTAL_PROXY_COUNT = 1
    through_proxy(client, nir_factory(), "198.51.100.9", forged="6.6.6.6")
    entry = AuditEntry.objects.filter(event=Event.LOGIN_FAILURE).latest("pk")
    assert entry.ip == "198.51.100.9"
