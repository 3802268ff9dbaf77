from django.apps import AppConfig


class SpaceConfig(AppConfig):
    """mon CompteFormation: the pages that compose hours, dossiers and delegations for one
    account (the top floor, docs/ARCHITECTURE.md)."""

    name = "space"
    verbose_name = "mon CompteFormation"
