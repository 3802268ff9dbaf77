"""Exact-NIR search in the admin without the NIR ever travelling in a URL.

Django's admin search is a GET form (`?q=…`): a NIR typed there would land in the address bar,
the browser history and the web server's logs. Lists of rows keyed by a NIR use this mixin
instead: a small POST form above the list puts the normalised NIR in the session and redirects
to the list with a flag (`?recherche_nir=1`), and the queryset is filtered from the session.
A NIR typed in the ordinary search box finds nothing and says where to type it.
"""

import re

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from accounts import nir as nir_rules

FLAG = "recherche_nir"
FORM_FIELD = "nir_recherche"


def _session_key(model_admin) -> str:
    return f"admin_nir_search:{model_admin.opts.label_lower}"


NIR_CHARACTERS = re.compile(r"[0-9AB]{15}")  # once normalised: digits, 2A/2B for Corsica


def looks_like_nir(term: str) -> bool:
    """13 to 15 NIR characters once spaces are removed: a full or almost full NIR."""
    value = nir_rules.normalize_nir(term or "")
    return 13 <= len(value) <= 15 and value[:1] in "12378" and value[1:5].isdigit()


class NirSearchAdminMixin:
    """For ModelAdmins of models with a `nir` field."""

    change_list_template = "admin/nir_search_change_list.html"
    nir_field = "nir"

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and FORM_FIELD in request.POST:
            return self._start_nir_search(request)
        searching = FLAG in request.GET
        if searching:
            # Admin refuses unknown query parameters: hide the flag from its lookups.
            request.GET = request.GET.copy()
            request.GET.pop(FLAG)
        nir = request.session.get(_session_key(self)) if searching else None
        request._nir_search = nir
        context = {
            "nir_search_active": bool(nir),
            "nir_search_masked": nir_rules.mask_nir(nir) if nir else "",
            "nir_search_field": FORM_FIELD,
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def _start_nir_search(self, request):
        raw = request.POST.get(FORM_FIELD, "")
        nir = nir_rules.normalize_nir(raw)
        if not raw.strip():
            request.session.pop(_session_key(self), None)
            return HttpResponseRedirect(request.path)
        if not NIR_CHARACTERS.fullmatch(nir):
            messages.error(
                request, _("Saisissez le numéro de sécurité sociale complet (15 caractères).")
            )
            return HttpResponseRedirect(request.path)
        request.session[_session_key(self)] = nir
        return HttpResponseRedirect(f"{request.path}?{FLAG}=1")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        nir = getattr(request, "_nir_search", None)
        if nir:
            queryset = queryset.filter(**{self.nir_field: nir})
        return queryset

    def get_search_results(self, request, queryset, search_term):
        if looks_like_nir(search_term):
            messages.warning(
                request,
                _(
                    "Pour chercher un numéro de sécurité sociale, utilisez le champ « Recherche "
                    "par numéro de sécurité sociale » : il ne passe pas par l'adresse de la page."
                ),
            )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)
