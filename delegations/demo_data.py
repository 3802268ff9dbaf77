"""Demo data: Camille has delegated her account to Karim ("Consultation"), accepted.
Idempotent: nothing is created when a live delegation between them already exists."""

from django.utils import timezone

from delegations.models import Delegation, Level, Status


def seed(stdout, accounts) -> None:
    camille, karim = accounts.get("camille"), accounts.get("karim")
    if camille is None or karim is None:
        return
    live = Delegation.objects.given_by(camille).live().filter(delegate=karim)
    if live.exists():
        stdout.write("Délégations : déjà en place.")
        return
    Delegation.objects.create(
        titulaire=camille,
        delegate=karim,
        email=karim.email,
        level=Level.VIEW,
        status=Status.ACCEPTED,
        accepted_at=timezone.now(),
    )
    stdout.write("Délégations : Camille Martin → Karim Benali (consultation).")
