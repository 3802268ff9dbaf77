from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.importer import decode, import_catalogue


class Command(BaseCommand):
    help = (
        "Importe le catalogue depuis un fichier CSV (séparateur « ; »). Rien n'est importé si "
        "une ligne est invalide ; chaque ligne invalide est signalée avec son numéro."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV")

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        report = import_catalogue(decode(path.read_bytes()))
        if not report.ok:
            for line in report.error_lines():
                self.stderr.write(line)
            raise CommandError(
                f"{len(report.errors)} ligne(s) invalide(s) : aucune formation importée."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} formations créées, {report.updated} mises à jour."
            )
        )
