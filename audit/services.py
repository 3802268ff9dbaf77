"""Record security events. Every app calls `record(...)`; nothing else writes the trail."""

from audit.models import AuditEntry, Event
from cpf_portal import ratelimit
from nir.digest import nir_digest


def client_ip(request) -> str | None:
    if request is None:
        return None
    address = ratelimit.client_ip(request)
    return None if address == "unknown" else address


def record(event: Event, *, request=None, actor=None, nir: str = "", obj=None, detail: str = ""):
    """Append one event. `nir` is hashed with the portal's key; `obj` is shown by its str()."""
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    return AuditEntry.objects.create(
        event=event,
        actor=actor,
        subject_hash=nir_digest(nir) if nir else "",
        ip=client_ip(request),
        object_repr=str(obj)[:200] if obj is not None else "",
        detail=detail[:500],
    )
