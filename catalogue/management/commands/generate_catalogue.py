from django.core.management.base import BaseCommand, CommandError

from catalogue.demo_data import DEFAULT_COUNT, DEFAULT_SEED, generate_catalogue


class Command(BaseCommand):
    help = "Génère un catalogue de démonstration déterministe (formations fictives)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=DEFAULT_COUNT)
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)

    def handle(self, *args, count, seed, **options):
        if not 0 < count <= 20_000:
            raise CommandError("--count doit être compris entre 1 et 20 000.")
        report = generate_catalogue(count, seed)
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.created} formations créées, {report.updated} mises à jour."
            )
        )
