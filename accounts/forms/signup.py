"""Forms of the signup wizard. They validate only: no side effect in clean()."""

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import captcha_image
from accounts.captcha_audio import clips_available
from accounts.forms.emails import check_email_confirmation
from accounts.forms.names import NAME_HELP, NameField
from accounts.forms.passwords import NewPasswordForm, password_field
from accounts.forms.phones import PhoneCleaningMixin, landline_field, mobile_field
from accounts.models import Civility
from accounts.services.signup import unsaved_titulaire
from nir import rules as nir_rules
from nir.fields import NirFormField

CGU_REQUIRED = _(
    "Merci de valider les Conditions Générales d'Utilisation afin de pouvoir poursuivre votre "
    "inscription."
)
CAPTCHA_HELP = _(
    "Merci de saisir les caractères affichés dans le cadre ci-dessous. Cette étape nous permet "
    "d'empêcher les inscriptions automatisées. Les caractères peuvent être saisis en majuscule "
    "ou en minuscule, sans distinction de la casse."
)


class CguForm(forms.Form):
    accept = forms.BooleanField(
        label=_("Je déclare avoir lu, compris et accepté les Conditions Générales d'Utilisation"),
        error_messages={"required": CGU_REQUIRED},
    )


class SignupCaptchaInput(CaptchaTextInput):
    """The captcha with a meaningful alt text, an audio version and a refresh button."""

    template_name = "accounts/signup/captcha_widget.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        # Django links help and errors to a field's input, but not inside a multi-widget: the
        # text input gets them here (the error only when Django marked the field invalid).
        base = (attrs or {}).get("id", "")
        if base:
            described = [f"{base}_helptext"]
            if (attrs or {}).get("aria-invalid"):
                described.append(f"{base}_error")
            for sub in context["widget"]["subwidgets"]:
                if sub["type"] != "hidden":
                    sub["attrs"]["aria-describedby"] = " ".join(described)
        context["audio"] = reverse("accounts:captcha_audio", kwargs={"key": self._key})
        context["audio_available"] = clips_available()
        context["image_size"] = (captcha_image.WIDTH, captcha_image.HEIGHT)
        context["key"] = self._key
        return context

    def _render(self, template_name, context, renderer=None):
        # The project's template directories (not the form renderer's app-only lookup).
        from django.template.loader import render_to_string
        from django.utils.safestring import mark_safe

        return mark_safe(render_to_string(template_name, context))  # noqa: S308


class IdentityForm(PhoneCleaningMixin, forms.Form):
    nir = NirFormField(
        label=_("N° de sécurité sociale"),
        help_text=_("13 chiffres et la clé de 2 chiffres, avec ou sans espaces."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}
        ),
    )
    civility = forms.ChoiceField(
        label=_("Civilité"), choices=Civility.choices, widget=forms.RadioSelect
    )
    first_name = NameField(
        label=_("Prénom"),
        required=False,
        help_text=NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    birth_name = NameField(
        label=_("Nom de naissance"),
        help_text=NAME_HELP,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    landline = landline_field()
    mobile = mobile_field()
    email = forms.EmailField(
        label=_("Courriel"),
        help_text=_("Une adresse valide : le lien de confirmation y sera envoyé."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    email_confirmation = forms.EmailField(
        label=_("Confirmation courriel"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    apprentice = forms.BooleanField(
        label=_("J'ai signé un contrat d'apprentissage"),
        help_text=_("Dès 15 ans, le compte peut être ouvert avec un contrat d'apprentissage."),
        required=False,
    )
    captcha = CaptchaField(
        label=_("Contrôle de sécurité"),
        help_text=CAPTCHA_HELP,
        widget=SignupCaptchaInput,
        error_messages={
            "invalid": _(
                "Les caractères saisis ne correspondent pas à l'image : merci de recopier les "
                "nouveaux caractères affichés."
            ),
            "required": _("Merci de recopier les caractères affichés dans le cadre."),
        },
    )

    def clean_email(self):
        return BaseUserManager.normalize_email(self.cleaned_data["email"])

    def clean(self):
        cleaned = super().clean()
        # A valid normal NIR when present (NirFormField): read, not cleaned again.
        info = nir_rules.validate_nir(cleaned["nir"]) if "nir" in cleaned else None
        civility = cleaned.get("civility")
        if info is not None and civility and not nir_rules.sex_matches_civility(info, civility):
            self.add_error(
                "civility",
                _(
                    "La civilité ne correspond pas au numéro de sécurité sociale saisi (son "
                    "premier chiffre est 1 pour un homme, 2 pour une femme)."
                ),
            )
        if info is not None:
            try:
                nir_rules.check_age_for_signup(
                    info, timezone.localdate(), apprentice=bool(cleaned.get("apprentice"))
                )
            except nir_rules.NirError as error:
                self.add_error("nir", ValidationError(error.message, code=error.code))
        check_email_confirmation(self, cleaned)
        return cleaned


class PasswordForm(NewPasswordForm):
    password1 = password_field(_("Mot de passe"), described_by="password-rules")
    password2 = password_field(_("Confirmation Mot de passe"))

    def __init__(self, identity, *args, **kwargs):
        self.identity = identity or {}
        super().__init__(unsaved_titulaire(self.identity), *args, **kwargs)
