from django.apps import AppConfig

# The portal's deployment checks register on import (cpf_portal is the project, not an app).
from cpf_portal import checks  # noqa: F401


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Pages d'information"
