"""Training dossiers and their history. Statuses change only in dossiers/services.py."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers import transitions
from nir.fields import NirField
from nir.masking import MaskedNirMixin

# DIF + CPF hours mobilised for one training (R6323-7, standard regime).
MAX_HOURS_PER_TRAINING = 150
# The CPF replaced the DIF on 1 January 2015 (loi 2014-288).
CPF_START = datetime.date(2015, 1, 1)
# Training dates may be planned this many years ahead, no more (a typo guard).
MAX_YEARS_AHEAD = 3

# "DOS-YYYY-" and the dossier's id, whatever the id: a BigAutoField goes up to 2**63 - 1, 19 digits.
# (20 characters, the first design, overflowed at id 100,000,000,000 and its placeholder at a
# titulaire id of 1,000.)
REFERENCE_PREFIX = "DOS"
REFERENCE_MAX_LENGTH = len(f"{REFERENCE_PREFIX}-2015-") + len(str(2**63 - 1))


def dossier_reference(agreement_date, pk: int) -> str:
    """The readable reference of a dossier: year of the agreement and id (6 digits at least)."""
    return f"{REFERENCE_PREFIX}-{agreement_date:%Y}-{pk:06d}"


STATUS_CHOICES = [(status, label) for status, label in transitions.STATUS_LABELS.items()]


class ActorRole(models.TextChoices):
    TITULAIRE = "titulaire", _("Titulaire")
    STAFF = "staff", _("Opérateur")
    DELEGATE = "délégataire", _("Délégataire")


class DossierQuerySet(models.QuerySet):
    def for_titulaire(self, titulaire):
        return self.filter(titulaire=titulaire)

    def open(self):
        return self.filter(status__in=transitions.OPEN_STATUSES)

    def closed(self):
        return self.filter(status__in=transitions.CLOSED_STATUSES)

    def status_counts(self) -> dict[str, int]:
        """{"open": n, "closed": n}, in one query."""
        return self.aggregate(
            open=Count("pk", filter=Q(status__in=transitions.OPEN_STATUSES)),
            closed=Count("pk", filter=Q(status__in=transitions.CLOSED_STATUSES)),
        )

    def visible_to_delegate(self):
        return self.filter(confidential=False)

    def visible_to(self, access):
        """The dossiers of the account `access` looks at that its viewer may see (the one
        place of the rule: confidential dossiers are hidden from delegates)."""
        dossiers = self.for_titulaire(access.titulaire)
        return dossiers if access.can_see_confidential else dossiers.visible_to_delegate()

    def hidden_from(self, access):
        """The dossiers of that account its viewer may not see (none for the titulaire)."""
        if access.can_see_confidential:
            return self.none()
        return self.for_titulaire(access.titulaire).filter(confidential=True)


class Dossier(MaskedNirMixin, models.Model):
    reference = models.CharField(
        _("identifiant du dossier"), max_length=REFERENCE_MAX_LENGTH, unique=True
    )
    titulaire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    training = models.ForeignKey(
        "catalogue.Training",
        verbose_name=_("formation"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Copy of the titulaire's NIR: the hours ledger belongs to the NIR.
    nir = NirField(db_index=True)
    agreement_date = models.DateField(_("date de votre accord"))
    start_date = models.DateField(_("date de début de la formation"), null=True, blank=True)
    end_date = models.DateField(_("date de fin de la formation"), null=True, blank=True)
    hours_total = models.PositiveIntegerField(_("heures demandées"))
    hours_dif = models.PositiveIntegerField(_("heures DIF"), default=0)
    hours_cpf = models.PositiveIntegerField(_("heures CPF"), default=0)
    confidential = models.BooleanField(_("dossier confidentiel"), default=False)
    status = models.CharField(
        _("statut"), max_length=20, choices=STATUS_CHOICES, default=transitions.INITIAL_STATUS
    )
    # True while the hours of a validated dossier are debited from the ledger.
    hours_debited = models.BooleanField(_("heures débitées"), default=False)
    refusal_reason = models.TextField(_("motif du refus"), blank=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        verbose_name = _("dossier de formation")
        verbose_name_plural = _("dossiers de formation")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_dif__gte=0) & Q(hours_cpf__gte=0) & Q(hours_total__gt=0),
                name="dossier_hours_positive",
            ),
            models.CheckConstraint(
                condition=Q(hours_total=F("hours_dif") + F("hours_cpf")),
                name="dossier_hours_sum",
            ),
            models.CheckConstraint(
                condition=Q(hours_total__lte=MAX_HOURS_PER_TRAINING), name="dossier_hours_cap"
            ),
            models.CheckConstraint(
                condition=Q(status__in=list(transitions.STATUS_LABELS)),
                name="dossier_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="dossier_dates_ordered",
            ),
            # The CPF exists since 1 January 2015: no dossier was agreed before.
            models.CheckConstraint(
                condition=Q(agreement_date__gte=CPF_START), name="dossier_agreement_after_cpf_start"
            ),
            models.CheckConstraint(
                condition=Q(hours_debited=False)
                | Q(status__in=[transitions.VALIDATED, transitions.CLOSED]),
                name="dossier_debited_only_when_validated",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.training.title}"

    @property
    def status_label(self) -> str:
        return transitions.STATUS_LABELS.get(self.status, self.status)

    @property
    def badge(self) -> str:
        return {
            transitions.VALIDATED: "ok",
            transitions.CLOSED: "closed",
            transitions.REFUSED: "bad",
            transitions.CANCELLED: "closed",
        }.get(self.status, "open")


class DossierEvent(models.Model):
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("statut précédent"), max_length=20, blank=True)
    to_status = models.CharField(_("nouveau statut"), max_length=20)
    action = models.CharField(_("action"), max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(_("rôle de l'auteur"), max_length=12, choices=ActorRole.choices)
    reason = models.TextField(_("motif"), blank=True)
    at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("événement du dossier")
        verbose_name_plural = _("historique du dossier")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{timezone.localtime(self.at):%d/%m/%Y %H:%M} {self.summary}"

    @property
    def summary(self) -> str:
        """What happened, in French: the creation, a change, or the status reached."""
        if self.action == "create":
            return _("Dossier créé")
        if self.action == "update":
            return _("Dossier modifié")
        return self.to_label

    @property
    def to_label(self) -> str:
        return transitions.STATUS_LABELS.get(self.to_status, self.to_status)

    @property
    def from_label(self) -> str:
        return transitions.STATUS_LABELS.get(self.from_status, self.from_status)
