"""The titulaire (custom user model) and the pending signup it comes from."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_person_name
from nir.fields import NirField
from nir.masking import MaskedNirMixin


class Civility(models.TextChoices):
    MADAME = "MME", _("Madame")
    MONSIEUR = "M", _("Monsieur")


class Identity(models.Model):
    """What a person declares at signup (step 2), kept on the pending signup and then on the
    account it becomes."""

    civility = models.CharField(_("civilité"), max_length=3, choices=Civility.choices)
    first_name = models.CharField(
        _("prénom"), max_length=100, blank=True, validators=[validate_person_name]
    )
    birth_name = models.CharField(
        _("nom de naissance"), max_length=100, validators=[validate_person_name]
    )
    landline = models.CharField(_("téléphone fixe"), max_length=10, blank=True)
    mobile = models.CharField(_("téléphone portable"), max_length=10, blank=True)
    email = models.EmailField(_("courriel"), max_length=254)

    class Meta:
        abstract = True

    def __str__(self):
        # masked_nir comes from MaskedNirMixin, which both concrete models mix in.
        return f"{self.first_name} {self.birth_name} ({self.masked_nir})".strip()


class TitulaireManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(nir=username or "")  # NirField normalises the lookup

    def create_user(self, nir, password=None, **fields):
        titulaire = self.model(nir=nir, **fields)  # NirField stores the normal form
        if fields.get("email"):
            titulaire.email = self.normalize_email(fields["email"])
        titulaire.set_password(password)
        titulaire.save(using=self._db)
        return titulaire

    def create_superuser(self, nir, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("civility", Civility.MONSIEUR)
        return self.create_user(nir, password, **fields)


class Titulaire(MaskedNirMixin, Identity, AbstractBaseUser, PermissionsMixin):
    """A person with an activated account. Hours belong to the NIR, not to this row."""

    nir = NirField(unique=True)
    is_active = models.BooleanField(_("actif"), default=True)
    is_staff = models.BooleanField(_("équipe"), default=False)
    date_joined = models.DateTimeField(_("date d'activation"), default=timezone.now)

    objects = TitulaireManager()

    USERNAME_FIELD = "nir"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["birth_name", "email"]

    class Meta:
        verbose_name = _("titulaire")
        verbose_name_plural = _("titulaires")
        # The admin's order (nom, prénom, then Django's -pk tie-breaker); its rare filters
        # (staff, inactive) get partial indexes, the common values walk the first one.
        indexes = [
            models.Index(fields=["birth_name", "first_name", "-id"], name="titulaire_admin_order"),
            models.Index(
                fields=["birth_name", "first_name", "-id"],
                condition=Q(is_staff=True),
                name="titulaire_staff_order",
            ),
            models.Index(
                fields=["birth_name", "first_name", "-id"],
                condition=Q(is_active=False),
                name="titulaire_inactive_order",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(nir__regex=r"^[12][0-9]{4}(2A|2B|[0-9]{2})[0-9]{8}$"),
                name="titulaire_nir_normalised",
            ),
        ]

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.birth_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.birth_name


class PendingSignupQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(expires_at__lte=now or timezone.now())

    def valid(self, now=None):
        return self.filter(expires_at__gt=now or timezone.now())


class PendingSignup(MaskedNirMixin, Identity):
    """A signup waiting for its confirmation link (step 4). Several may wait for one NIR (at most
    accounts.services.signup.MAX_PENDING_PER_NIR): a new signup never cancels another; the first
    confirmed creates the account and closes the others (accounts.services.confirmation).

    Holds the password's hash only, never the password; the link's token is stored hashed.
    """

    nir = NirField(db_index=True)
    apprentice = models.BooleanField(_("contrat d'apprentissage signé"), default=False)
    password_hash = models.CharField(max_length=256)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"))
    last_sent_at = models.DateTimeField(_("dernier envoi du lien"), null=True, blank=True)

    objects = PendingSignupQuerySet.as_manager()

    class Meta:
        verbose_name = _("inscription en attente")
        verbose_name_plural = _("inscriptions en attente")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="pendingsignup_expires_after_creation",
            ),
            models.CheckConstraint(
                condition=Exact(Length("token_hash"), 64), name="pendingsignup_token_hash_sha256"
            ),
        ]

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())


class TokenTraceReason(models.TextChoices):
    USED = "used", _("lien déjà utilisé")
    EXPIRED = "expired", _("lien expiré")
    REPLACED = "replaced", _("lien remplacé par un plus récent")
    CLOSED = "closed", _("inscription close : un compte a été activé par une autre")


class SignupTokenTrace(models.Model):
    """What became of a confirmation link that no longer works (its token's sha256 only), so the
    page can say "already used" or "expired" rather than "invalid". Purged after 90 days."""

    token_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=10, choices=TokenTraceReason.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("lien de confirmation périmé")
        verbose_name_plural = _("liens de confirmation périmés")

    def __str__(self):
        return f"{self.get_reason_display()} ({self.at:%d/%m/%Y})"
