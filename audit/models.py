"""Audit trail of security events. Append-only: no update, no delete, not even in the admin."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    LOGIN_SUCCESS = "login_success", _("Connexion réussie")
    LOGIN_FAILURE = "login_failure", _("Échec de connexion")
    LOCKOUT = "lockout", _("Identifiant verrouillé")
    UNLOCK = "unlock", _("Identifiant déverrouillé par l'équipe")
    LOGOUT = "logout", _("Déconnexion")
    SIGNUP = "signup", _("Inscription enregistrée")
    SIGNUP_EXISTING = "signup_existing", _("Inscription tentée sur un compte existant")
    ACTIVATION = "activation", _("Compte activé")
    PASSWORD_CHANGE = "password_change", _("Mot de passe modifié")
    PASSWORD_RESET_REQUEST = "password_reset_request", _("Réinitialisation demandée")
    PASSWORD_RESET = "password_reset", _("Mot de passe réinitialisé")
    EMAIL_CHANGE_REQUEST = "email_change_request", _("Changement de courriel demandé")
    EMAIL_CHANGE = "email_change", _("Courriel modifié")
    PHONE_CHANGE = "phone_change", _("Téléphones modifiés")
    DELEGATION_GRANTED = "delegation_granted", _("Délégation accordée")
    DELEGATION_ACCEPTED = "delegation_accepted", _("Délégation acceptée")
    DELEGATION_REVOKED = "delegation_revoked", _("Délégation révoquée")
    DOSSIER_DECISION = "dossier_decision", _("Décision sur un dossier")
    HOURS_CHANGE = "hours_change", _("Mouvement d'heures par l'équipe")
    DECLARATIONS_IMPORT = "declarations_import", _("Import de déclarations")
    DIF_CHANGE = "dif_change", _("Solde DIF renseigné")
    RATE_LIMITED = "rate_limited", _("Limite de fréquence atteinte")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Le journal de sécurité ne se modifie pas.")

    def delete(self):
        raise PermissionError("Le journal de sécurité ne se supprime pas.")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    event = models.CharField(_("événement"), max_length=40, choices=Event.choices, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Keyed hash of the NIR concerned (never the NIR itself).
    subject_hash = models.CharField(
        _("NIR concerné (empreinte)"), max_length=64, blank=True, db_index=True
    )
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    object_repr = models.CharField(_("objet"), max_length=200, blank=True)
    detail = models.CharField(_("détail"), max_length=500, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement de sécurité")
        verbose_name_plural = _("journal de sécurité")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_event_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Le journal de sécurité ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Le journal de sécurité ne se supprime pas.")
