"""Admin searches that never put a NIR in a URL.

Django's admin search is a GET form (`?q=…`): a NIR typed there would land in the address bar,
the browser history and the web server's logs. Here every admin list's search box is a POST
form (`templates/admin/search_form.html`); `AdminSearchMiddleware` answers it with a redirect:

- an ordinary term goes on as Django expects it, `?q=term`, the list's filters kept;
- a NIR, on a list of rows keyed by a NIR (`NirSearchAdminMixin`), is put in the session and
  the list is reached with a flag (`?recherche_nir=1`), filtered from the session;
- a NIR anywhere else, or mixed with other words, is dropped with a message.

A `?q=` crafted by hand with a NIR finds nothing and says to use the search box.
"""

import re

from django.contrib import messages
from django.contrib.admin.views.main import SEARCH_VAR
from django.http import HttpResponseRedirect, QueryDict
from django.utils.translation import gettext_lazy as _

from nir import rules as nir_rules

FLAG = "recherche_nir"
MARKER = "_recherche"  # hidden field of the search form: a search, not an admin action

NIR_CHARACTERS = re.compile(r"[0-9AB]{15}")  # once normalised: digits, 2A/2B for Corsica
# 13 characters or more that read like the start of a NIR, once spaces, dots and dashes are
# removed: a full or almost full NIR hidden in a longer term.
NIR_INSIDE = re.compile(r"[12378][0-9]{4}[0-9AB][0-9]{7}")
SEPARATORS = re.compile(r"[\s.\-_/]+")


def _session_key(model_admin) -> str:
    return f"admin_nir_search:{model_admin.opts.label_lower}"


def looks_like_nir(term: str) -> bool:
    """13 to 15 NIR characters once spaces are removed: a full or almost full NIR."""
    value = nir_rules.normalize_nir(term or "")
    return 13 <= len(value) <= 15 and value[:1] in "12378" and value[1:5].isdigit()


def contains_nir(term: str) -> bool:
    return bool(NIR_INSIDE.search(SEPARATORS.sub("", (term or "").upper())))


def search_redirect(request, model_admin):
    """The answer to a POSTed admin search: the list's address, with no NIR in it."""
    term = request.POST.get(SEARCH_VAR, "").strip()
    params = QueryDict(mutable=True)
    for key, values in request.POST.lists():
        if key not in (SEARCH_VAR, MARKER, FLAG, "csrfmiddlewaretoken"):
            params.setlist(key, values)
    nir_list = isinstance(model_admin, NirSearchAdminMixin)
    if nir_list:
        request.session.pop(_session_key(model_admin), None)
    if "\x00" in term:
        messages.error(request, _("La recherche contient un caractère non autorisé."))
    elif nir_list and looks_like_nir(term):
        nir = nir_rules.normalize_nir(term)
        if NIR_CHARACTERS.fullmatch(nir):
            request.session[_session_key(model_admin)] = nir
            params[FLAG] = "1"
        else:
            messages.error(
                request, _("Saisissez le numéro de sécurité sociale complet (15 caractères).")
            )
    elif contains_nir(term):
        messages.warning(
            request,
            _("Saisissez le numéro de sécurité sociale seul, sans autre mot.")
            if nir_list
            else _("Cette liste ne se cherche pas par numéro de sécurité sociale."),
        )
    elif term:
        params[SEARCH_VAR] = term
    query = params.urlencode()
    return HttpResponseRedirect(f"{request.path}?{query}" if query else request.path)


class AdminSearchMiddleware:
    """Answers the POSTed search box of every admin list (ours and the libraries')."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # After CsrfViewMiddleware and AuthenticationMiddleware: the token is checked already.
        # ModelAdmin.get_urls() tags its views with their ModelAdmin.
        model_admin = getattr(view_func, "model_admin", None)
        if (
            model_admin is None
            or getattr(view_func, "__name__", "") != "changelist_view"
            or request.method != "POST"
            or MARKER not in request.POST
            or not (request.user.is_active and request.user.is_staff)
        ):
            return None
        return search_redirect(request, model_admin)


class NirSearchAdminMixin:
    """For ModelAdmins of models with a `nir` field: the search box also finds an exact NIR."""

    change_list_template = "admin/nir_search_change_list.html"
    nir_field = "nir"
    search_help_text = _(
        "Numéro de sécurité sociale complet, avec ou sans espaces : il ne figure jamais dans "
        "l'adresse de la page."
    )

    def get_search_fields(self, request):
        # Lists with nothing else to search still get the box, for the exact NIR.
        return super().get_search_fields(request) or (f"={self.nir_field}",)

    def changelist_view(self, request, extra_context=None):
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
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=context)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        nir = getattr(request, "_nir_search", None)
        if nir:
            queryset = queryset.filter(**{self.nir_field: nir})
        return queryset

    def get_search_results(self, request, queryset, search_term):
        if contains_nir(search_term):
            # Only a hand-made address gets here: the search box never puts a NIR in `q`.
            messages.warning(
                request,
                _(
                    "Pour chercher un numéro de sécurité sociale, saisissez-le dans le champ "
                    "« Rechercher » : il ne passe pas par l'adresse de la page."
                ),
            )
            return queryset.none(), False
        return super().get_search_results(request, queryset, search_term)
