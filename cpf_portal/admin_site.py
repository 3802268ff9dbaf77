"""The portal's admin site: every change list, ours and the libraries', filters only by what its
sidebar offers, and never sorts by a NIR.

Django's `ModelAdmin.lookup_allowed` admits any lookup on a model's own fields from the URL:
`?nir__startswith=2830` answered 1 row or 0 (a masked NIR recovered digit by digit), `?nir=`
put a NIR in a URL, `?nir__regex=(` or `?agreement_date__year=99999` reached the database and
answered 500. Here a change list admits only the parameters of its own list filters and of its
date hierarchy, with values their field can hold; anything else gets the admin's own errors:
400 (`DisallowedModelAdminLookup`, the French 400 page) for a lookup the sidebar does not
offer, the `?e=1` page (`IncorrectLookupParameters`) for a value out of range.

Sorting by a NIR column (`?o=`), or a list ordered by NIR by default, would place a row of a
NIR the operator chose (an hours movement, an imported declaration) among the others: a binary
search recovers a masked NIR. Those orderings are dropped; the column is not sortable.

The rules live in one mixin that `PortalAdminSite.register` puts in front of every ModelAdmin
registered, so that third-party admins (axes, django-tasks-db, auth's Group…) get it too and an
admin class needs nothing to inherit it.

Its login door goes through the portal's authentication gate (accounts.services.gate) instead of
authenticate(): the same counters as the portal's login (`OperatorLoginView`).
"""

import datetime

from django.contrib import admin
from django.contrib.admin import FieldListFilter, SimpleListFilter, widgets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView, LogoutView, login_not_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import connection, models
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from accounts.forms.admin_login import OperatorAuthenticationForm
from accounts.services import login as service
from accounts.views.login import IP_BLOCKED_MESSAGE, locked_message

# Dates a list may be filtered on: wide enough for any row of the portal, narrow enough that
# Django's date arithmetic (the next year, 32 days on) and the time zone shift never overflow.
YEARS = range(1900, 2101)
HIERARCHY_RANGES = {"year": YEARS, "month": range(1, 13), "day": range(1, 32)}


def _check_value(field, value: str) -> None:
    """Raise IncorrectLookupParameters unless `value` is one `field` can hold."""
    if "\x00" in value:
        raise IncorrectLookupParameters("NUL in a filter value")
    if field.is_relation:
        field = field.target_field
    try:
        python = field.to_python(value)
    except (ValidationError, ValueError, TypeError, OverflowError) as error:
        raise IncorrectLookupParameters(error) from error
    if python is None:
        return
    if isinstance(field, models.IntegerField):  # AutoFields included
        low, high = connection.ops.integer_field_range(field.get_internal_type())
        if (low is not None and python < low) or (high is not None and python > high):
            raise IncorrectLookupParameters(f"{value!r} out of range")
    elif isinstance(python, datetime.date) and python.year not in YEARS:
        raise IncorrectLookupParameters(f"{value!r} out of range")


def _check_hierarchy_value(part: str, value: str) -> None:
    digits = value.isascii() and value.isdigit() and len(value) <= 4
    if not (digits and int(value) in HIERARCHY_RANGES[part]):
        raise IncorrectLookupParameters(f"date hierarchy {part} {value!r} out of range")


def orders_by_nir(term) -> bool:
    """True for an ordering term ("nir", "-titulaire__nir", F("nir").asc()…) on a NIR."""
    if isinstance(term, str):
        name = term.lstrip("-?")
    else:
        expression = getattr(term, "expression", term)  # OrderBy(F("nir"))
        name = getattr(expression, "name", "") or ""
    return name.split(LOOKUP_SEP)[-1] == "nir"


class NirFreeOrdering:
    """ChangeList part: no ordering by a NIR, neither asked (`?o=`) nor by default."""

    def get_ordering_field(self, field_name):
        field = super().get_ordering_field(field_name)
        return None if field is not None and orders_by_nir(field) else field

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        kept = [term for term in ordering if not orders_by_nir(term)]
        if len(kept) != len(ordering) and not {"pk", "-pk"} & set(kept):
            kept.append("-pk")  # still a total order, as Django wants for pagination
        return kept


_CHANGELISTS = {}


def column_ordering(model_admin, name):
    """What a list_display column sorts by, as ChangeList.get_ordering_field finds it."""
    if isinstance(name, str):
        try:
            return model_admin.opts.get_field(name).name
        except FieldDoesNotExist:
            pass
    if callable(name):
        attr = name
    elif hasattr(model_admin, name):
        attr = getattr(model_admin, name)
    else:
        attr = getattr(model_admin.model, name, None)
    if isinstance(attr, property):
        attr = attr.fget
    return getattr(attr, "admin_order_field", None)


