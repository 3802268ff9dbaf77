from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from catalogue.forms import CatalogueImportForm
from catalogue.importer import decode, import_catalogue
from catalogue.models import EligibilityList, Training
from cpf_portal.admin_scale import LargeTableAdmin
from cpf_portal.admin_widgets import CheckboxManyToManyMixin


@admin.register(EligibilityList)
class EligibilityListAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "region", "branche"]
    list_filter = ["kind"]
    search_fields = ["region", "branche"]


@admin.register(Training)
class TrainingAdmin(LargeTableAdmin, CheckboxManyToManyMixin, admin.ModelAdmin):
    list_display = [
        "code_cpf",
        "title",
        "organisme",
        "ville",
        "departement_code",
        "modalite",
        "duree_heures",
        "kind",
        "is_active",
    ]
    list_filter = ["modalite", "kind", "is_active", "listes__kind", "region", "departement_nom"]
    readonly_fields = ["region"]  # derived from the département code on save
    search_fields = ["code_cpf", "title", "certification", "organisme", "ville"]
    list_per_page = 50
    change_list_template = "admin/catalogue/training/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalogue_training_import",
            ),
            *super().get_urls(),
        ]

    def import_view(self, request):
        if not self.has_add_permission(request) or not self.has_change_permission(request):
            return redirect("admin:catalogue_training_changelist")
        report = None
        form = CatalogueImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            report = import_catalogue(decode(form.cleaned_data["fichier"].read()))
            if report.ok:
                self.message_user(
                    request,
                    _("Import terminé : %(c)s formations créées, %(u)s mises à jour.")
                    % {"c": report.created, "u": report.updated},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:catalogue_training_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Importer le catalogue (CSV)"),
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/catalogue/training/import.html", context)
