"""Demo-mode functions shared by the views, the admin and the seed_demo command."""

import random
from datetime import date

from django.db import transaction

from demo.models import DemoEmail
from nir import rules as nir_rules

GENERATED_COUNT = 3


def generate_nirs(
    sexe: str,
    age: int,
    count: int = GENERATED_COUNT,
    today: date | None = None,
    rng: random.Random | None = None,
) -> list[str]:
    """`count` distinct fictitious NIRs (valid key) of a person of `sexe` ("F"/"M") aged `age`."""
    rng = rng or random.SystemRandom()
    today = today or date.today()
    result: list[str] = []
    while len(result) < count:
        value = nir_rules.generate_fictitious_nir(
            rng, sex=sexe, min_age=age, max_age=age, today=today
        )
        if value not in result:
            result.append(value)
    return result


@transaction.atomic
def empty_mailbox() -> int:
    deleted, _ = DemoEmail.objects.all().delete()
    return deleted
