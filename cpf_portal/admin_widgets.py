"""Django admin pieces shared by the apps' admins."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

# Django stores its permissions' names in English ("Can add …"): shown in French here.
_PERMISSION_VERBS = {
    "add": _("Peut ajouter"),
    "change": _("Peut modifier"),
    "delete": _("Peut supprimer"),
    "view": _("Peut voir"),
}


class FrenchPermissionField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, permission):
        verb, _sep, _rest = permission.codename.partition("_")
        model = permission.content_type.model_class()
        if verb not in _PERMISSION_VERBS or model is None:
            return str(permission)
        app, name = model._meta.app_config.verbose_name, model._meta.verbose_name
        return f"{app} | {_PERMISSION_VERBS[verb]} : {name}"


class CheckboxManyToManyMixin:
    """Many-to-many fields as checkboxes rather than Django's two-box filter widget, whose
    JavaScript puts aria-label on plain spans (axe-core: aria-prohibited-attr) and which is
    awkward with a keyboard; permissions labelled in French."""

    filter_horizontal = ()
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            from django.contrib.auth.models import Permission

            kwargs.setdefault(
                "queryset",
                Permission.objects.select_related("content_type").order_by(
                    "content_type__app_label", "content_type__model", "codename"
                ),
            )
            kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
            return db_field.formfield(form_class=FrenchPermissionField, **kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
