"""Emails kept by the demo mailbox (demo mode only: settings.MAILERS)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DemoEmailQuerySet(models.QuerySet):
    def newest_first(self):
        return self.order_by("-sent_at", "-pk")

    def for_recipient(self, email: str):
        """Emails whose recipients include `email` (case-insensitive, one address)."""
        email = (email or "").strip()
        if not email:
            return self
        return self.filter(recipients__icontains=email)


class DemoEmail(models.Model):
    """One email the portal sent, as a person would find it in their mailbox."""

    from_email = models.CharField(_("expéditeur"), max_length=320, blank=True)
    recipients = models.TextField(_("destinataires"), help_text=_("Une adresse par ligne."))
    subject = models.CharField(_("objet"), max_length=998, blank=True)
    body = models.TextField(_("texte"), blank=True)
    html_body = models.TextField(_("version HTML"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now, db_index=True)

    objects = DemoEmailQuerySet.as_manager()

    class Meta:
        verbose_name = _("courriel de démonstration")
        verbose_name_plural = _("courriels de démonstration")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.recipient_list)}"

    @property
    def recipient_list(self) -> list[str]:
        return [line for line in self.recipients.splitlines() if line.strip()]
