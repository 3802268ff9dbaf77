"""Forms of the demo pages: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

MIN_AGE = 15
MAX_AGE = 90


class NirGeneratorForm(forms.Form):
    SEXES = [("F", _("Femme")), ("M", _("Homme"))]

    sexe = forms.ChoiceField(label=_("Sexe"), choices=SEXES, widget=forms.RadioSelect, initial="F")
    age = forms.IntegerField(
        label=_("Âge"),
        min_value=MIN_AGE,
        max_value=MAX_AGE,
        initial=30,
        help_text=_(
            "Entre 15 et 90 ans. À 15 ans, l'inscription n'est possible qu'avec un contrat "
            "d'apprentissage (apprenti de 15 ans)."
        ),
        error_messages={
            "required": _("Indiquez un âge."),
            "invalid": _("Indiquez un âge en chiffres, par exemple 30."),
            "min_value": _("L'âge doit être d'au moins 15 ans."),
            "max_value": _("L'âge doit être d'au plus 90 ans."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age"].widget.attrs.update({"inputmode": "numeric"})


class MailboxFilterForm(forms.Form):
    destinataire = forms.CharField(
        label=_("Filtrer par destinataire"),
        required=False,
        max_length=254,
        help_text=_("Une adresse électronique, ou une partie : camille, @demo.test…"),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
