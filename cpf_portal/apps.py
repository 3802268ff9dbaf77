from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.apps import TasksAppConfig


class PortalAdminConfig(AdminConfig):
    """django.contrib.admin, whose default site (`admin.site`, used by every app's admin
    module, the libraries' included) is the portal's."""

    default_site = "cpf_portal.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()  # autodiscovers every app's admin module
        # The app registry imports this module before any model exists; library_admins
        # imports the libraries' models and admins, so only once they are ready.
        from cpf_portal import library_admins  # cycle: registry -> apps.py -> models

        library_admins.install(self.module.site)


# The libraries' app names in the admin, in French: Django's way to rename a third-party app
# is a subclass of its AppConfig in INSTALLED_APPS (their verbose_name is not translatable).
def _when(moment) -> str:
    return date_format(localtime(moment), "DATETIME_FORMAT") if moment else "—"


def _french_str(template):
    """A model's __str__ in French (the libraries' are English f-strings: the admin shows them
    in titles, breadcrumbs and confirmations)."""

    def __str__(self):
        return template() % {"when": _when(self.attempt_time)}

    return __str__


class AxesConfig(AxesAppConfig):
    verbose_name = gettext_lazy("Tentatives de connexion")

    def ready(self):
        super().ready()
        for name, template in (
            ("AccessAttempt", lambda: _("Tentative de connexion du %(when)s")),
            ("AccessLog", lambda: _("Connexion du %(when)s")),
            ("AccessFailureLog", lambda: _("Échec de connexion du %(when)s")),
        ):
            self.get_model(name).__str__ = _french_str(template)


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = gettext_lazy("Tâches en arrière-plan")

    def ready(self):
        super().ready()
        # Django's default "DBTaskResult object (…)", in French.
        self.get_model("DBTaskResult").__str__ = lambda result: (
            _("Tâche %(path)s du %(when)s")
            % {"path": result.task_path, "when": _when(result.enqueued_at)}
        )


class CaptchaConfig(AppConfig):
    """django-simple-captcha has no AppConfig and its model no verbose name ("captcha store",
    shown in the groups' permissions). Only `_meta.verbose_name` changes, not the model's Meta
    (`original_attrs`, which migrations compare): no migration in the library."""

    name = "captcha"
    verbose_name = gettext_lazy("Contrôle de sécurité (captcha)")

    def ready(self):
        store = self.get_model("CaptchaStore")
        store._meta.verbose_name = gettext_lazy("défi du contrôle de sécurité")
        store._meta.verbose_name_plural = gettext_lazy("défis du contrôle de sécurité")
