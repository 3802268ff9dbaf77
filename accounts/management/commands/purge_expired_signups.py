"""Remove the pending signups whose confirmation link has expired (15 days). Idempotent."""

from django.core.management.base import BaseCommand

from accounts.services.signup import purge_expired


class Command(BaseCommand):
    help = "Supprime les inscriptions en attente dont le lien de confirmation a expiré."

    def handle(self, *args, **options):
        removed = purge_expired()
        if removed == 0:
            self.stdout.write("Aucune inscription expirée à supprimer.")
        elif removed == 1:
            self.stdout.write("1 inscription expirée supprimée.")
        else:
            self.stdout.write(f"{removed} inscriptions expirées supprimées.")
