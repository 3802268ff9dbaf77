"""Eligible trainings (the "liste des formations éligibles") and the public search."""

from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Concat
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from catalogue.geography import region_for, regions_starting_with
from catalogue.text import keywords_column, place_column, search_terms


class ListKind(models.TextChoices):
    COPANEF = "copanef", _("Liste nationale interprofessionnelle (COPANEF)")
    COPAREF = "coparef", _("Liste régionale (COPAREF)")
    CPNE = "cpne", _("Liste de branche (CPNE)")


class TrainingKind(models.TextChoices):
    CERTIFIANTE = "certifiante", _("Formation certifiante")
    CLEA = "clea", _("Socle de connaissances et de compétences (CléA)")
    VAE = "vae", _("Validation des acquis de l'expérience (VAE)")
    BILAN = "bilan", _("Bilan de compétences")


class TrainingMode(models.TextChoices):
    PRESENTIEL = "presentiel", _("Présentiel")
    DISTANCE = "distance", _("À distance")
    MIXTE = "mixte", _("Mixte")


# A training's list kinds, stored as a bitmask in Training.list_kinds: the search and the admin
# filter on it instead of joining the links (36 700 of them for the branch lists at 100 k
# trainings, which PostgreSQL read before the 3 700 trigram matches of « soudeur »).
LIST_KIND_BITS = {ListKind.COPANEF.value: 1, ListKind.COPAREF.value: 2, ListKind.CPNE.value: 4}
ALL_LIST_KINDS = sum(LIST_KIND_BITS.values())


def list_kinds_mask(kinds) -> int:
    """The bitmask of these list kinds (repeats ignored)."""
    mask = 0
    for kind in kinds:
        mask |= LIST_KIND_BITS[kind]
    return mask


def masks_with(kind: str) -> list[int]:
    """Every mask that holds `kind`: `list_kinds IN (…)` is a condition a B-tree index serves."""
    return [mask for mask in range(ALL_LIST_KINDS + 1) if mask & LIST_KIND_BITS[kind]]


# Values of the "liste éligible" search filter: a list kind or a training kind.
ELIGIBILITY_FILTER_CHOICES = [
    (ListKind.COPANEF.value, ListKind.COPANEF.label),
    (ListKind.COPAREF.value, ListKind.COPAREF.label),
    (ListKind.CPNE.value, ListKind.CPNE.label),
    (TrainingKind.CLEA.value, TrainingKind.CLEA.label),
    (TrainingKind.VAE.value, TrainingKind.VAE.label),
    (TrainingKind.BILAN.value, TrainingKind.BILAN.label),
]


class EligibilityList(models.Model):
    """A list of eligible certifications: national, regional (one per région) or of a branch."""

    kind = models.CharField(_("type de liste"), max_length=10, choices=ListKind.choices)
    region = models.CharField(_("région"), max_length=100, blank=True)
    branch = models.CharField(_("branche"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("liste éligible")
        verbose_name_plural = _("listes éligibles")
        ordering = ["kind", "region", "branch"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "region", "branch"], name="eligibility_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=ListKind.values), name="eligibility_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(kind="coparef") | ~Q(region=""), name="eligibility_coparef_region"
            ),
            models.CheckConstraint(
                condition=~Q(kind="cpne") | ~Q(branch=""), name="eligibility_cpne_branch"
            ),
        ]

    def __str__(self):
        if self.kind == ListKind.COPAREF:
            return f"{self.get_kind_display()} — {self.region}"
        if self.kind == ListKind.CPNE:
            return f"{self.get_kind_display()} — {self.branch}"
        return str(self.get_kind_display())

    @property
    def short_label(self) -> str:
        """Compact label for the results list ("COPAREF Bretagne")."""
        if self.kind == ListKind.COPAREF:
            return f"COPAREF {self.region}"
        if self.kind == ListKind.CPNE:
            return f"CPNE {self.branch}"
        return "COPANEF"

    @property
    def token(self) -> str:
        """The list as written in the CSV column "lists"."""
        if self.kind == ListKind.COPAREF:
            return f"COPAREF:{self.region}"
        if self.kind == ListKind.CPNE:
            return f"CPNE:{self.branch}"
        return "COPANEF"


def _as_code(term: str) -> str:
    """A place term read as a département number: "2a" -> "2A", "1" -> "01"."""
    return term.upper().zfill(2) if term.isdigit() else term.upper()


KIND_SHORT_LABELS = {
    TrainingKind.CLEA: "CléA",
    TrainingKind.VAE: "VAE",
    TrainingKind.BILAN: _("Bilan de compétences"),
}
SEARCH_SOURCE_FIELDS = {
    "title",
    "certification",
    "provider",
    "cpf_code",
    "town",
    "department_code",
    "department_name",
}
DERIVED_FIELDS = {"region", "keywords_search", "place_search"}


