"""CPF hours belong to the NIR, not to the online account: every row is keyed by `nir`
(normalised, 15 characters), never by a foreign key to Titulaire, so employer declarations are
credited before the person signs up and show up once the account exists.

The ledger (LedgerEntry, DifMovement) is append-only: a row is never changed; the balance is the
sum of its movements. Changes go through hours.services.
"""

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpf_portal.errors import ImmutableRowError
from nir.fields import NirField
from nir.masking import MaskedNirMixin

LABEL_MAX_LENGTH = 500  # an annual credit's explanation can list four reasons and the top-ups


def private_storage():
    return storages["private"]


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableRowError("Les mouvements d'heures ne se modifient pas.")

    def delete(self):
        raise ImmutableRowError("Les mouvements d'heures ne se suppriment pas.")


class AppendOnlyModel(MaskedNirMixin, models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError("Les mouvements d'heures ne se modifient pas.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError("Les mouvements d'heures ne se suppriment pas.")


class HoursAccount(MaskedNirMixin, models.Model):
    """One row per NIR that has ever had hours: the row locked (select_for_update) while a
    balance changes, so two requests on the same NIR run one after the other."""

    nir = NirField(unique=True)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    # The sum of the NIR's LedgerEntry hours, kept by hours.services (the only ledger writer)
    # in the transaction that writes the movement, under this row's lock: the admin lists and
    # sorts 1 M accounts by balance without a sum per row. tests/hours/test_stored_balance.py
    # checks it against the ledger after every kind of write.
    cpf_balance = models.IntegerField(_("solde CPF (h)"), db_default=0, editable=False)

    class Meta:
        verbose_name = _("solde d'heures")
        verbose_name_plural = _("soldes d'heures")
        # The admin sorts by balance either way, then by -pk (Django's tie-breaker).
        indexes = [
            models.Index(fields=["cpf_balance", "-id"], name="hours_account_balance_asc"),
            models.Index(fields=["-cpf_balance", "-id"], name="hours_account_balance_desc"),
        ]

    def __str__(self):
        return self.masked_nir


class LedgerKind(models.TextChoices):
    CREDIT_ANNUEL = "credit_annuel", _("Alimentation annuelle")
    ABONDEMENT = "abondement", _("Abondement")
    MOBILISATION = "mobilisation", _("Mobilisation pour un dossier")
    RECREDIT = "recredit", _("Recrédit après annulation")
    CORRECTION = "correction", _("Correction")


class LedgerEntryQuerySet(AppendOnlyQuerySet):
    def for_nir(self, nir):
        return self.filter(nir=nir)

    def balance(self) -> int:
        return self.aggregate(total=models.Sum("hours"))["total"] or 0


class LedgerEntry(AppendOnlyModel):
    """One movement of CPF hours. Credits are positive, a mobilisation is negative."""

    nir = NirField(db_index=True)
    kind = models.CharField(_("nature"), max_length=20, choices=LedgerKind.choices)
    hours = models.IntegerField(_("heures"))
    year = models.PositiveSmallIntegerField(_("année travaillée"), null=True, blank=True)
    label = models.CharField(_("libellé"), max_length=LABEL_MAX_LENGTH, blank=True)
    # Annual credits: the accrual rule's reason codes (hours.accrual), comma-separated, kept so
    # the page can say why without re-deriving it from the label's wording.
    reasons = models.CharField(_("motifs"), max_length=100, blank=True)
    # Annual credits: the year's first declaration; the others share its NIR and year.
    declaration = models.ForeignKey(
        "hours.EmployerDeclaration",
        verbose_name=_("déclaration"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credits",
    )
    dossier_ref = models.CharField(_("référence du dossier"), max_length=40, blank=True)
    dossier_id = models.PositiveBigIntegerField(_("identifiant du dossier"), null=True, blank=True)
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("mouvement d'heures CPF")
        verbose_name_plural = _("mouvements d'heures CPF")
        ordering = ["created_at", "pk"]
        # The admin's default order, alone and under each of its filters (nature, year).
        indexes = [
            models.Index(fields=["nir", "created_at"], name="hours_ledger_nir_date"),
            models.Index(fields=["created_at", "id"], name="hours_ledger_date_id"),
            models.Index(fields=["kind", "created_at", "id"], name="hours_ledger_kind_date_id"),
            models.Index(fields=["year", "created_at", "id"], name="hours_ledger_year_date_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["credit_annuel", "abondement", "recredit"], hours__gt=0)
                    | Q(kind="credit_annuel", hours=0)
                    | Q(kind="mobilisation", hours__lt=0)
                    | (Q(kind="correction") & ~Q(hours=0))
                ),
                name="ledger_hours_sign_per_kind",
            ),
            models.CheckConstraint(
                condition=Q(kind="credit_annuel", year__isnull=False, declaration__isnull=False)
                | ~Q(kind="credit_annuel"),
                name="ledger_annual_credit_has_year",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["mobilisation", "recredit"], dossier_id__isnull=False)
                | ~Q(kind__in=["mobilisation", "recredit"]),
                name="ledger_dossier_movement_has_dossier",
            ),
            # A year is credited once, whatever the number of employers who declared it.
            models.UniqueConstraint(
                fields=["nir", "year"],
                condition=Q(kind="credit_annuel"),
                name="ledger_one_annual_credit_per_nir_year",
            ),
            models.UniqueConstraint(
                fields=["dossier_id"],
                condition=Q(kind="mobilisation"),
                name="ledger_one_mobilisation_per_dossier",
            ),
            models.UniqueConstraint(
                fields=["dossier_id"],
                condition=Q(kind="recredit"),
                name="ledger_one_recredit_per_dossier",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.hours:+d} h ({self.masked_nir})"


class EmployerDeclaration(MaskedNirMixin, models.Model):
    """An employer's annual declaration (DADS/DSN) for one NIR and one year. Someone with
    several employers in a year has several rows for that (nir, year): they arrive in one
    import file and the year is credited once from their combined prorata (the ledger's
    ledger_one_annual_credit_per_nir_year stops a second credit)."""

    nir = NirField(db_index=True)
    year = models.PositiveSmallIntegerField(_("année"))
    hours_worked = models.DecimalField(_("heures travaillées"), max_digits=6, decimal_places=2)
    reference_hours = models.PositiveIntegerField(_("durée de référence"), null=True, blank=True)
    low_qualified = models.BooleanField(_("faiblement qualifié"), default=False)
    imported_at = models.DateTimeField(_("importée le"), default=timezone.now)
    source_file = models.CharField(_("fichier d'origine"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("déclaration d'employeur")
        verbose_name_plural = _("déclarations d'employeurs")
        ordering = ["nir", "year"]
        # (nir, year): the import. The admin cannot sort by NIR (cpf_portal.admin_site), so its
        # list runs in (year, -id) order, alone, filtered by year, or by "low qualified" (rare:
        # a partial index).
        indexes = [
            models.Index(fields=["nir", "year"], name="hours_declaration_nir_year"),
            models.Index(fields=["year", "-id"], name="hours_declaration_year_id"),
            models.Index(
                fields=["year", "-id"],
                condition=Q(low_qualified=True),
                name="hours_declaration_low_year_id",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_worked__gte=0, hours_worked__lte=8784),
                name="declaration_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(reference_hours__isnull=True) | Q(reference_hours__gt=0),
                name="declaration_reference_positive",
            ),
        ]

    def __str__(self):
        return f"{self.year} — {self.masked_nir}"


class DifDeclaration(MaskedNirMixin, models.Model):
    """The DIF balance the titulaire entered (0 to 120 h), once per NIR. Locked when the first
    dossier using DIF hours is validated."""

    nir = NirField(unique=True)
    hours = models.PositiveSmallIntegerField(_("solde d'heures DIF"))
    attestation = models.FileField(
        _("attestation de l'employeur"),
        storage=private_storage,
        upload_to="dif/",
        max_length=200,
        blank=True,
    )
    attestation_name = models.CharField(_("nom du fichier envoyé"), max_length=200, blank=True)
    declared_at = models.DateTimeField(_("renseigné le"), default=timezone.now)
    locked_at = models.DateTimeField(_("verrouillé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("solde DIF")
        verbose_name_plural = _("soldes DIF")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=120), name="dif_hours_0_120"
            ),
        ]

    def __str__(self):
        return f"DIF {self.hours} h ({self.masked_nir})"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class DifKind(models.TextChoices):
    MOBILISATION = "mobilisation", _("Mobilisation pour un dossier")
    RECREDIT = "recredit", _("Recrédit après annulation")


class DifMovement(AppendOnlyModel):
    """DIF hours used by a dossier (negative) or given back when it is cancelled (positive)."""

    nir = NirField(db_index=True)
    kind = models.CharField(_("nature"), max_length=20, choices=DifKind.choices)
    hours = models.IntegerField(_("heures"))
    dossier_ref = models.CharField(_("référence du dossier"), max_length=40, blank=True)
    dossier_id = models.PositiveBigIntegerField(_("identifiant du dossier"))
    created_at = models.DateTimeField(_("enregistré le"), default=timezone.now)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("mouvement d'heures DIF")
        verbose_name_plural = _("mouvements d'heures DIF")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["created_at", "id"], name="hours_difmove_date_id"),
            models.Index(fields=["kind", "created_at", "id"], name="hours_difmove_kind_date_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="mobilisation", hours__lt=0) | Q(kind="recredit", hours__gt=0),
                name="dif_movement_sign_per_kind",
            ),
            models.UniqueConstraint(
                fields=["dossier_id", "kind"], name="dif_one_movement_per_dossier_kind"
            ),
        ]

    def __str__(self):
        return f"DIF {self.get_kind_display()} {self.hours:+d} h ({self.masked_nir})"


class StagedDeclaration(models.Model):
    """A row of the declarations being imported, in a temporary table private to the import's
    connection (hours.staging creates and drops it inside the import's transaction): loaded
    with COPY on PostgreSQL, bulk_create on SQLite, then read back sorted by NIR so a file of
    any size is credited NIR by NIR with flat memory. Never a lasting table (managed=False)."""

    position = models.PositiveIntegerField(primary_key=True)  # order of arrival
    line = models.PositiveIntegerField()
    nir = NirField()
    year = models.PositiveSmallIntegerField()
    hours_worked = models.DecimalField(max_digits=6, decimal_places=2)
    reference_hours = models.PositiveIntegerField(null=True)
    low_qualified = models.BooleanField()

    class Meta:
        managed = False
        db_table = "hours_import_staging"

    def __str__(self):
        return f"ligne {self.line}"
