"""Mon compte d'heures: the ledger of one account, with the dossiers' movements (a delegate
sees the confidential dossiers' movements as one total). It composes hours and dossiers, so it
lives here, above both; its address and name (`hours:compte`) are the hours area's."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from delegations.access import resolve_account
from space.read_models import hours_page


@never_cache
@login_required
def compte(request):
    access = resolve_account(request)
    context = {"active_menu": "heures", **access.context(), "overview": hours_page(access)}
    return render(request, "hours/compte.html", context)
