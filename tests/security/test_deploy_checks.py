"""`check --deploy` warns when Redis, which holds the lockout counters, may evict them."""

import pytest
from django.core.checks.registry import registry

from cpf_portal import checks


def ids(settings, monkeypatch, redis_url, policy):
    settings.REDIS_URL = redis_url
    if isinstance(policy, Exception):

        def read():
            raise policy

    else:

        def read():
            return policy

    monkeypatch.setattr(checks, "redis_eviction_policy", read)
    return [message.id for message in checks.redis_never_evicts()]


@pytest.mark.parametrize(
    ("redis_url", "policy", "expected"),
    [
        ("", "allkeys-lru", []),  # no Redis: the database cache never evicts (MAX_ENTRIES)
        ("redis://127.0.0.1:6379/0", "noeviction", []),
        ("redis://127.0.0.1:6379/0", "allkeys-lru", ["cpf_portal.W001"]),
        ("redis://127.0.0.1:6379/0", "volatile-ttl", ["cpf_portal.W001"]),
        ("redis://127.0.0.1:6379/0", ConnectionError("refused"), ["cpf_portal.W002"]),
    ],
)
def test_the_deploy_check_names_an_evicting_redis(
    settings, monkeypatch, redis_url, policy, expected
):
    assert ids(settings, monkeypatch, redis_url, policy) == expected


def test_the_check_runs_with_check_deploy():
    assert checks.redis_never_evicts in registry.get_checks(include_deployment_checks=True)
    assert checks.redis_never_evicts not in registry.get_checks(include_deployment_checks=False)


def test_the_policy_is_read_from_the_real_server(settings):
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        pytest.skip("REDIS_URL unset: the SQLite run uses no Redis")
    assert checks.redis_eviction_policy() == "noeviction"  # this machine's Redis
    assert checks.redis_never_evicts() == []
