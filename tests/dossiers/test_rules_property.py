"""The hours rules at creation, for any balances (balances stubbed: no database needed)."""

from hypothesis import given
from hypothesis import strategies as st

from dossiers import services


class FakeHours:
    def __init__(self, cpf, dif):
        self.cpf, self.dif = cpf, dif

    def cpf_balance(self, nir):
        return self.cpf

    def dif_balance(self, nir):
        return self.dif


@given(
    cpf=st.integers(0, 400),
    dif=st.none() | st.integers(0, 120),
    total=st.integers(-5, 200),
    hours_dif=st.none() | st.integers(0, 200),
)
def test_check_hours_accepts_exactly_the_allowed_splits(cpf, dif, total, hours_dif):
    fake = FakeHours(cpf, dif)
    original = services.hours_services
    services.hours_services = fake
    try:
        split_dif = services.default_dif_hours("x", total) if hours_dif is None else hours_dif
        if hours_dif is None:
            assert split_dif == max(0, min(dif or 0, total))  # DIF first
        allowed = (
            0 < total <= 150
            and 0 <= split_dif <= total
            and split_dif <= (dif or 0)
            and total - split_dif <= cpf
        )
        try:
            services.check_hours("x", total, split_dif)
        except services.DossierError as error:
            assert not allowed
            assert error.field in {"hours_total", "hours_dif"} and error.message
        else:
            assert allowed
    finally:
        services.hours_services = original
