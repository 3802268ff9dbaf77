from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages d'information"

    def ready(self):
        # The portal's deployment checks (cpf_portal is the project, not an app).
        from cpf_portal import checks  # noqa: F401
