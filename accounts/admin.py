"""Operators' admin of titulaires and pending signups. The NIR is masked in lists; an exact NIR
is searched through a POST form (nir.admin_search), never through the URL."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.forms.names import NAME_HELP, NameField
from accounts.models import PendingSignup, SignupTokenTrace, Titulaire
from accounts.services import confirmation as confirmation_service
from accounts.services.login import unlock
from cpf_portal.admin_scale import LargeTableAdmin
from cpf_portal.admin_widgets import CheckboxManyToManyMixin
from nir.admin_search import NirSearchAdminMixin
from nir.fields import NirFormField


class NameFieldsMixin(forms.Form):
    """The same name rule as signup (accounts.names), whitespace normalised."""

    first_name = NameField(label=_("prénom"), required=False, help_text=NAME_HELP)
    birth_name = NameField(label=_("nom de naissance"), help_text=NAME_HELP)


class TitulaireCreationForm(NameFieldsMixin, BaseUserCreationForm):
    nir = NirFormField(help_text=_("15 caractères, espaces acceptés."))

    class Meta:
        model = Titulaire
        fields = ("nir", "civility", "first_name", "birth_name", "email")

    def clean_nir(self):
        nir = self.cleaned_data["nir"]
        if Titulaire.objects.filter(nir=nir).exists():
            raise ValidationError(_("Un compte existe déjà pour ce numéro de sécurité sociale."))
        return nir


class TitulaireChangeForm(NameFieldsMixin, UserChangeForm):
    class Meta:
        model = Titulaire
        fields = "__all__"


@admin.register(Titulaire)
class TitulaireAdmin(LargeTableAdmin, NirSearchAdminMixin, CheckboxManyToManyMixin, UserAdmin):
    form = TitulaireChangeForm
    add_form = TitulaireCreationForm
    list_display = ("masked_nir", "birth_name", "first_name", "email", "is_active", "date_joined")
    list_display_links = ("masked_nir", "birth_name")
    list_filter = ("is_active", "is_staff", "civility")
    search_fields = ("email", "birth_name", "first_name")
    search_help_text = _(
        "Nom, prénom, courriel ou numéro de sécurité sociale complet (il ne figure jamais dans "
        "l'adresse de la page)."
    )
    ordering = ("birth_name", "first_name")
    readonly_fields = ("masked_nir", "date_joined", "last_login")
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "nir",
                    "civility",
                    "first_name",
                    "birth_name",
                    "email",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    actions = ("unlock_login",)

    @admin.action(description=_("Déverrouiller la connexion"))
    def unlock_login(self, request, queryset):
        for titulaire in queryset:
            unlock(titulaire.nir, request=request, actor=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d compte déverrouillé.",
                "%(count)d comptes déverrouillés.",
                len(queryset),
            )
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.display(description=_("N° de sécurité sociale"), ordering="nir")
    def masked_nir(self, obj):
        return obj.masked_nir if obj else ""

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        identity = ["masked_nir"]
        if request.user.is_superuser:
            identity = ["nir"]
        return (
            (_("Identité"), {"fields": (*identity, "civility", "first_name", "birth_name")}),
            (_("Contact"), {"fields": ("email", "landline", "mobile")}),
            (_("Mot de passe"), {"fields": ("password",)}),
            (_("Accès"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
            (_("Dates"), {"fields": ("date_joined", "last_login")}),
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fields = list(self.readonly_fields)
        if request.user.is_superuser:
            fields.append("nir")  # shown in full, never changed: the hours belong to it
        else:
            fields.append("is_superuser")
        return fields


@admin.register(PendingSignup)
class PendingSignupAdmin(NirSearchAdminMixin, admin.ModelAdmin):
    list_display = ("masked_nir", "birth_name", "first_name", "email", "created_at", "expires_at")
    list_filter = (("expires_at", admin.DateFieldListFilter), "apprentice")
    search_fields = ("email", "birth_name", "first_name")
    search_help_text = TitulaireAdmin.search_help_text
    ordering = ("-created_at",)
    actions = ("resend_link", "activate")
    fields = (
        "masked_nir",
        "civility",
        "first_name",
        "birth_name",
        "email",
        "landline",
        "mobile",
        "apprentice",
        "created_at",
        "expires_at",
        "last_sent_at",
    )
    readonly_fields = fields

    @admin.display(description=_("N° de sécurité sociale"), ordering="nir")
    def masked_nir(self, obj):
        return obj.masked_nir if obj else ""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Renvoyer le lien de confirmation"), permissions=["view"])
    def resend_link(self, request, queryset):
        sent = sum(
            1 for pending in queryset if confirmation_service.reissue_link(pending, request=request)
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d lien de confirmation renvoyé.",
                "%(count)d liens de confirmation renvoyés.",
                sent,
            )
            % {"count": sent},
            messages.SUCCESS,
        )

    @admin.action(description=_("Activer l'inscription"), permissions=["delete"])
    def activate(self, request, queryset):
        activated = refused = 0
        for pk in queryset.values_list("pk", flat=True):
            result = confirmation_service.activate_pending(pk, request=request, actor=request.user)
            if result:
                activated += 1
            elif result is None:
                refused += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d inscription activée.", "%(count)d inscriptions activées.", activated
            )
            % {"count": activated},
            messages.SUCCESS,
        )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(count)d inscription non activée : un compte existe déjà pour ce numéro.",
                    "%(count)d inscriptions non activées : un compte existe déjà pour ces numéros.",
                    refused,
                )
                % {"count": refused},
                messages.WARNING,
            )


@admin.register(SignupTokenTrace)
class SignupTokenTraceAdmin(admin.ModelAdmin):
    list_display = ("reason", "at")
    list_filter = ("reason",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# axes' access logs are disabled (the success log would hold NIRs in clear): no empty lists in
# the admin. axes' admin module is imported first so that its registrations are done before
# they are undone, whatever the order of the apps.
def _unregister_axes_logs():
    import axes.admin  # noqa: F401
    from axes.models import AccessFailureLog, AccessLog

    for model in (AccessLog, AccessFailureLog):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_axes_logs()


def _reregister_groups_with_checkboxes():
    from django.contrib.auth.admin import GroupAdmin
    from django.contrib.auth.models import Group

    class CheckboxGroupAdmin(CheckboxManyToManyMixin, GroupAdmin):
        pass

    if admin.site.is_registered(Group):
        admin.site.unregister(Group)
    admin.site.register(Group, CheckboxGroupAdmin)


_reregister_groups_with_checkboxes()
