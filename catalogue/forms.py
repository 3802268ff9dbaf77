from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import LISTE_FILTER_CHOICES, Modalite


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Mots-clés"),
        required=False,
        max_length=200,
        help_text=_("Intitulé, certification, organisme ou code CPF."),
    )
    lieu = forms.CharField(
        label=_("Lieu"),
        required=False,
        max_length=100,
        help_text=_("Ville, département ou numéro de département."),
    )
    modalite = forms.ChoiceField(
        label=_("Modalité"),
        required=False,
        choices=[("", _("Toutes"))] + list(Modalite.choices),
    )
    liste = forms.ChoiceField(
        label=_("Liste éligible"),
        required=False,
        choices=[("", _("Toutes"))] + LISTE_FILTER_CHOICES,
    )


class CatalogueImportForm(forms.Form):
    fichier = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Séparateur « ; ». En-tête : code_cpf;intitule;certification;organisme;ville;"
            "departement;modalite;duree_heures;listes"
        ),
    )

    def clean_fichier(self):
        upload = self.cleaned_data["fichier"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Le fichier dépasse 5 Mo."))
        return upload
