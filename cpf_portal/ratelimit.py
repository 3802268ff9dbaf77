"""Fixed-window counters in the shared cache (Redis or the database), so that limits hold
across several server processes. Keys never contain a NIR: callers pass a keyed hash."""

import ipaddress
from dataclasses import dataclass

from django.conf import settings
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
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=limit.window_seconds)
        return 1
    if count == 1:
        # Redis' incr() is EXISTS then INCR: a key that expired in between comes back from
        # INCR without an expiry. Give it its window, or it would count forever.
        cache.touch(key, timeout=limit.window_seconds)
    return count


def release(limit: Limit, identity: str) -> None:
    """Give back one hit counted by hit() (a reservation that turned out not to count). The
    window keeps its end. A key gone meanwhile (expired, reset) has nothing to give back."""
    key = _key(limit, identity)
    try:
        if cache.decr(key) <= 0:
            cache.delete(key)
    except ValueError:
        pass


def slide(limit: Limit, identity: str) -> None:
    """Restart the window of an existing count from now (a window that ends a fixed time after
    the last hit, as axes' cool-off does)."""
    cache.touch(_key(limit, identity), timeout=limit.window_seconds)


def is_limited(limit: Limit, identity: str) -> bool:
    return (cache.get(_key(limit, identity)) or 0) >= limit.max_hits


def hit_and_check(limit: Limit, identity: str) -> bool:
    """Count one hit; True when this hit goes over the limit."""
    return hit(limit, identity) > limit.max_hits


def reset(limit: Limit, identity: str) -> None:
    cache.delete(_key(limit, identity))


def client_ip(request) -> str:
    """The client's address, for the per-IP limits, axes and the audit trail.

    Without a proxy, REMOTE_ADDR. Behind PORTAL_PROXY_COUNT trusted reverse proxies (env
    DJANGO_PROXY_COUNT), every client would share the proxy's REMOTE_ADDR: the address is the
    one the outermost proxy saw, the PORTAL_PROXY_COUNT-th entry of X-Forwarded-For from the
    right. Entries further left were written by the client and are never trusted (django-ipware,
    by default, takes the leftmost one: anybody could pick their own address).
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    count = settings.PORTAL_PROXY_COUNT
    if not count:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [hop for hop in hops if hop]
    if len(hops) < count:
        return remote  # not through all the proxies: what the connection says
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote
