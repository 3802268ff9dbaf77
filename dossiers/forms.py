from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Training
from dossiers.models import CPF_START, MAX_HOURS_PER_TRAINING, MAX_YEARS_AHEAD


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DossierForm(forms.Form):
    cpf_code = forms.CharField(
        label=_("Code CPF de la formation"),
        max_length=20,
        help_text=_("Le code figure sur la fiche de la formation dans le catalogue."),
    )
    agreement_date = forms.DateField(
        label=_("Date de votre accord"),
        widget=DateInput(),
        help_text=_("Date à laquelle vous avez donné votre accord pour suivre la formation."),
    )
    start_date = forms.DateField(
        label=_("Date de début de la formation"), required=False, widget=DateInput()
    )
    end_date = forms.DateField(
        label=_("Date de fin de la formation"), required=False, widget=DateInput()
    )
    hours_total = forms.IntegerField(
        label=_("Nombre d'heures demandées"),
        min_value=1,
        max_value=MAX_HOURS_PER_TRAINING,
        help_text=_("DIF et CPF ensemble, 150 heures au plus par formation."),
    )
    hours_dif = forms.IntegerField(
        label=_("Dont heures DIF"),
        required=False,
        min_value=0,
        max_value=MAX_HOURS_PER_TRAINING,
        help_text=_(
            "Laissez vide pour utiliser d'abord vos heures DIF (à mobiliser en priorité) ; "
            "le reste est pris sur vos heures CPF."
        ),
    )
    confidential = forms.BooleanField(
        label=_("Dossier confidentiel"),
        required=False,
        help_text=_(
            "Un dossier confidentiel n'est visible ni par votre employeur ni par les personnes "
            "à qui vous avez délégué votre compte."
        ),
    )

    def __init__(self, *args, can_mark_confidential=True, **kwargs):
        super().__init__(*args, **kwargs)
        # A delegate never sees confidential dossiers, so may not make one (it would vanish
        # from their view at once): only the titulaire decides what is kept from others.
        if not can_mark_confidential:
            del self.fields["confidential"]

    def clean_agreement_date(self):
        value = self.cleaned_data["agreement_date"]
        if value < CPF_START:
            raise forms.ValidationError(
                _(
                    "Le compte personnel de formation existe depuis le 1er janvier %(year)s : "
                    "indiquez une date d'accord postérieure."
                )
                % {"year": CPF_START.year},
                code="before_cpf",
            )
        if value > timezone.localdate():
            raise forms.ValidationError(
                _("La date de votre accord ne peut pas être dans le futur."), code="future"
            )
        return value

    def _clean_training_date(self, name):
        value = self.cleaned_data.get(name)
        latest = timezone.localdate().year + MAX_YEARS_AHEAD
        if value is not None and not CPF_START.year <= value.year <= latest:
            raise forms.ValidationError(
                _("Indiquez une date entre %(first)s et %(last)s.")
                % {"first": CPF_START.year, "last": latest},
                code="out_of_range",
            )
        return value

    def clean_start_date(self):
        return self._clean_training_date("start_date")

    def clean_end_date(self):
        return self._clean_training_date("end_date")

    def clean_cpf_code(self):
        code = " ".join(self.cleaned_data["cpf_code"].split()).upper()
        training = Training.objects.active().filter(cpf_code=code).first()
        if training is None:
            raise forms.ValidationError(
                _("Aucune formation éligible ne porte ce code CPF."), code="unknown"
            )
        self.cleaned_data["training"] = training
        return code

    def clean(self):
        data = super().clean()
        debut, fin = data.get("start_date"), data.get("end_date")
        if debut and fin and fin < debut:
            self.add_error("end_date", _("La date de fin précède la date de début."))
        total, dif = data.get("hours_total"), data.get("hours_dif")
        if total is not None and dif is not None and dif > total:
            self.add_error("hours_dif", _("Les heures DIF dépassent le nombre d'heures demandées."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "training": data["training"],
            "agreement_date": data["agreement_date"],
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "hours_total": data["hours_total"],
            "hours_dif": data.get("hours_dif"),
            **({"confidential": data["confidential"]} if "confidential" in self.fields else {}),
        }


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation (facultatif)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Le motif est communiqué au titulaire."),
    )
