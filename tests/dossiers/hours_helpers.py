"""Give a NIR hours through hours.services, as the demo seeders do."""

from hours import services as hours_services


def give(nir, cpf=0, dif=None):
    if cpf:
        hours_services.credit_demo_hours(nir, cpf)
    if dif is not None:
        hours_services.set_dif_balance(nir, dif)
