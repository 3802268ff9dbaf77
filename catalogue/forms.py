from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import ELIGIBILITY_FILTER_CHOICES, TrainingMode
from catalogue.text import strip_controls
from cpf_portal.admin_widgets import CsvUploadField

TEXT_FIELDS = ("q", "lieu")


class SearchForm(forms.Form):
    """The public search (GET). Its field names are the URL's parameters, kept in French as the
    public interface (catalogue.views.search_criteria maps them to the code's English names).
    Control characters are removed from the data itself, not only
    from cleaned_data, because a bound field re-displays the raw data (a NUL would be echoed)."""

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
        help_text=_("Ville, département (nom ou numéro) ou région."),
    )
    modalite = forms.ChoiceField(
        label=_("Modalité"),
        required=False,
        choices=[("", _("Toutes"))] + list(TrainingMode.choices),
    )
    liste = forms.ChoiceField(
        label=_("Liste éligible"),
        required=False,
        choices=[("", _("Toutes"))] + ELIGIBILITY_FILTER_CHOICES,
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            data = data.copy()
            for name in TEXT_FIELDS:
                if name in data:
                    data[name] = strip_controls(data[name])
        super().__init__(data, *args, **kwargs)

    def criteria(self) -> dict[str, str]:
        """The non-empty criteria as submitted (sanitised), for links that keep the search."""
        return {name: value for name in self.fields if (value := self.data.get(name, "").strip())}


class CatalogueImportForm(forms.Form):
    file = CsvUploadField(
        label=_("Fichier CSV"),
        help_text=_(
            "Séparateur « ; ». En-tête : code_cpf;intitule;certification;organisme;ville;"
            "departement;modalite;duree_heures;listes"
        ),
        max_bytes=5 * 1024 * 1024,
        too_large_message=_("Le fichier dépasse 5 Mo."),
    )
