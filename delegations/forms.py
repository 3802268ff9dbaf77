"""Forms of "Mes délégations" (validation only)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delegations.models import Level


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Courriel de la personne"),
        help_text=_("L'adresse de courriel de son compte Mon Compte Formation."),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    level = forms.ChoiceField(
        label=_("Droits accordés"),
        choices=Level.choices,
        widget=forms.RadioSelect,
        initial=Level.VIEW,
    )
    end_date = forms.DateField(
        label=_("Date de fin (facultative)"),
        help_text=_(
            "Au format jj/mm/aaaa. Sans date, la délégation dure jusqu'à ce que vous la révoquiez."
        ),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Saisissez une date valide au format jj/mm/aaaa.")},
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip()

    def clean_end_date(self):
        value = self.cleaned_data.get("end_date")
        if value is not None and value < timezone.localdate():
            raise forms.ValidationError(_("La date de fin ne peut pas être déjà passée."))
        return value
