"""manage.py import_declarations FILE.csv: import employers' annual declarations and credit
the hours. A file with a bad row imports nothing and lists every bad row."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hours import services


class Command(BaseCommand):
    help = "Importe un fichier CSV de déclarations annuelles d'employeurs et crédite les heures."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV (nir;annee;heures_travaillees;...)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {path.name} ({exc.strerror}).") from exc
        report = services.import_declarations(data, path.name)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(report.errors)} erreur(s) : aucune déclaration n'a été importée."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.declarations_created} déclaration(s) importée(s), "
                f"{report.already_imported} déjà présente(s), "
                f"{report.hours_credited} heure(s) créditée(s)."
            )
        )
