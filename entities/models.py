from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse


class Entity(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", "Company"
        PERSON = "person", "Person"
        PRODUCT = "product", "Product"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, help_text="Unique among entities of the same kind.")
    description = models.CharField(max_length=500, blank=True)
    website_domain = models.CharField(max_length=253, blank=True, help_text="e.g. meta.com")
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata ID looks like Q380.")],
        help_text="Fill it only when you are certain it is this entity.",
    )
    sector = models.CharField(max_length=32, blank=True, help_text="Companies only.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subsidiaries",
        limit_choices_to={"kind": Kind.COMPANY},
        help_text="Companies only: the group this company belongs to.",
    )
    maker = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        limit_choices_to={"kind": Kind.COMPANY},
        help_text="Products only: the company that makes it.",
    )
    affiliation = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        limit_choices_to={"kind": Kind.COMPANY},
        help_text="People only: the company they work for now.",
    )
    role = models.CharField(max_length=200, blank=True, help_text="People only.")
    variant_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="variants",
        limit_choices_to={"kind": Kind.PRODUCT},
        help_text="Products only: the family this product is a version or variant of "
        "(Pixel 9 Pro of Pixel 9, Pixel 9 of Pixel).",
    )
    provisional = models.BooleanField(
        default=False,
        help_text="Suggested by tagging, not yet accepted by a chief editor: editors see it, "
        "readers do not.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "entities"
        ordering = ["name"]
        # The company directory's sector list. Its alphabetical order (by ICU's collation) is
        # indexed on PostgreSQL only, by migration 0003: SQLite has no such collation.
        indexes = [
            models.Index(
                fields=["sector"],
                condition=Q(kind="company") & ~Q(sector=""),
                name="entity_company_sector_idx",
            ),
            # Public lists leave out provisional entities' mentions (`Mention.objects.visible()`):
            # their few ids without a read of the whole table.
            models.Index(
                fields=["id"], condition=Q(provisional=True), name="entity_provisional_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug"], name="entity_unique_slug_per_kind"),
            models.CheckConstraint(
                condition=Q(maker__isnull=True) | Q(kind="product"), name="entity_maker_is_product"
            ),
            models.CheckConstraint(
                condition=Q(affiliation__isnull=True) | Q(kind="person"),
                name="entity_affiliation_is_person",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | (Q(kind="company") & ~Q(parent=F("pk"))),
                name="entity_parent_is_other_company",
            ),
            models.CheckConstraint(
                condition=Q(variant_of__isnull=True) | (Q(kind="product") & ~Q(variant_of=F("pk"))),
                name="entity_variant_of_other_product",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(f"public:{self.kind}", args=[self.slug])


class Alias(models.Model):
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    text = models.CharField(max_length=200)
    language = models.CharField(
        max_length=2, blank=True, help_text="Blank: any language. Otherwise 'en', 'fr'…"
    )
    case_sensitive = models.BooleanField(
        default=False, help_text="Match only with this exact capitalisation (short names, words)."
    )
    ambiguous = models.BooleanField(
        default=False,
        help_text="An ordinary word too: count it only when the article supports it "
        "(a related entity or a cue word nearby).",
    )

    class Meta:
        verbose_name_plural = "aliases"
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "text", "language"], name="alias_unique_per_entity"
            )
        ]

    def __str__(self):
        return self.text


class Candidate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    text = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True, editable=False)
    likely_kind = models.CharField(max_length=16, choices=Entity.Kind.choices, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    entity = models.ForeignKey(
        Entity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["text"]

    def __str__(self):
        return self.text

    def save(self, *args, **kwargs):
        self.key = candidate_key(self.text)
        super().save(*args, **kwargs)


def candidate_key(text: str) -> str:
    return " ".join(text.casefold().split())


class Topic(models.Model):
    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["slug"]

    def __str__(self):
        return self.name


class RelationshipQuerySet(models.QuerySet):
    def public(self):
        """Return relationships readers may see: not rejected, with evidence in a story that
        readers can see now, whatever an editor confirmed.

        `last_seen` is the newest such story, kept up to date by the newsroom whenever
        evidence or a story's publication changes and when an embargo lifts.
        """
        return self.exclude(status=Relationship.Status.REJECTED).filter(last_seen__isnull=False)

    def involving(self, company):
        return self.filter(Q(company_a=company) | Q(company_b=company))

    def between(self, company_a, company_b):
        first, second = sorted([company_a, company_b], key=lambda company: company.slug)
        return self.filter(company_a=first, company_b=second)

    def newest_first(self):
        return self.order_by(F("last_seen").desc(nulls_last=True), "-pk")


class Relationship(models.Model):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", "Partnership"
        SUPPLIER_CUSTOMER = "supplier_customer", "Supplier and customer"
        COMPETITION = "competition", "Competition"
        INVESTMENT = "investment", "Investment"
        ACQUISITION = "acquisition", "Acquisition"

    class Status(models.TextChoices):
        DETECTED = "detected", "Detected"
        CONFIRMED = "confirmed", "Confirmed"
        REJECTED = "rejected", "Rejected"

    # The two companies in canonical order: company_a's slug sorts before company_b's.
    company_a = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    company_b = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DETECTED)
    topics = models.ManyToManyField(Topic, blank=True, related_name="relationships")
    topics_edited = models.BooleanField(
        default=False, editable=False, help_text="An editor set the topics: re-tagging keeps them."
    )
    first_seen = models.DateTimeField(null=True, blank=True, editable=False)
    last_seen = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        ordering = ["-last_seen"]
        constraints = [
            models.UniqueConstraint(
                fields=["company_a", "company_b", "kind"], name="relationship_unique_pair_kind"
            ),
            models.CheckConstraint(
                condition=~Q(company_a=F("company_b")), name="relationship_two_companies"
            ),
        ]
        # The newest-first index (last_seen DESC NULLS LAST) is made on PostgreSQL only, by
        # migration 0002: SQLite cannot put NULLS LAST in an index.
        # The company directory counts each company's partners from these alone, one side of
        # each pair: their condition is `public()`'s.
        indexes = [
            models.Index(
                fields=["company_a", "company_b"],
                condition=~Q(status="rejected") & Q(last_seen__isnull=False),
                name="relationship_public_a_idx",
            ),
            models.Index(
                fields=["company_b", "company_a"],
                condition=~Q(status="rejected") & Q(last_seen__isnull=False),
                name="relationship_public_b_idx",
            ),
        ]

    def __str__(self):
        return f"{self.company_a} – {self.company_b} ({self.get_kind_display().lower()})"

    def get_absolute_url(self):
        return reverse("public:pair", args=[self.company_a.slug, self.company_b.slug])
