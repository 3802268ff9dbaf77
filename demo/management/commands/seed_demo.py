"""Create the demo accounts and data (idempotent), then print the identifiers to use."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import seeding
from nir import rules as nir_rules


class Command(BaseCommand):
    help = (
        "Crée les comptes et les données de démonstration (sans effet s'ils existent déjà) "
        "et affiche les identifiants."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Exécuter même si le mode démonstration (PORTAL_DEMO) est désactivé.",
        )

    def handle(self, *args, **options):
        if not settings.PORTAL_DEMO and not options["force"]:
            raise CommandError(
                "Le mode démonstration est désactivé (PORTAL_DEMO). Ces comptes ont des mots de "
                "passe publics : relancez avec PORTAL_DEMO=1, ou --force si vous êtes sûr."
            )
        accounts = seeding.seed_all(self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Comptes de démonstration (données fictives) :"))
        rows = [("Compte", "Identifiant (n° de sécurité sociale)", "Mot de passe", "Courriel")]
        for titulaire in accounts.values():
            role = "Opérateur (espace professionnel)" if titulaire.is_staff else "Titulaire"
            rows.append(
                (
                    f"{titulaire.get_full_name()} — {role}",
                    nir_rules.format_nir(titulaire.nir),
                    seeding.password_of(titulaire),
                    titulaire.email,
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)))
            if index == 0:
                self.stdout.write("  ".join("-" * w for w in widths))
        self.stdout.write("")
        self.stdout.write(
            "Espace titulaire : /espace-titulaire/ · Espace des opérateurs : /admin/ · "
            "Boîte mail : /demo/boite-mail/"
        )
