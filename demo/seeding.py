"""Demo data: the demo accounts and the helper other apps' seeders use.

`manage.py seed_demo` calls `seed_accounts()`, then `seed(stdout, accounts)` in each existing
module of SEEDERS, in order. A seeder may add titulaires of its own with `demo_titulaire(...)`
and put them in `accounts` (dict key -> Titulaire). Everything is idempotent: NIRs come from
`random.Random(2015)` drawn in a fixed order with a fixed reference date, so the same people
get the same fictitious NIRs on every machine and every run.
"""

import importlib
import importlib.util
import random
from datetime import date

from django.db import transaction

from accounts.models import Civilite, Titulaire
from nir import rules as nir_rules

DEMO_PASSWORD = "Formation2015!"
OPERATOR_PASSWORD = "Operateur2015!"
SEED = 2015
# Ages are computed on this date, not today, so the NIRs never change.
REFERENCE_DATE = date(2015, 3, 1)
SEEDERS = (
    "hours.demo_data",
    "catalogue.demo_data",
    "dossiers.demo_data",
    "delegations.demo_data",
)


def _fictitious_nir(rng: random.Random, civilite: str, min_age: int, max_age: int) -> str:
    sex = "F" if civilite == Civilite.MADAME else "M"
    return nir_rules.generate_fictitious_nir(
        rng, sex=sex, min_age=min_age, max_age=max_age, today=REFERENCE_DATE
    )


def _fiction_phone(rng: random.Random) -> str:
    # 06 39 98 xx xx: a range ARCEP reserves for fiction.
    return f"063998{rng.randrange(10000):04d}"


def demo_titulaire(
    key: str,
    civilite: str,
    prenom: str,
    nom: str,
    email: str,
    rng: random.Random,
    *,
    min_age: int = 25,
    max_age: int = 50,
    password: str = DEMO_PASSWORD,
    **fields,
) -> Titulaire:
    """An activated demo titulaire, created once. `key` names it in seed_demo's `accounts`
    dict. The NIR is drawn from `rng` on every call (even when the titulaire already exists) so
    that the draws that follow stay the same from one run to the next: call it in a fixed order
    with an rng seeded with a constant. An existing titulaire is returned unchanged."""
    nir = _fictitious_nir(rng, civilite, min_age, max_age)
    phone = _fiction_phone(rng)
    existing = Titulaire.objects.filter(nir=nir).first()
    if existing is not None:
        return existing
    fields.setdefault("telephone_portable", phone)
    return Titulaire.objects.create_user(
        nir,
        password,
        civilite=civilite,
        prenom=prenom,
        nom_naissance=nom,
        email=email,
        is_active=True,
        **fields,
    )


def demo_operator(rng: random.Random) -> Titulaire:
    """The staff superuser of the demo (the operators' space is the admin)."""
    nir = _fictitious_nir(rng, Civilite.MONSIEUR, 40, 55)
    existing = Titulaire.objects.filter(nir=nir).first()
    if existing is not None:
        return existing
    return Titulaire.objects.create_superuser(
        nir,
        OPERATOR_PASSWORD,
        prenom="Dominique",
        nom_naissance="Opérateur",
        email="operateur@demo.test",
        civilite=Civilite.MONSIEUR,
    )


def seed_accounts() -> dict[str, Titulaire]:
    rng = random.Random(SEED)
    accounts = {
        "camille": demo_titulaire(
            "camille",
            Civilite.MADAME,
            "Camille",
            "Martin",
            "camille.martin@demo.test",
            rng,
            min_age=30,
            max_age=40,
        ),
        "karim": demo_titulaire(
            "karim",
            Civilite.MONSIEUR,
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
