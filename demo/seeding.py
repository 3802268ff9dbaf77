"""Demo data: the demo accounts, then each app's demo data (demo is the top floor: it imports
the apps' `demo_data` modules, none imports demo).

`manage.py seed_demo` calls `seed_accounts()`, then `seed(stdout, accounts)` in each existing
module of SEEDERS, in order. A seeder may add titulaires of its own with
`accounts.demo_data.demo_titulaire(...)` and put them in `accounts` (dict key -> Titulaire).
Everything is idempotent: NIRs come from `random.Random(2015)` drawn in a fixed order with a
fixed reference date, so the same people get the same fictitious NIRs on every machine and
every run.
"""

import importlib
import importlib.util
import random

from django.db import transaction

from accounts.demo_data import (
    DEMO_PASSWORD,
    OPERATOR_PASSWORD,
    demo_operator,
    demo_titulaire,
)
from accounts.models import Civility, Titulaire
from catalogue import demo_data as catalogue_demo
from delegations import demo_data as delegations_demo
from dossiers import demo_data as dossiers_demo
from hours import demo_data as hours_demo

SEED = 2015
# In this order (dossiers need the catalogue and Camille's hours). Imported here so that the
# import graph shows what demo depends on; run by name so that tests can put stand-ins in.
SEEDERS = tuple(
    module.__name__ for module in (hours_demo, catalogue_demo, dossiers_demo, delegations_demo)
)


def seed_accounts() -> dict[str, Titulaire]:
    rng = random.Random(SEED)
    accounts = {
        "camille": demo_titulaire(
            "camille",
            Civility.MADAME,
            "Camille",
            "Martin",
            "camille.martin@demo.test",
            rng,
            min_age=30,
            max_age=40,
        ),
        "karim": demo_titulaire(
            "karim",
            Civility.MONSIEUR,
            "Karim",
            "Benali",
            "karim.benali@demo.test",
            rng,
            min_age=22,
            max_age=32,
        ),
    }
    accounts["operateur"] = demo_operator(rng)
    return accounts


def available_seeders() -> list[str]:
    """The modules of SEEDERS that exist (other apps write them when they have demo data)."""
    return [name for name in SEEDERS if importlib.util.find_spec(name) is not None]


def run_seeders(stdout, accounts: dict[str, Titulaire]) -> list[str]:
    ran = []
    for name in available_seeders():
        module = importlib.import_module(name)
        module.seed(stdout, accounts)
        ran.append(name)
    return ran


def seed_all(stdout) -> dict[str, Titulaire]:
    with transaction.atomic():
        accounts = seed_accounts()
        run_seeders(stdout, accounts)
    return accounts


def password_of(titulaire: Titulaire) -> str:
    return OPERATOR_PASSWORD if titulaire.is_staff else DEMO_PASSWORD
