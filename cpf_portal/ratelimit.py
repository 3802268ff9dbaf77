"""Fixed-window counters in the shared cache (Redis or the database), so that limits hold
across several server processes. Keys never contain a NIR: callers pass a keyed hash."""

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    max_hits: int
    window_seconds: int


def _key(limit: Limit, identity: str) -> str:
    return f"rl:{limit.name}:{identity}"


def hit(limit: Limit, identity: str) -> int:
    """Count one hit and return the count in the current window."""
    key = _key(limit, identity)
    if cache.add(key, 1, timeout=limit.window_seconds):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=limit.window_seconds)
        return 1


def is_limited(limit: Limit, identity: str) -> bool:
    return (cache.get(_key(limit, identity)) or 0) >= limit.max_hits


def hit_and_check(limit: Limit, identity: str) -> bool:
    """Count one hit; True when this hit goes over the limit."""
    return hit(limit, identity) > limit.max_hits


def reset(limit: Limit, identity: str) -> None:
    cache.delete(_key(limit, identity))


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"
