from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin, whose default site (`admin.site`, used by every app's admin
    module, the libraries' included) is the portal's."""

    default_site = "cpf_portal.admin_site.PortalAdminSite"