# The results are sorted by title, then code. PostgreSQL may get that order from the title
# index and filter each row on the way, betting that matches are spread evenly through the
# titles. They are not for keywords (one title per certification, repeated by every training
# body): that walk reads most of the table before it finds 20 ("web": 110 ms at 100 k
# trainings). `title || ''` sorts exactly as `title` (same value, same collation) but no index
# gives it: PostgreSQL then takes the matches from the trigram indexes (migration 0003) and
# sorts them, a cost that follows the number of matches, not the size of the table.
TEXT_SEARCH_ORDER = (Concat("title", Value("")), "cpf_code")
TITLE_ORDER = ("title", "cpf_code")
# pg_trgm finds LIKE '%term%' in its index only for terms of 3 characters or more.
TRIGRAM_MIN_LENGTH = 3


def results_order(q: str = "", place: str = "", *, few: bool) -> tuple:
    """The ORDER BY of a search's results page, once its count says whether matches are `few`.

    Few matches, found by a trigram index: sort them. Many: sort them too when there are
    keywords (they follow the titles), else walk the title index (places, filters, no criteria
    are spread through the titles, so 20 matches come quickly)."""
    keywords = [t for t in search_terms(q) if len(t) >= TRIGRAM_MIN_LENGTH]
    places = [t for t in search_terms(place) if len(t) >= TRIGRAM_MIN_LENGTH]
    if keywords or (places and few):
        return TEXT_SEARCH_ORDER
    return TITLE_ORDER


class TrainingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def search(self, q="", place="", mode="", eligibility=""):
        """The public search. Every argument is optional; unknown values match nothing.

        Case and accents are ignored: the query is normalised like the stored search columns.
        Every term of `q` must be found in the title, certification, training body or code.
        Every term of `place` must be found in the town or the département, be the département
        number or start the région's name ("Rennes Bretagne", "Lyon 69"); or the whole of
        `place` starts the région's name ("Grand Est", "Provence-Alpes-Côte d'Azur")."""
        qs = self
        for term in search_terms(q):
            qs = qs.filter(keywords_search__contains=term)
        terms = search_terms(place)
        if terms:
            each_term = Q()
            for term in terms:
                each_term &= (
                    Q(place_search__contains=term)
                    | Q(department_code=_as_code(term))
                    | Q(region__in=regions_starting_with(term))
                )
            qs = qs.filter(each_term | Q(region__in=regions_starting_with(place)))
        if mode:
            qs = qs.filter(mode=mode)
        if eligibility:
            if eligibility in ListKind.values:
                qs = qs.in_list_kind(eligibility)
            elif eligibility in TrainingKind.values:
                qs = qs.filter(kind=eligibility)
            else:
                qs = qs.none()
        return qs

    def in_list_kind(self, kind: str):
        """The trainings on at least one list of this kind, from the stored bitmask: no join,
        so the planner starts from the other criteria's matches (« soudeur »)."""
        return self.filter(list_kinds__in=masks_with(kind))

    def refresh_list_kinds(self):
        """Recompute list_kinds of these trainings from their links, in one UPDATE. The ORM's
        link changes call it (below); the CSV import writes it itself."""
        links = Training.lists.through.objects.filter(training_id=OuterRef("pk"))
        mask = Value(0)
        for kind, bit in LIST_KIND_BITS.items():
            has_kind = Exists(links.filter(eligibilitylist__kind=kind))
            mask = mask + Case(When(has_kind, then=Value(bit)), default=Value(0))
        return Training.objects.filter(pk__in=self.values("pk")).update(list_kinds=mask)


