from django.contrib import admin

from demo.models import DemoEmail


@admin.register(DemoEmail)
class DemoEmailAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipients", "sent_at")
    search_fields = ("recipients", "subject")
    date_hierarchy = "sent_at"
    readonly_fields = ("from_email", "recipients", "subject", "body", "html_body", "sent_at")

    def has_add_permission(self, request):
        return False
