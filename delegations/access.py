"""Whose account a request is looking at: its own, or one delegated to the user.

The delegate picks an account under "Comptes qui me sont délégués"; its delegation id is kept in
the session (key ACTING_FOR). Every request re-reads the delegation from the database, so a
revocation or an end date takes effect on the very next request.

Views of hours and dossiers call `resolve_account(request)` (or `manage=True` for changes to
dossiers). Pages only the titulaire may use (personal information, password, DIF, delegations)
call `own_account_only(request)`, which refuses while acting for someone else.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from delegations.models import Delegation

ACTING_FOR = "delegation_acting_for"


@dataclass(frozen=True)
class AccountAccess:
    titulaire: object  # the Titulaire whose account is shown
    delegation: Delegation | None = None

    @property
    def is_delegate(self) -> bool:
        return self.delegation is not None

    @property
    def can_see_confidential(self) -> bool:
        """Confidential dossiers are hidden from delegates (Dossier.objects.visible_to)."""
        return self.delegation is None

    @property
    def can_manage_dossiers(self) -> bool:
        """The titulaire, or a delegate whose delegation allows managing dossiers."""
        return self.delegation is None or self.delegation.can_manage_dossiers

    def context(self) -> dict:
        """Template context for account_base.html (the banner)."""
        if self.delegation is None:
            return {}
        return {"delegation": self.delegation, "viewed_titulaire": self.titulaire}


def current_delegation(request) -> Delegation | None:
    delegation_id = request.session.get(ACTING_FOR)
    if not delegation_id:
        return None
    delegation = (
        Delegation.objects.in_force()
        .filter(pk=delegation_id, delegate=request.user)
        .select_related("titulaire")
        .first()
    )
    if delegation is None:
        # Revoked or expired since it was chosen: back to one's own account, and say why.
        request.session.pop(ACTING_FOR, None)
        ended = (
            Delegation.objects.filter(pk=delegation_id, delegate=request.user)
            .select_related("titulaire")
            .first()
        )
        if ended is not None:
            messages.warning(
                request,
                _(
                    "La délégation du compte de %(name)s a pris fin : vous consultez de nouveau "
                    "votre propre compte."
                )
                % {"name": ended.titulaire.get_full_name()},
            )
    return delegation


def resolve_account(request, *, manage: bool = False) -> AccountAccess:
    delegation = current_delegation(request)
    if delegation is None:
        return AccountAccess(titulaire=request.user)
    access = AccountAccess(titulaire=delegation.titulaire, delegation=delegation)
    if manage and not access.can_manage_dossiers:
        raise PermissionDenied("Cette délégation ne permet que la consultation.")
    return access


def own_account_only(request) -> AccountAccess:
    if current_delegation(request) is not None:
        raise PermissionDenied("Cette action est réservée au titulaire du compte.")
    return AccountAccess(titulaire=request.user)


def start_acting_for(request, delegation: Delegation) -> None:
    request.session[ACTING_FOR] = delegation.pk


def stop_acting_for(request) -> None:
    request.session.pop(ACTING_FOR, None)
