"""Masked display of the NIR for every model that stores one in a `nir` field."""

from accounts import nir as nir_rules


class MaskedNirMixin:
    @property
    def nir_masque(self) -> str:
        return nir_rules.mask_nir(self.nir)
