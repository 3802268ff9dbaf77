"""One read model per page of mon CompteFormation: what the page shows, fetched in a few
queries whatever the number of dossiers, ledger rows or declarations. The view resolves the
account access once (delegations.access) and hands it here; the template reads the result."""

from dataclasses import dataclass

from dossiers.models import Dossier
from hours.overview import Overview, hours_overview
from hours.services import AccountSummary, account_summary


@dataclass(frozen=True)
class Synthesis:
    summary: AccountSummary
    open_count: int
    closed_count: int


def synthesis(access) -> Synthesis:
    """The hours summary (2 queries) and the counts of the dossiers the viewer may see (1)."""
    counts = Dossier.objects.visible_to(access).status_counts()
    return Synthesis(account_summary(access.titulaire), counts["open"], counts["closed"])


def hours_page(access) -> Overview:
    """Mon compte d'heures (4 queries): the movements of the dossiers hidden from the viewer
    (a delegate: the confidential ones) are flagged in the same queries, shown as one total."""
    return hours_overview(access.titulaire.nir, hidden_dossiers=Dossier.objects.hidden_from(access))
