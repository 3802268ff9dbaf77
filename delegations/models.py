"""A titulaire lets another account holder view (or view and manage dossiers of) their account."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    VIEW = "consultation", _("Consultation")
    MANAGE = "gestion", _("Consultation et gestion des dossiers")


class Status(models.TextChoices):
    INVITED = "invitee", _("En attente d'acceptation")
    ACCEPTED = "acceptee", _("Active")
    DECLINED = "refusee", _("Refusée")
    REVOKED = "revoquee", _("Révoquée")
    # Its end date passed (recorded when the titulaire invites the person again; until then an
    # accepted row past its date is simply not in force).
    EXPIRED = "expiree", _("Arrivée à échéance")
    # A newer delegation to the same person was accepted (new rights or a new end date).
    REPLACED = "remplacee", _("Remplacée")


LIVE_STATUSES = (Status.INVITED, Status.ACCEPTED)


class DelegationQuerySet(models.QuerySet):
    def in_force(self, today=None):
        """Accepted, not revoked, not past its end date."""
        today = today or timezone.localdate()
        return self.filter(status=Status.ACCEPTED).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )

    def pending(self):
        return self.filter(status=Status.INVITED)

    def overdue(self, today=None):
        """Pending or accepted, but past their end date."""
        today = today or timezone.localdate()
        return self.filter(status__in=LIVE_STATUSES, end_date__lt=today)

    def ended(self):
        """What the titulaire may see in "Délégations terminées": delegations they knew of
        (accepted once, or declined by the person), and those past their end date."""
        return self.filter(
            Q(
                status__in=[Status.REVOKED, Status.EXPIRED, Status.REPLACED],
                accepted_at__isnull=False,
            )
            | Q(status=Status.DECLINED)
            | Q(status=Status.ACCEPTED, end_date__lt=timezone.localdate())
        )

    def live(self):
        return self.filter(status__in=LIVE_STATUSES)

    def given_by(self, titulaire):
        return self.filter(titulaire=titulaire)

    def received_by(self, delegate):
        return self.filter(delegate=delegate)


def new_token() -> str:
    """128 random bits, URL-safe: what a delegation's addresses carry instead of its id, which
    would tell how many accounts were created or invited in between."""
    return secrets.token_urlsafe(16)


class Delegation(models.Model):
    token = models.CharField(
        _("jeton"), max_length=32, unique=True, default=new_token, editable=False
    )
    titulaire = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("titulaire"),
        on_delete=models.CASCADE,
        related_name="delegations_donnees",
    )
    # Null while the invited address matches no account: the invitation is listed all the same,
    # so that the titulaire cannot tell whether an address has an account.
    delegate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("délégataire"),
        on_delete=models.CASCADE,
        related_name="delegations_recues",
        null=True,
        blank=True,
    )
    email = models.EmailField(_("courriel invité"), max_length=254, blank=True)
    level = models.CharField(_("droits"), max_length=20, choices=Level.choices)
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
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
                condition=~Q(titulaire=models.F("delegate")), name="delegation_not_to_self"
            ),
            # Per pair, one pending invitation and one accepted delegation at most: a new
            # invitation (other rights, a new end date) replaces the accepted one when it is
            # accepted. Ended ones stay as history.
            models.UniqueConstraint(
                fields=["titulaire", "delegate"],
                condition=Q(status="invitee"),
                name="delegation_one_pending_per_pair",
            ),
            models.UniqueConstraint(
                fields=["titulaire", "delegate"],
                condition=Q(status="acceptee"),
                name="delegation_one_accepted_per_pair",
            ),
            # Only an invitation that reached an account can be accepted.
            models.CheckConstraint(
                condition=Q(delegate__isnull=False) | ~Q(status="acceptee"),
                name="delegation_accepted_has_delegate",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values),
                name="delegation_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(level__in=["consultation", "gestion"]),
                name="delegation_level_valid",
            ),
        ]

    def __str__(self):
        to = self.delegate.get_full_name() if self.delegate_id else self.email
        return f"{self.titulaire.get_full_name()} → {to} ({self.get_level_display()})"

    @property
    def can_manage_dossiers(self) -> bool:
        return self.level == Level.MANAGE

    @property
    def is_expired(self) -> bool:
        return self.end_date is not None and self.end_date < timezone.localdate()

    @property
    def status_label(self) -> str:
        """The status as shown: a live delegation past its end date has ended."""
        if self.status in LIVE_STATUSES and self.is_expired:
            return Status.EXPIRED.label
        return self.get_status_display()

    @property
    def ended_on(self):
        """The day it ended, for the list of ended delegations."""
        if self.status in (*LIVE_STATUSES, Status.EXPIRED) and self.end_date is not None:
            return self.end_date
        return timezone.localdate(self.revoked_at) if self.revoked_at else None

    def is_in_force(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == Status.ACCEPTED and (self.end_date is None or self.end_date >= today)
