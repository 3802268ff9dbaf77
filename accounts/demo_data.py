"""Demo people: activated titulaires and the operator, with fictitious NIRs drawn from a
seeded random generator (the same people on every machine and every run). Used by demo's
seed_demo and by the other apps' demo_data modules; nothing else imports it.
"""

import random
from datetime import date

from accounts.models import Civility, Titulaire
from nir import rules as nir_rules

DEMO_PASSWORD = "Formation2015!"
OPERATOR_PASSWORD = "Operateur2015!"
# Ages are computed on this date, not today, so the NIRs never change.
REFERENCE_DATE = date(2015, 3, 1)


def _fictitious_nir(rng: random.Random, civility: str, min_age: int, max_age: int) -> str:
    sex = "F" if civility == Civility.MADAME else "M"
    return nir_rules.generate_fictitious_nir(
        rng, sex=sex, min_age=min_age, max_age=max_age, today=REFERENCE_DATE
    )


def _fiction_phone(rng: random.Random) -> str:
    # 06 39 98 xx xx: a range ARCEP reserves for fiction.
    return f"063998{rng.randrange(10000):04d}"


def demo_titulaire(
    key: str,
    civility: str,
    first_name: str,
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
    nir = _fictitious_nir(rng, civility, min_age, max_age)
    phone = _fiction_phone(rng)
    existing = Titulaire.objects.filter(nir=nir).first()
    if existing is not None:
        return existing
    fields.setdefault("mobile", phone)
    return Titulaire.objects.create_user(
        nir,
        password,
        civility=civility,
        first_name=first_name,
        birth_name=nom,
        email=email,
        is_active=True,
        **fields,
    )


def demo_operator(rng: random.Random) -> Titulaire:
    """The staff superuser of the demo (the operators' space is the admin)."""
    nir = _fictitious_nir(rng, Civility.MONSIEUR, 40, 55)
    existing = Titulaire.objects.filter(nir=nir).first()
    if existing is not None:
        return existing
    return Titulaire.objects.create_superuser(
        nir,
        OPERATOR_PASSWORD,
        first_name="Dominique",
        birth_name="Opérateur",
        email="operateur@demo.test",
        civility=Civility.MONSIEUR,
    )
