"""A stand-in for an app's demo_data module (used by tests/demo/test_seed_demo.py)."""

import random

from accounts.models import Civilite
from demo.seeding import demo_titulaire

CALLS = []


def seed(stdout, accounts):
    CALLS.append(sorted(accounts))
    rng = random.Random("fake-seeder")
    accounts["lea"] = demo_titulaire(
        "lea", Civilite.MADAME, "Léa", "Petit", "lea.petit@demo.test", rng
    )
    stdout.write("Données factices créées.")
