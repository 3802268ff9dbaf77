"""A titulaire lets another account holder view (or view and manage dossiers of) their account."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Niveau(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    GESTION = "gestion", _("Consultation et gestion des dossiers")


class Statut(models.TextChoices):
    INVITEE = "invitee", _("En attente d'acceptation")
    ACCEPTEE = "acceptee", _("Active")
    REVOQUEE = "revoquee", _("Révoquée")


class DelegationQuerySet(models.QuerySet):
    def in_force(self, today=None):
        """Accepted, not revoked, not past its end date."""
        today = today or timezone.localdate()
        return self.filter(statut=Statut.ACCEPTEE).filter(
            Q(date_fin__isnull=True) | Q(date_fin__gte=today)
        )

    def given_by(self, titulaire):
        return self.filter(titulaire=titulaire)

    def received_by(self, delegataire):
        return self.filter(delegataire=delegataire)


class Delegation(models.Model):
    titulaire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        on_delete=models.CASCADE,
        related_name="delegations_donnees",
    )
    delegataire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("délégataire"),
        on_delete=models.CASCADE,
        related_name="delegations_recues",
    )
    niveau = models.CharField(_("droits"), max_length=20, choices=Niveau.choices)
    statut = models.CharField(
        _("statut"), max_length=10, choices=Statut.choices, default=Statut.INVITEE
    )
    date_fin = models.DateField(_("date de fin"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    accepted_at = models.DateTimeField(_("acceptée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("délégation")
        verbose_name_plural = _("délégations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(titulaire=models.F("delegataire")), name="delegation_not_to_self"
            ),
            # One live delegation per pair; revoked ones stay as history.
            models.UniqueConstraint(
                fields=["titulaire", "delegataire"],
                condition=~Q(statut="revoquee"),
                name="delegation_one_live_per_pair",
            ),
        ]

    def __str__(self):
        return f"{self.titulaire.get_full_name()} → {self.delegataire.get_full_name()} ({self.get_niveau_display()})"

    @property
    def can_manage_dossiers(self) -> bool:
        return self.niveau == Niveau.GESTION

    def is_in_force(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.statut == Statut.ACCEPTEE and (self.date_fin is None or self.date_fin >= today)
