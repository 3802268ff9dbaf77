"""Operators' view of delegations: names and masked NIRs only; revoking goes through the
service (audited, takes effect on the delegate's next request)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from delegations import services
from delegations.models import Delegation, Status


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "titulaire_name",
        "titulaire_nir",
        "delegate_name",
        "delegate_nir",
        "level",
        "status",
        "end_date",
        "created_at",
    )
    list_filter = ("status", "level")
    list_select_related = ("titulaire", "delegate")
    search_fields = (
        "titulaire__birth_name",
        "titulaire__first_name",
        "delegate__birth_name",
        "delegate__first_name",
        "email",
    )
    date_hierarchy = "created_at"
    actions = ["revoke_selected"]
    fields = (
        "titulaire_name",
        "titulaire_nir",
        "delegate_name",
        "delegate_nir",
        "email",
        "level",
        "status",
        "end_date",
        "created_at",
        "accepted_at",
        "revoked_at",
    )
    readonly_fields = fields

    @admin.display(description=_("titulaire"), ordering="titulaire__birth_name")
    def titulaire_name(self, obj):
        return obj.titulaire.get_full_name()

    @admin.display(description=_("NIR du titulaire"))
    def titulaire_nir(self, obj):
        return obj.titulaire.masked_nir

    @admin.display(description=_("délégataire"), ordering="delegate__birth_name")
    def delegate_name(self, obj):
        return obj.delegate.get_full_name() if obj.delegate_id else "—"

    @admin.display(description=_("NIR du délégataire"))
    def delegate_nir(self, obj):
        return obj.delegate.masked_nir if obj.delegate_id else "—"

    def has_add_permission(self, request):
        return False  # a delegation is given by its titulaire, never by the team

    def has_delete_permission(self, request, obj=None):
        return False  # revoked delegations stay as history

    @admin.action(description=_("Révoquer les délégations sélectionnées"))
    def revoke_selected(self, request, queryset):
        done = 0
        for delegation in queryset.filter(status__in=[Status.INVITED, Status.ACCEPTED]):
            try:
                services.revoke(delegation, request.user, request=request)
            except (services.DelegationError, PermissionDenied):
                continue
            done += 1
        self.message_user(
            request,
            ngettext("%d délégation révoquée.", "%d délégations révoquées.", done) % done,
            messages.SUCCESS,
        )
