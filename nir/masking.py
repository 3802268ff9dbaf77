"""Masked display of the NIR for every model that stores one in a `nir` field."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from nir import rules as nir_rules


class MaskedNirMixin:
    @property
    @admin.display(description=_("N° de sécurité sociale"))
    def masked_nir(self) -> str:
        return nir_rules.mask_nir(self.nir)
