from django.contrib import admin

from audit.models import AuditEntry
from cpf_portal.admin_scale import LargeTableAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(LargeTableAdmin, admin.ModelAdmin):
    """Staff read the trail; nobody adds, changes or deletes an entry."""

    list_display = ("at", "event", "actor", "ip", "object_repr", "short_subject")
    list_filter = ("event", ("at", admin.DateFieldListFilter))
    search_fields = ("subject_hash", "object_repr", "ip")
    date_hierarchy = "at"
    list_select_related = ("actor",)
    readonly_fields = ("at", "event", "actor", "subject_hash", "ip", "object_repr", "detail")

    @admin.display(description="NIR (empreinte)")
    def short_subject(self, entry):
        return entry.subject_hash[:12] + "…" if entry.subject_hash else ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
