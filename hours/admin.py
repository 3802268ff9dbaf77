"""Staff admin of the hours: read-only ledger (movements added only through services), the
balance per NIR, employer declarations and their import, DIF balances. NIR masked in lists."""

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpf_portal.admin_scale import LargeTableAdmin
from cpf_portal.admin_widgets import ExtraPagesMixin, admin_page
from hours import accrual, services
from hours.forms import ImportForm, MovementForm
from hours.models import (
    DifDeclaration,
    DifMovement,
    EmployerDeclaration,
    HoursAccount,
    LedgerEntry,
)
from hours.views import attestation_response
from nir import rules as nir_rules
from nir.admin_search import NirSearchAdminMixin, contains_nir


class ExactNirSearchMixin(NirSearchAdminMixin):
    """The exact NIR through NirSearchAdminMixin (never a fragment, never in the URL); the search
    box also looks up `exact_search_fields` (a dossier reference) exactly."""

    def get_search_results(self, request, queryset, search_term):
        term = (search_term or "").strip()
        if not term:
            return queryset, False
        if contains_nir(term):
            return super().get_search_results(request, queryset, term)
        extra = getattr(self, "exact_search_fields", ())
        if extra:
            from django.db.models import Q

            query = Q()
            for name in extra:
                query |= Q(**{name: term})
            return queryset.filter(query), False
        return queryset.none(), False


DOSSIER_OR_NIR = gettext_lazy(
    "Référence de dossier, ou numéro de sécurité sociale complet (il ne figure jamais dans "
    "l'adresse de la page)."
)


class ReadOnlyMixin:
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.display(description=gettext_lazy("NIR"), ordering="nir")
def masked_nir(obj):
    return nir_rules.mask_nir(obj.nir).replace(" ", "\u00a0")


class YearFilter(admin.SimpleListFilter):
    """The years of the CPF in hours, fixed (2015-2018): Django's field filter would find them
    with a SELECT DISTINCT year over the whole table on every page."""

    title = gettext_lazy("année")
    parameter_name = "year"
    YEARS = [str(year) for year in range(accrual.FIRST_YEAR_WORKED, accrual.LAST_YEAR_WORKED + 1)]

    def lookups(self, request, model_admin):
        return [(year, year) for year in self.YEARS]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in self.YEARS:
            raise IncorrectLookupParameters(f"year {value!r} out of range")
        return queryset.filter(year=int(value))


@admin.register(LedgerEntry)
class LedgerEntryAdmin(
    ExtraPagesMixin, LargeTableAdmin, ExactNirSearchMixin, ReadOnlyMixin, admin.ModelAdmin
):
    list_display = [masked_nir, "year", "kind", "hours", "dossier_ref", "short_label", "created_at"]
    list_filter = ["kind", YearFilter]
    search_fields = ["dossier_ref"]
    exact_search_fields = ["dossier_ref"]
    search_help_text = DOSSIER_OR_NIR
    fields = readonly_fields = [
        "masked_nir",
        "kind",
        "hours",
        "year",
        "label",
        "dossier_ref",
        "dossier_id",
        "created_at",
        "created_by",
    ]
    list_select_related = []  # no column follows a key (created_by is on the row's page)
    list_per_page = 50

    @admin.display(description=gettext_lazy("libellé"))
    def short_label(self, obj):
        return obj.label if len(obj.label) <= 60 else obj.label[:57] + "…"

    extra_pages = (("ajouter-mouvement/", "movement_view", "hours_ledgerentry_movement"),)

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:hours_ledgerentry_movement")

    def movement_view(self, request):
        if not self.has_add_permission(request):
            raise Http404
        form = MovementForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                entry = services.add_movement(
                    data["nir"],
                    data["kind"],
                    data["hours"],
                    data["label"],
                    request.user,
                    request=request,
                )
            except services.HoursError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request,
                    _("Mouvement enregistré : %(e)s. Nouveau solde : %(b)s h.")
                    % {"e": entry, "b": services.cpf_balance(entry.nir)},
                    messages.SUCCESS,
                )
                return redirect("admin:hours_ledgerentry_changelist")
        return admin_page(
            self,
            request,
            "admin/hours/movement.html",
            _("Ajouter un abondement / une correction"),
            form=form,
        )


