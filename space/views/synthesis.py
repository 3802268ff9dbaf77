"""mon CompteFormation: the synthesis page (hours and dossiers at a glance)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from delegations.access import resolve_account
from space.read_models import synthesis


@never_cache
@login_required
def synthese(request):
    access = resolve_account(request)
    context = {"active_menu": "accueil", **access.context(), "page": synthesis(access)}
    return render(request, "accounts/synthese.html", context)