class SidebarLookupsOnly:
    """A change list filters only by the parameters its sidebar filters and date hierarchy
    generate, and never sorts by a NIR. Put in front of every ModelAdmin by PortalAdminSite."""

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        if base not in _CHANGELISTS:
            _CHANGELISTS[base] = type(base.__name__, (NirFreeOrdering, base), {})
        return _CHANGELISTS[base]

    def get_sortable_by(self, request):
        """The column headers: no sort link on a column that sorts by a NIR."""
        return [
            name
            for name in super().get_sortable_by(request)
            if not orders_by_nir(column_ordering(self, name) or "")
        ]

    def sidebar_parameters(self, request) -> dict:
        """{parameter: field whose values it takes, or None when the filter checks its value}.

        Built from the list filters as ChangeList builds them, with no parameter given (no
        filtering). Computed only for a request that carries lookups, once per request."""
        cache = request.__dict__.setdefault("_sidebar_parameters", {})
        if self in cache:
            return cache[self]
        params = {}
        for item in self.get_list_filter(request):
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                params[item.parameter_name] = None  # its own queryset() reads the value
                continue
            if callable(item):  # another ListFilter class
                spec = item(request, {}, self.model, self)
                params.update(dict.fromkeys(spec.expected_parameters()))
                continue
            path, filter_class = item if isinstance(item, (list, tuple)) else (item, None)
            filter_class = filter_class or FieldListFilter.create
            field = path
            if not isinstance(field, models.Field):
                field = get_fields_from_path(self.model, path)[-1]
            spec = filter_class(field, request, {}, self.model, self, field_path=path)
            for name in spec.expected_parameters():
                checks_itself = name.endswith(("__isnull", "__isempty"))
                params[name] = None if checks_itself else field
        if self.date_hierarchy:
            for part in HIERARCHY_RANGES:
                params[f"{self.date_hierarchy}__{part}"] = part
        cache[self] = params
        return params

    def lookup_allowed(self, lookup, value, request):
        # Popups of raw-id widgets filter by their field's limit_choices_to: Django's own pairs.
        for fk_lookup in self.model._meta.related_fkey_lookups:
            if callable(fk_lookup):
                fk_lookup = fk_lookup()
            if (lookup, value) in widgets.url_params_from_lookup_dict(fk_lookup).items():
                return True
        params = self.sidebar_parameters(request)
        if lookup not in params:
            return False
        check = params[lookup]
        if isinstance(check, str):
            _check_hierarchy_value(check, value)
        elif check is not None:
            _check_value(check, value)
        return super().lookup_allowed(lookup, value, request)


class OperatorLoginView(LoginView):
    """LoginView whose form only validates its fields; the password is checked by the gate."""

    def form_valid(self, form):
        identifier = form.cleaned_data["username"]
        result = service.attempt_operator_login(
            self.request, identifier, form.cleaned_data["password"]
        )
        if result.outcome == service.OK:
            return HttpResponseRedirect(self.get_success_url())
        status = 429
        if result.outcome == service.LOCKED:
            form.add_error(None, locked_message(identifier))
        elif result.outcome == service.IP_BLOCKED:
            form.add_error(None, IP_BLOCKED_MESSAGE)
        else:  # a wrong password and a titulaire without staff rights: the same answer
            form.add_error(None, form.get_invalid_login_error())
            status = 200
        return self.render_to_response(self.get_context_data(form=form), status=status)


class OperatorLogoutView(LogoutView):
    """The admin's logout says so on its own page (« Vous êtes déconnecté »), rather than
    redirecting to LOGOUT_REDIRECT_URL, the titulaires' login, which would not say it."""

    def get_default_redirect_url(self):
        return self.request.path


class PortalAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SidebarLookupsOnly):
            admin_class = type(
                admin_class.__name__,
                (SidebarLookupsOnly, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        return super().register(model_or_iterable, admin_class, **options)

    def logout(self, request, extra_context=None):
        # As AdminSite.logout, with OperatorLogoutView.
        context = {**self.each_context(request), "has_permission": False, **(extra_context or {})}
        request.current_app = self.name
        return OperatorLogoutView.as_view(
            extra_context=context, template_name="admin/logged_out.html"
        )(request)

    @method_decorator(never_cache)
    @login_not_required
    def login(self, request, extra_context=None):
        # As AdminSite.login, with OperatorLoginView.

        redirect_url = LoginView().get_redirect_url(request) or reverse(
            "admin:index", current_app=self.name
        )
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(redirect_url)
        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
            REDIRECT_FIELD_NAME: redirect_url,
        }
        context.update(extra_context or {})
        request.current_app = self.name
        return OperatorLoginView.as_view(
            extra_context=context,
            authentication_form=OperatorAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)
