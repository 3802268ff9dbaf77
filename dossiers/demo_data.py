"""Demo dossiers: camille has one dossier in each status, made through the services so that the
hours ledger matches, and an operator of the "Opérateurs" group decides dossiers in the admin
without being a superuser. Idempotent: nothing is done twice."""

import datetime
import random

from accounts.demo_data import OPERATOR_PASSWORD, demo_titulaire
from accounts.models import Civility
from catalogue.models import Training
from dossiers import services
from dossiers.groups import ensure_operators_group
from dossiers.models import ActorRole, Dossier
from hours import demo_data as hours_demo
from hours import services as hours_services

# (status reached, training index, hours, DIF hours (None: DIF first), confidential, steps)
PLAN = [
    ("attente", 1, 20, 0, False, ["submit"]),
    ("valide", 2, 40, 20, False, ["submit", "validate"]),
    ("clos", 3, 14, 0, True, ["submit", "validate", "close"]),
    ("refuse", 4, 24, 0, False, ["submit", "refuse"]),
    ("annule", 5, 21, 0, False, ["cancel"]),
    # Last, so that "DIF first" uses what the validated dossiers left.
    ("elaboration", 0, 30, None, False, []),
]
CAMILLE_DIF = 60


def _ensure_hours(nir, needed_cpf):
    """Camille's hours normally come from hours.demo_data; top them up if it did not run."""
    if hours_services.dif_balance(nir) is None:
        hours_demo.set_dif_balance(nir, CAMILLE_DIF)
    if hours_services.cpf_balance(nir) < needed_cpf:
        hours_demo.credit_demo_hours(nir, needed_cpf - hours_services.cpf_balance(nir))


def seed_operator(accounts) -> None:
    """Sacha Conseiller: staff in the group "Opérateurs" only (sees and decides dossiers)."""
    conseiller = demo_titulaire(
        "conseiller",
        Civility.MADAME,
        "Sacha",
        "Conseiller",
        "conseiller@demo.test",
        random.Random(2017),
        min_age=30,
        max_age=50,
        password=OPERATOR_PASSWORD,
        is_staff=True,
    )
    conseiller.groups.add(ensure_operators_group())
    accounts["conseiller"] = conseiller


def seed(stdout, accounts):
    seed_operator(accounts)
    camille, staff = accounts.get("camille"), accounts.get("operateur")
    if camille is None or staff is None:
        return
    if Dossier.objects.for_titulaire(camille).exists():
        stdout.write("Dossiers de démonstration : déjà présents.")
        return
    trainings = list(Training.objects.active().order_by("cpf_code")[: len(PLAN)])
    if len(trainings) < len(PLAN):
        stdout.write("Dossiers de démonstration : catalogue vide, rien à faire.")
        return
    _ensure_hours(camille.nir, 60)
    for index, (_name, training_index, hours, dif, confidential, steps) in enumerate(PLAN):
        dossier = services.create_dossier(
            camille,
            trainings[training_index],
            datetime.date(2016, 3 + index, 1),
            hours,
            hours_dif=dif,
            confidential=confidential,
            actor=camille,
        )
        for step in steps:
            if step == "submit":
                services.submit(dossier, actor=camille)
            elif step == "validate":
                services.validate(dossier, actor=staff)
            elif step == "close":
                services.close(dossier, actor=staff)
            elif step == "refuse":
                services.refuse(
                    dossier,
                    actor=staff,
                    reason="La formation se déroule pendant le temps de travail : l'accord de "
                    "l'employeur est nécessaire.",
                )
            elif step == "cancel":
                services.cancel(dossier, actor=camille, role=ActorRole.TITULAIRE)
    stdout.write(f"Dossiers de démonstration : {len(PLAN)} dossiers créés pour Camille.")
