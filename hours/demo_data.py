"""Demo hours (called by demo's seed_demo, idempotent):
- camille: declarations 2015-2017 (2016 part-time), DIF balance of 60 h entered;
- karim: declarations 2015-2017 (2017 as a low-qualified employee), DIF not entered;
- nouveau (Lucie Nouveau): an account with no hours yet.
"""

import random
from decimal import Decimal

from django.utils.translation import gettext as _

from accounts.demo_data import demo_titulaire
from accounts.models import Civility
from hours import services
from hours.importer import DeclarationRow
from hours.models import LedgerKind

NOUVEAU_SEED = 201503
CAMILLE_DIF = 60
PLANS = {
    "camille": [
        (2015, Decimal("1607"), None, False),
        (2016, Decimal("803.5"), None, False),  # half time: 12 h
        (2017, Decimal("1607"), None, False),
    ],
    "karim": [
        (2015, Decimal("1607"), None, False),
        (2016, Decimal("1820"), 1820, False),
        (2017, Decimal("1200"), 1600, True),  # 75 % as low qualified: 36 h
    ],
}


def _nouveau():
    return demo_titulaire(
        "nouveau",
        Civility.MADAME,
        "Lucie",
        "Nouveau",
        "lucie.nouveau@demo.test",
        random.Random(NOUVEAU_SEED),
        min_age=18,
        max_age=24,
    )


def credit_demo_hours(nir, hours):
    """For demo seeders and test fixtures: an abondement without an actor."""
    return services.add_movement(
        nir, LedgerKind.ABONDEMENT, hours, _("Abondement de démonstration"), None
    )


def set_dif_balance(nir, hours):
    """For demo seeders and test fixtures: enter a DIF balance without attestation."""
    return services.declare_dif(nir, hours)


def seed(stdout, accounts):
    for key, plan in PLANS.items():
        titulaire = accounts.get(key)
        if titulaire is None:
            continue
        rows = [
            DeclarationRow(
                line=index + 1,
                nir=titulaire.nir,
                year=year,
                hours_worked=worked,
                reference_hours=reference,
                low_qualified=low,
            )
            for index, (year, worked, reference, low) in enumerate(plan)
        ]
        report = services.credit_declarations(rows, source_file="demo")
        stdout.write(
            f"Heures de démonstration ({key}) : {report.declarations_created} déclaration(s), "
            f"{report.hours_credited} h créditées, solde {services.cpf_balance(titulaire.nir)} h."
        )
    camille = accounts.get("camille")
    if camille is not None and services.dif_declaration(camille.nir) is None:
        services.declare_dif(camille.nir, CAMILLE_DIF)
    accounts["nouveau"] = _nouveau()
    stdout.write("Titulaire de démonstration sans heures : Lucie Nouveau.")
