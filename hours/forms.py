"""Forms of the hours app: validation only (the services store)."""

import warnings

from django import forms
from django.utils.translation import gettext_lazy as _
from PIL import Image

from cpf_portal.admin_widgets import CsvUploadField
from hours.models import LedgerKind
from nir.fields import NirFormField

MAX_ATTESTATION_BYTES = 5 * 1024 * 1024
# The admin's upload stays small: a web request is no place for a long import (a worker and
# the NIRs' locks held for its duration). Bigger files go through the command, which streams.
MAX_IMPORT_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # a scanned A4 page at 600 dpi is about 35 Mpx
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
}
EXTENSIONS = {"pdf": {"pdf"}, "png": {"png"}, "jpg": {"jpg", "jpeg"}}
PIL_FORMATS = {"png": "PNG", "jpg": "JPEG"}


def detect_kind(head: bytes) -> str | None:
    for kind, signatures in SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    return None


def check_attestation(upload) -> str:
    """Return the real type (pdf, png, jpg) of an uploaded attestation, checked by content;
    raise ValidationError otherwise."""
    invalid = forms.ValidationError(
        _("Le fichier doit être un PDF, un JPEG ou un PNG lisible (5 Mo au plus)."),
        code="invalid_file",
    )
    if upload.size > MAX_ATTESTATION_BYTES:
        raise forms.ValidationError(_("Le fichier dépasse 5 Mo."), code="too_large")
    if upload.size == 0:
        raise forms.ValidationError(_("Le fichier est vide."), code="empty")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = detect_kind(head)
    name = (upload.name or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if kind is None or extension not in EXTENSIONS[kind]:
        raise invalid
    if kind == "pdf":
        upload.seek(0)
        if b"%%EOF" not in upload.read()[-1024:]:
            upload.seek(0)
            raise invalid
        upload.seek(0)
        return kind
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format != PIL_FORMATS[kind]:
                    raise invalid
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise forms.ValidationError(
                        _("L'image est trop grande (%(n)s millions de pixels au plus).")
                        % {"n": MAX_IMAGE_PIXELS // 1_000_000},
                        code="too_many_pixels",
                    )
                image.verify()
    except forms.ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise forms.ValidationError(
            _("L'image est trop grande (%(n)s millions de pixels au plus).")
            % {"n": MAX_IMAGE_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from exc
    except Exception as exc:  # noqa: BLE001 - any decoding problem means "not a valid image"
        raise invalid from exc
    finally:
        upload.seek(0)
    return kind


class DifForm(forms.Form):
    hours = forms.IntegerField(
        label=_("Solde d'heures DIF"),
        min_value=0,
        max_value=120,
        help_text=_(
            "Nombre entier d'heures, de 0 à 120, figurant sur l'attestation de votre employeur. "
            "À renseigner même si celui-ci est à 0."
        ),
        error_messages={
            "required": _("Indiquez votre solde d'heures DIF, même si celui-ci est à 0."),
            "invalid": _("Indiquez un nombre entier d'heures."),
            "min_value": _("Le solde d'heures DIF ne peut pas être négatif."),
            "max_value": _("Le solde d'heures DIF est de 120 heures au plus."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "input--short"}),
    )
    attestation = forms.FileField(
        label=_("Attestation de votre employeur"),
        required=False,
        help_text=_("Facultatif. PDF, JPEG ou PNG, 5 Mo au plus."),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean_attestation(self):
        upload = self.cleaned_data.get("attestation")
        if upload:
            self.cleaned_data["attestation_ext"] = check_attestation(upload)
        return upload


class MovementForm(forms.Form):
    """Staff: add an abondement or a correction (admin)."""

    nir = NirFormField(label=_("Numéro de sécurité sociale"), max_length=25)
    kind = forms.ChoiceField(
        label=_("Nature"),
        choices=[
            (LedgerKind.ABONDEMENT, LedgerKind.ABONDEMENT.label),
            (LedgerKind.CORRECTION, LedgerKind.CORRECTION.label),
        ],
    )
    hours = forms.IntegerField(
        label=_("Heures"),
        min_value=-400,
        max_value=400,
        help_text=_("Positif pour un abondement ; une correction peut être négative."),
    )
    label = forms.CharField(label=_("Motif"), max_length=300)


class ImportForm(forms.Form):
    file = CsvUploadField(
        label=_("Fichier CSV des déclarations"),
        help_text=_(
            "En-tête : nir;annee;heures_travaillees;duree_reference;faiblement_qualifie "
            "(les deux dernières colonnes sont facultatives)."
        ),
        max_bytes=MAX_IMPORT_UPLOAD_BYTES,
        too_large_message=_(
            "Le fichier dépasse 10 Mo. Au-delà, l'import se fait avec la commande "
            "manage.py import_declarations, qui accepte un fichier de toute taille."
        ),
    )
