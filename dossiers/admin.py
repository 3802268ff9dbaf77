"""Staff decide on dossiers here; every action calls dossiers.services (never a bare save)."""

from functools import partial

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpf_portal.admin_scale import LargeTableAdmin
from cpf_portal.admin_widgets import admin_page
from dossiers import services, transitions
from dossiers.forms import RefuseForm
from dossiers.models import ActorRole, Dossier
from nir.admin_search import NirSearchAdminMixin, contains_nir, messages


def _run(modeladmin, request, queryset, service, done):
    for dossier in queryset:
        try:
            service(dossier, actor=request.user, request=request)
        except services.DossierError as exc:
            modeladmin.message_user(request, f"{dossier.reference} : {exc.message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"{dossier.reference} : {done}", messages.SUCCESS)


@admin.register(Dossier)
class DossierAdmin(LargeTableAdmin, NirSearchAdminMixin, admin.ModelAdmin):
    list_display = [
        "reference",
        "titulaire_display",
        "nir_display",
        "training",
        "hours_dif",
        "hours_cpf",
        "status",
        "confidential",
        "created_at",
    ]
    list_filter = ["status", "confidential", "created_at"]
    search_fields = ["reference"]
    search_help_text = gettext_lazy(
        "Référence du dossier, ou numéro de sécurité sociale complet du titulaire (il ne figure "
        "jamais dans l'adresse de la page)."
    )
    list_select_related = ["titulaire", "training"]
    actions = ["action_validate", "action_refuse", "action_close", "action_cancel"]
    fields = [
        "reference",
        "titulaire_display",
        "nir_display",
        "training_details",
        "agreement_date",
        "start_date",
        "end_date",
        "hours_total",
        "hours_dif",
        "hours_cpf",
        "confidential",
        "status",
        "hours_debited",
        "refusal_reason",
        "created_at",
        "updated_at",
        "history",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("titulaire"))
    def titulaire_display(self, obj):
        return obj.titulaire.get_full_name()

    @admin.display(description=gettext_lazy("NIR"))
    def nir_display(self, obj):
        return obj.masked_nir

    @admin.display(description=gettext_lazy("formation"))
    def training_details(self, obj):
        # Everything an operator needs to decide, without access to the catalogue's admin.
        training = obj.training
        return _(
            "%(code)s — %(title)s ; %(provider)s, %(town)s (%(dep)s) ; %(mode)s, %(hours)s h"
        ) % {
            "code": training.cpf_code,
            "title": training.title,
            "provider": training.provider,
            "town": training.town,
            "dep": training.department_code,
            "mode": training.get_mode_display(),
            "hours": training.duration_hours,
        }

    @admin.display(description=gettext_lazy("historique du dossier"))
    def history(self, obj):
        # A plain read-only table rather than an inline: labels instead of stored codes, local
        # times, authors as names (an Opérateur may not open accounts), and every column headed.
        return render_to_string(
            "admin/dossiers/dossier/history.html",
            {"events": obj.events.select_related("actor")},
        )

    # The page is read-only: no save buttons, but the decisions open to staff for this
    # status, as buttons that run the same actions as the list (change_form.html).
    DECISIONS = {
        transitions.VALIDATE: ("action_validate", gettext_lazy("Valider")),
        transitions.REFUSE: ("action_refuse", gettext_lazy("Refuser (avec un motif)")),
        transitions.CLOSE: ("action_close", gettext_lazy("Clore (formation terminée)")),
        transitions.CANCEL: ("action_cancel", gettext_lazy("Annuler")),
    }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        dossier = self.get_object(request, object_id)
        decisions = []
        if dossier is not None and self.has_change_permission(request, dossier):
            allowed = transitions.allowed_actions(dossier.status, transitions.ACTOR_STAFF)
            decisions = [self.DECISIONS[action] for action in allowed if action in self.DECISIONS]
        extra_context = {
            **(extra_context or {}),
            "decisions": decisions,
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete_link": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_search_results(self, request, queryset, search_term):
        """The search box finds a reference exactly, or a NIR (the mixin, never in the URL)."""
        term = search_term.strip()
        if not term or contains_nir(term):
            return super().get_search_results(request, queryset, term)
        return queryset.filter(reference__iexact=term), False

    def has_add_permission(self, request):
        return False  # dossiers are created by titulaires

    def has_delete_permission(self, request, obj=None):
        return False  # cancel instead: the history and the ledger stay consistent

    @admin.action(
        permissions=["change"], description=gettext_lazy("Valider les dossiers sélectionnés")
    )
    def action_validate(self, request, queryset):
        _run(self, request, queryset, services.validate, _("dossier validé, heures débitées."))

    @admin.action(
        permissions=["change"],
        description=gettext_lazy("Clore les dossiers sélectionnés (formation terminée)"),
    )
    def action_close(self, request, queryset):
        _run(self, request, queryset, services.close, _("dossier clos."))

    @admin.action(
        permissions=["change"], description=gettext_lazy("Annuler les dossiers sélectionnés")
    )
    def action_cancel(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            partial(services.cancel, role=ActorRole.STAFF),
            _("dossier annulé."),
        )

    @admin.action(
        permissions=["change"],
        description=gettext_lazy("Refuser les dossiers sélectionnés (avec un motif)"),
    )
    def action_refuse(self, request, queryset):
        form = RefuseForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            reason = form.cleaned_data["reason"]

            def refuse(dossier, *, actor, request):
                return services.refuse(dossier, actor=actor, reason=reason, request=request)

            _run(self, request, queryset, refuse, _("dossier refusé."))
            return None
        return admin_page(
            self,
            request,
            "admin/dossiers/dossier/refuse.html",
            _("Refuser des dossiers"),
            form=form,
            dossiers=queryset,
            action_checkbox_name=admin.helpers.ACTION_CHECKBOX_NAME,
        )
