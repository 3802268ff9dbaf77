"""Mon compte d'heures: the ledger of one account, with the dossiers' movements (a delegate
sees the confidential dossiers' movements as one total). It composes hours and dossiers, so it
lives here, above both; its address and name (`hours:compte`) are the hours area's."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from delegations.access import resolve_account
from dossiers.models import Dossier
from hours import services
from hours.overview import hours_overview


def _hidden_refs(access) -> set[str]:
    """References of the dossiers the viewer may not see (a delegate: the confidential ones)."""
    return set(Dossier.objects.hidden_from(access).values_list("reference", flat=True))


@never_cache
@login_required
def compte(request):
    access = resolve_account(request)
    overview = hours_overview(access.titulaire.nir)
    rows, confidential_total = overview.dossier_rows_for(_hidden_refs(access))
    context = {
        "active_menu": "heures",
        **access.context(),
        "overview": overview,
        "summary": services.account_summary(access.titulaire),
        "dossier_rows": rows,
        "confidential_total": confidential_total,
    }
    return render(request, "hours/compte.html", context)
