"""manage.py import_declarations FILE.csv: import employers' annual declarations and credit
the hours. The file is streamed (any size, flat memory); a file with a bad row imports nothing
and lists every bad row. Progress shows on a terminal only; the last line says what was done
and how fast."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cpf_portal.numbers import french_number as _n  # short: many in f-strings
from hours import services


class Command(BaseCommand):
    help = "Importe un fichier CSV de déclarations annuelles d'employeurs et crédite les heures."

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier CSV (nir;annee;heures_travaillees;...)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        start = time.monotonic()  # real clock: a duration
        try:
            with path.open("rb") as stream:
                size = path.stat().st_size
                progress = self._progress(stream, size) if self.stdout.isatty() else None
                report = services.import_declarations(stream, path.name, progress=progress)
        except OSError as exc:
            raise CommandError(f"Fichier illisible : {path.name} ({exc.strerror}).") from exc
        seconds = max(time.monotonic() - start, 1e-6)
        if progress:
            self.stdout.write("\r\033[K", ending="")
        speed = (
            f"{_n(report.rows_read)} ligne(s) lue(s) en {seconds:.1f} s "
            f"({_n(round(report.rows_read / seconds))} lignes/s)"
        )
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            if report.errors_not_listed:
                self.stderr.write(f"… et {_n(report.errors_not_listed)} autre(s) erreur(s).")
            self.stdout.write(speed + ".")
            raise CommandError(
                f"{report.error_count} erreur(s) : aucune déclaration n'a été importée."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.declarations_created} déclaration(s) importée(s), "
                f"{report.already_imported} déjà présente(s), "
                f"{report.nirs_credited} NIR crédité(s), "
                f"{report.hours_credited} heure(s) créditée(s), 0 erreur ; {speed}."
            )
        )

    def _progress(self, stream, size):
        def show(stage, done, total):
            if stage == "lecture":
                share = stream.tell() / size if size else 1
                text = f"Lecture : {share:.0%} ({_n(done)} lignes)"
            else:
                text = f"Crédit des heures : {done / total:.0%} ({_n(done)} / {_n(total)} lignes)"
            self.stdout.write(f"\r\033[K{text}", ending="")
            self.stdout.flush()

        return show
