"""Django admin pieces shared by the apps' admins."""

from django import forms
from django.db import models
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

# Django stores its permissions' names in English ("Can add …"): shown in French here.
_PERMISSION_VERBS = {
    "add": _("Peut ajouter"),
    "change": _("Peut modifier"),
    "delete": _("Peut supprimer"),
    "view": _("Peut voir"),
}


BIGINT = range(-(2**63), 2**63)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing integer keys a 64-bit column cannot hold with its own error
    message: Django's `pk__in` lookup passes them to SQLite, which raises OverflowError (a
    500) instead of finding nothing."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        field = self.queryset.model._meta.pk if key == "pk" else None
        if isinstance(field, models.IntegerField):  # AutoField and BigAutoField included
            for pk in value or ():
                try:
                    in_range = int(str(pk).strip()) in BIGINT
                except ValueError:
                    continue  # Django's own check answers with invalid_pk_value
                if not in_range:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": pk},
                    )
        return super()._check_values(value)


class FrenchPermissionField(BoundedModelMultipleChoiceField):
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
        kwargs.setdefault("form_class", BoundedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def admin_page(model_admin, request, template: str, title, **context) -> TemplateResponse:
    """A custom page of a model's admin (an import, a movement, an action's form), with what
    the admin's base template needs: the site's context, the model's options and the title."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "title": title,
            **context,
        },
    )


class CsvUploadField(forms.FileField):
    """The CSV file of an admin import, refused past `max_bytes` with `too_large_message`."""

    def __init__(self, *, max_bytes: int, too_large_message, **kwargs):
        self.max_bytes = max_bytes
        self.too_large_message = too_large_message
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > self.max_bytes:
            raise forms.ValidationError(self.too_large_message, code="too_large")
        return upload


class ExtraPagesMixin:
    """A model admin with pages of its own: `extra_pages` lists (route, view method's name, URL
    name). Each goes through admin_view (staff login, no cache) and comes before Django's
    URLs, whose `<path:object_id>/` would otherwise take it."""

    extra_pages: tuple[tuple[str, str, str], ...] = ()

    def get_urls(self):
        own = [
            path(route, self.admin_site.admin_view(getattr(self, view)), name=name)
            for route, view, name in self.extra_pages
        ]
        return [*own, *super().get_urls()]
