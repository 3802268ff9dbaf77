"""Deployment checks of the portal's own (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


def redis_eviction_policy() -> str:
    """Redis's maxmemory-policy, read from the server behind the default cache."""
    from django.core.cache import cache

    client = cache._cache.get_client(write=False)
    return str(client.config_get("maxmemory-policy").get("maxmemory-policy", ""))


@register(Tags.caches, deploy=True)
def redis_never_evicts(app_configs=None, **kwargs):
    """Lockout and limit counters live in Redis: a server that evicts keys when its memory is
    full resets counters an attacker fills it to reset (docs/SECURITY.md)."""
    if not settings.REDIS_URL:
        return []
    try:
        policy = redis_eviction_policy()
    except Exception as error:  # noqa: BLE001 - any failure is reported, never raised
        return [
            Warning(
                f"Impossible de lire maxmemory-policy de Redis ({type(error).__name__}) : "
                "vérifiez qu'elle vaut noeviction.",
                id="cpf_portal.W002",
            )
        ]
    if policy != "noeviction":
        return [
            Warning(
                f"Redis évince des clés quand sa mémoire est pleine (maxmemory-policy {policy}) : "
                "un compteur de tentatives évincé repart de zéro.",
                hint="CONFIG SET maxmemory-policy noeviction (ou dans redis.conf).",
                id="cpf_portal.W001",
            )
        ]
    return []


@register(deploy=True)
def base_url_is_https(app_configs=None, **kwargs):
    """Every link of an email starts with PORTAL_BASE_URL in production (never the request's
    Host): left at its default, the links would point to 127.0.0.1 (docs/SECURITY.md § 12)."""
    if settings.PORTAL_LINKS_FOLLOW_REQUEST or settings.PORTAL_BASE_URL.startswith("https://"):
        return []
    return [
        Warning(
            f"PORTAL_BASE_URL ({settings.PORTAL_BASE_URL}) n'est pas une adresse https : les "
            "liens des courriels en partent.",
            hint="PORTAL_BASE_URL=https://adresse-publique-du-portail",
            id="cpf_portal.W003",
        )
    ]
