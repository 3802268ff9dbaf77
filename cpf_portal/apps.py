from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin with the portal's site (its login goes through the gate)."""

    default_site = "cpf_portal.admin_site.PortalAdminSite"
