from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue.forms import CatalogueImportForm
from catalogue.geography import DEPARTMENT_NAMES, REGIONS
from catalogue.importer import decode, import_catalogue
from catalogue.models import EligibilityList, ListKind, Training
from cpf_portal.admin_scale import LargeTableAdmin
from cpf_portal.admin_widgets import CheckboxManyToManyMixin, ExtraPagesMixin, admin_page


@admin.register(EligibilityList)
class EligibilityListAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "region", "branch"]
    list_filter = ["kind"]
    search_fields = ["region", "branch"]


class FixedChoicesFilter(admin.SimpleListFilter):
    """A sidebar filter whose choices are fixed in the code: Django's field filter would find
    them with a SELECT DISTINCT over the 100,000 trainings on every page. A value it does not
    offer is the admin's `?e=1` page."""

    def choices_offered(self) -> list[tuple[str, str]]:
        raise NotImplementedError

    def lookups(self, request, model_admin):
        return self.choices_offered()

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in dict(self.choices_offered()):
            raise IncorrectLookupParameters(f"{self.parameter_name} {value!r} not offered")
        return self.filter(queryset, value)

    def filter(self, queryset, value):
        raise NotImplementedError


class RegionFilter(FixedChoicesFilter):
    title = gettext_lazy("région")
    parameter_name = "region"

    def choices_offered(self):
        return [(region, region) for region in REGIONS]

    def filter(self, queryset, value):
        return queryset.filter(region=value)


class DepartmentFilter(FixedChoicesFilter):
    title = gettext_lazy("département")
    parameter_name = "departement"  # admin URL parameter, shown to staff: kept

    def choices_offered(self):
        return [(code, f"{code} {name}") for code, name in DEPARTMENT_NAMES.items()]

    def filter(self, queryset, value):
        return queryset.filter(department_code=value)


class ListKindFilter(FixedChoicesFilter):
    """By the stored kinds of a training's lists: no join to the links, hence no DISTINCT."""

    title = gettext_lazy("liste éligible")
    parameter_name = "liste"

    def choices_offered(self):
        return ListKind.choices

    def filter(self, queryset, value):
        return queryset.in_list_kind(value)


@admin.register(Training)
class TrainingAdmin(ExtraPagesMixin, LargeTableAdmin, CheckboxManyToManyMixin, admin.ModelAdmin):
    list_display = [
        "cpf_code",
        "title",
        "provider",
        "town",
        "department_code",
        "mode",
        "duration_hours",
        "kind",
        "is_active",
    ]
    list_filter = ["mode", "kind", "is_active", ListKindFilter, RegionFilter, DepartmentFilter]
    readonly_fields = ["region"]  # derived from the département code on save
    search_fields = ["cpf_code", "title", "certification", "provider", "town"]
    list_per_page = 50
    change_list_template = "admin/catalogue/training/change_list.html"

    extra_pages = (("import/", "import_view", "catalogue_training_import"),)

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:catalogue_training_changelist")
        report = None
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = import_catalogue(decode(form.cleaned_data["file"].read()))
            if report.ok:
                self.message_user(
                    request,
                    _("Import terminé : %(c)s formations créées, %(u)s mises à jour.")
                    % {"c": report.created, "u": report.updated},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:catalogue_training_changelist"))
        return admin_page(
            self,
            request,
            "admin/catalogue/training/import.html",
            _("Importer le catalogue (CSV)"),
            form=form,
            report=report,
        )