class Training(models.Model):
    cpf_code = models.CharField(_("code CPF"), max_length=20, unique=True)
    title = models.CharField(_("intitulé de la formation"), max_length=255, db_index=True)
    certification = models.CharField(_("certification"), max_length=255)
    kind = models.CharField(
        _("type"), max_length=12, choices=TrainingKind.choices, default=TrainingKind.CERTIFIANTE
    )
    provider = models.CharField(_("organisme de formation"), max_length=200)
    town = models.CharField(_("ville"), max_length=100, db_index=True)
    department_code = models.CharField(_("code du département"), max_length=3, db_index=True)
    department_name = models.CharField(_("département"), max_length=100)
    # Derived from the département code on every save (see refresh_search_fields).
    region = models.CharField(
        _("région"), max_length=100, blank=True, editable=False, db_index=True
    )
    mode = models.CharField(_("modalité"), max_length=12, choices=TrainingMode.choices)
    duration_hours = models.PositiveIntegerField(_("durée (heures)"))
    lists = models.ManyToManyField(
        EligibilityList, verbose_name=_("listes éligibles"), related_name="trainings", blank=True
    )
    # The kinds of its lists (LIST_KIND_BITS), kept by every writer of the links: save(),
    # the import's save_rows, the ORM's link changes and a list's change (below).
    list_kinds = models.PositiveSmallIntegerField(
        _("types de listes"), default=0, db_default=0, editable=False
    )
    is_active = models.BooleanField(_("visible dans le catalogue"), default=True)
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)
    # Normalised copies searched by TrainingQuerySet.search (catalogue/text.py explains why).
    # No index: a B-tree cannot serve LIKE '%term%' on either database.
    keywords_search = models.TextField(editable=False, default="")
    place_search = models.TextField(editable=False, default="")

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["title", "cpf_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_hours__gt=0), name="training_duration_positive"
            ),
            models.CheckConstraint(
                condition=Q(mode__in=TrainingMode.values), name="training_mode_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=TrainingKind.values), name="training_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(list_kinds__gte=0, list_kinds__lte=ALL_LIST_KINDS),
                name="training_list_kinds_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["mode", "kind"], name="training_mode_kind"),
            models.Index(fields=["list_kinds"], name="training_list_kinds"),
        ]

    def __str__(self):
        return f"{self.cpf_code} — {self.title}"

    def save(self, *args, update_fields=None, **kwargs):
        # A partial save that changes a searched field writes the derived ones with it.
        if update_fields is None or set(update_fields) & SEARCH_SOURCE_FIELDS:
            self.refresh_search_fields()
            if update_fields is not None:
                update_fields = {*update_fields, *DERIVED_FIELDS}
        if self.pk is not None and (update_fields is None or "list_kinds" in update_fields):
            # From the links as they are: a copy read before they changed writes no old kinds.
            self.list_kinds = list_kinds_mask(
                Training.lists.through.objects.filter(training_id=self.pk).values_list(
                    "eligibilitylist__kind", flat=True
                )
            )
        super().save(*args, update_fields=update_fields, **kwargs)

    def refresh_search_fields(self):
        """Recompute the région and the search columns. save() calls it; bulk writers (the CSV
        import, the demo generator) must call it themselves, as must the data migration."""
        self.region = region_for(self.department_code)
        self.keywords_search = keywords_column(
            self.title, self.certification, self.provider, self.cpf_code
        )
        self.place_search = place_column(self.town, self.department_name)

    @property
    def department(self) -> str:
        return f"{self.department_name} ({self.department_code})"

    @property
    def eligibility_labels(self) -> list[str]:
        """Compact labels of what makes it eligible, for the results list (uses the prefetch)."""
        labels = [KIND_SHORT_LABELS[self.kind]] if self.kind in KIND_SHORT_LABELS else []
        return labels + [lst.short_label for lst in self.lists.all()]

    @property
    def list_tokens(self) -> str:
        tokens = [lst.token for lst in self.lists.all()]
        if self.kind != TrainingKind.CERTIFIANTE:
            tokens.append(self.kind.upper())
        return "|".join(tokens)


# --- list_kinds follows the links whichever side the ORM changes them from -------------------
# The admin's change form (`lists.set()` in save_m2m), `training.lists.add/remove/clear`,
# `eligibility_list.trainings.…`, a list whose kind changes, a list deleted (its links go by
# cascade, with no m2m signal). The CSV import writes the links in bulk (no signal) and the
# column with them (catalogue/importer.py). tests/catalogue/test_list_kinds.py checks each way.


@receiver(m2m_changed, sender=Training.lists.through)
def links_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        # The list's trainings, before their links go (post_clear gives no pk_set).
        instance._trainings_before_clear = list(instance.trainings.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        Training.objects.filter(pk=instance.pk).refresh_list_kinds()
        # The copy in hand too: the caller may save it again.
        instance.list_kinds = Training.objects.values_list("list_kinds", flat=True).get(
            pk=instance.pk
        )
        return
    if action == "post_clear":
        pk_set = instance.__dict__.pop("_trainings_before_clear", [])
    if pk_set:
        Training.objects.filter(pk__in=pk_set).refresh_list_kinds()


@receiver(post_save, sender=EligibilityList)
def list_saved(sender, instance, created, **kwargs):
    if not created:  # its kind may have changed
        Training.objects.filter(lists=instance).refresh_list_kinds()


@receiver(pre_delete, sender=EligibilityList)
def list_deleting(sender, instance, **kwargs):
    instance._trainings_before_delete = list(instance.trainings.values_list("pk", flat=True))


@receiver(post_delete, sender=EligibilityList)
def list_deleted(sender, instance, **kwargs):
    pks = instance.__dict__.pop("_trainings_before_delete", [])
    if pks:
        Training.objects.filter(pk__in=pks).refresh_list_kinds()
