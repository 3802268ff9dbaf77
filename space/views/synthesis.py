"""mon CompteFormation: the synthesis page (hours and dossiers at a glance)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from delegations.access import resolve_account
from dossiers.models import Dossier
from hours.services import account_summary


def synthesis_context(access) -> dict:
    """Hours summary and dossier counts of the account shown (confidential dossiers are left
    out for a delegate)."""
    dossiers = Dossier.objects.visible_to(access)
    return {
        "summary": account_summary(access.titulaire),
        "open_count": dossiers.open().count(),
        "closed_count": dossiers.closed().count(),
    }


@never_cache
@login_required
def synthese(request):
    access = resolve_account(request)
    context = {"active_menu": "accueil", **access.context(), **synthesis_context(access)}
    return render(request, "accounts/synthese.html", context)