def _hours_sum_per_nir(model):
    """Sum of `hours` of `model`'s rows for the outer row's NIR (0 when none): one subquery,
    so the balance list runs no query per row."""
    return Coalesce(
        Subquery(
            model.objects.filter(nir=OuterRef("nir"))
            .order_by()
            .values("nir")
            .annotate(total=Sum("hours"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def _dif_subquery():
    used = _hours_sum_per_nir(DifMovement)
    declared = Subquery(
        DifDeclaration.objects.filter(nir=OuterRef("nir")).values("hours")[:1],
        output_field=IntegerField(),
    )
    return declared + used  # NULL (shown "—") when no DIF balance was entered


@admin.register(HoursAccount)
class HoursAccountAdmin(LargeTableAdmin, ExactNirSearchMixin, ReadOnlyMixin, admin.ModelAdmin):
    """The CPF balance is the account's stored balance (kept by hours.services, indexed both
    ways): sorted over 1 M accounts by an index walk. The DIF balance is computed for the rows
    shown only (50 subqueries), so it is not sortable: a sort would compute it for every row."""

    list_display = [masked_nir, "cpf_balance", "dif", "created_at"]
    fields = readonly_fields = ["masked_nir", "cpf_balance", "created_at"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(dif=_dif_subquery())

    @admin.display(description=gettext_lazy("solde DIF (h)"))
    def dif(self, obj):
        return "—" if obj.dif is None else obj.dif


@admin.register(EmployerDeclaration)
class EmployerDeclarationAdmin(
    ExtraPagesMixin, LargeTableAdmin, ExactNirSearchMixin, ReadOnlyMixin, admin.ModelAdmin
):
    list_display = [
        masked_nir,
        "year",
        "hours_worked",
        "reference_hours",
        "low_qualified",
        "imported_at",
        "source_file",
    ]
    list_filter = [YearFilter, "low_qualified"]
    fields = readonly_fields = [
        "masked_nir",
        "year",
        "hours_worked",
        "reference_hours",
        "low_qualified",
        "imported_at",
        "source_file",
    ]
    change_list_template = "admin/hours/employerdeclaration/change_list.html"

    def has_add_permission(self, request):
        return False

    def can_import(self, request):
        return request.user.has_perm("hours.add_employerdeclaration")

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self.can_import(request)}
        return super().changelist_view(request, extra_context)

    extra_pages = (("importer/", "import_view", "hours_employerdeclaration_import"),)

    def import_view(self, request):
        if not self.can_import(request):
            raise Http404
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            with upload.open("rb") as stream:  # streamed, as the command does
                report = services.import_declarations(
                    stream, upload.name, request.user, request=request
                )
            if report.ok:
                self.message_user(
                    request,
                    _(
                        "Import terminé : %(c)s déclaration(s) importée(s), %(a)s déjà "
                        "présente(s), %(h)s heure(s) créditée(s)."
                    )
                    % {
                        "c": report.declarations_created,
                        "a": report.already_imported,
                        "h": report.hours_credited,
                    },
                    messages.SUCCESS,
                )
                return redirect("admin:hours_employerdeclaration_changelist")
        return admin_page(
            self,
            request,
            "admin/hours/employerdeclaration/import.html",
            _("Importer des déclarations"),
            form=form,
            report=report,
        )


@admin.register(DifDeclaration)
class DifDeclarationAdmin(
    ExtraPagesMixin, LargeTableAdmin, ExactNirSearchMixin, ReadOnlyMixin, admin.ModelAdmin
):
    list_display = [masked_nir, "hours", "declared_at", "locked_at", "attestation_link"]
    list_filter = ["locked_at"]
    fields = readonly_fields = [
        "masked_nir",
        "hours",
        "declared_at",
        "locked_at",
        "attestation_link",
        "attestation_name",
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=gettext_lazy("attestation"))
    def attestation_link(self, obj):
        if not obj.attestation:
            return "—"
        url = reverse("admin:hours_difdeclaration_attestation", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Télécharger"))

    extra_pages = (
        ("<int:pk>/attestation/", "attestation_view", "hours_difdeclaration_attestation"),
    )

    def attestation_view(self, request, pk):
        if not self.has_view_permission(request):
            raise Http404
        return attestation_response(DifDeclaration.objects.filter(pk=pk).first())


@admin.register(DifMovement)
class DifMovementAdmin(LargeTableAdmin, ExactNirSearchMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = [masked_nir, "kind", "hours", "dossier_ref", "created_at"]
    list_filter = ["kind"]
    search_fields = ["dossier_ref"]
    exact_search_fields = ["dossier_ref"]
    search_help_text = DOSSIER_OR_NIR
    fields = readonly_fields = ["masked_nir", "kind", "hours", "dossier_ref", "created_at"]

    def has_add_permission(self, request):
        return False
