"""The libraries' admins in French, where the libraries do not mark a label for translation.

Most of django-axes' and django-tasks-db's labels are marked with gettext and translated by the
portal's locale (locale/fr/LC_MESSAGES/django.po). What is left are plain English strings in
their ModelAdmin classes: two column titles of django-tasks-db, and axes' cleanup action, whose
message is an f-string inside gettext (untranslatable) and which fails when the request did not
go through axes' login signals (no `axes_attempt_time`: a 500), and the title of axes'
"status" column (a method without a description: "Status"). `install(site)` re-registers those two
admins with French subclasses, after the admin's autodiscovery (cpf_portal.apps).
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.apps import apps
from django.contrib import admin
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult


class FrenchAccessAttemptAdmin(AccessAttemptAdmin):
    actions = ["cleanup_expired_attempts"]

    @admin.action(description=_("Supprimer les tentatives expirées"))
    def cleanup_expired_attempts(self, request, queryset):
        # axes reads the attempt's time from the request its login signals annotate; an admin
        # request has none: None means now (real clock: lockouts are security timers).
        request.axes_attempt_time = None
        count = self.handler.clean_expired_user_attempts(request=request)
        message = _("Tentatives de connexion expirées supprimées : %(count)d.")
        self.message_user(request, message % {"count": count})

    @admin.display(description=_("État"))
    def status(self, obj):
        return super().status(obj)


class FrenchTaskResultAdmin(DBTaskResultAdmin):
    @admin.display(description=_("trace de l'erreur"))
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=_("à exécuter après"))
    def display_run_after(self, obj):
        return super().display_run_after(obj)


def name_through_models() -> None:
    """Django names the tables it creates for many-to-many fields after the classes, in English
    ("Relation titulaire-group: Titulaire_groups object (1)" in a delete confirmation): named
    here after the two models' French verbose names. Auto-created models have no migrations."""
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.auto_created:
            continue
        first, second = (field for field in model._meta.fields if field.is_relation)
        model._meta.verbose_name = format_lazy(
            _("lien {} – {}"),
            first.remote_field.model._meta.verbose_name,
            second.remote_field.model._meta.verbose_name,
        )
        model._meta.verbose_name_plural = format_lazy(
            _("liens {} – {}"),
            first.remote_field.model._meta.verbose_name,
            second.remote_field.model._meta.verbose_name,
        )
        model.__str__ = _through_str(first.name, second.name)


def _through_str(first: str, second: str):
    def __str__(self):
        return f"{getattr(self, first)} – {getattr(self, second)}"

    return __str__


REPLACEMENTS = {AccessAttempt: FrenchAccessAttemptAdmin, DBTaskResult: FrenchTaskResultAdmin}


def install(site) -> None:
    for model, admin_class in REPLACEMENTS.items():
        if site.is_registered(model):  # axes registers its admins only if AXES_ENABLE_ADMIN
            site.unregister(model)
            site.register(model, admin_class)
    name_through_models()
