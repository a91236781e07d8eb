"""The government-information catalogue (政府信息公开目录): topics and entries."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Topic(models.Model):
    """主题分类: a two-level tree of subjects (a top-level topic and its sub-topics)."""

    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name


class CatalogueEntryQuerySet(models.QuerySet):
    def published(self) -> "CatalogueEntryQuerySet":
        """Entries the public may see: published, from an announced publisher."""
        return self.filter(
            status=CatalogueEntry.Status.PUBLISHED,
            publisher__status="announced",
        )


class CatalogueEntry(models.Model):
    """政府信息: one item of government information in the catalogue."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In confidentiality review")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Genre(models.TextChoices):
        NORMATIVE_DOCUMENT = "normative_document", _("Normative document")
        REGULATION = "regulation", _("Rules and regulations")
        DECISION = "decision", _("Decision")
        ORDER = "order", _("Order")
        ANNOUNCEMENT = "announcement", _("Announcement")
        PUBLIC_NOTICE = "public_notice", _("Public notice")
        OPINION = "opinion", _("Opinion")
        NOTICE = "notice", _("Notice")
        BULLETIN = "bulletin", _("Bulletin")
        REPORT = "report", _("Report")
        REPLY = "reply", _("Official reply")
        LETTER = "letter", _("Letter")
        MINUTES = "minutes", _("Minutes")
        PLAN = "plan", _("Plan")
        STATISTICS = "statistics", _("Statistics")
        GUIDE = "guide", _("Guide")
        OTHER = "other", _("Other")

    class DisclosureMode(models.TextChoices):
        PROACTIVE = "proactive", _("Proactive disclosure")
        ON_REQUEST = "on_request", _("Disclosure on request")
        NOT_DISCLOSED = "not_disclosed", _("Not disclosed")

    class ExemptionReason(models.TextChoices):
        """The legal reason an entry is not disclosed (Regulation Art 14-16)."""

        STATE_SECRET = "state_secret", _("State secret (Art 14)")
        PROHIBITED_BY_LAW = (
            "prohibited_by_law",
            _("Disclosure prohibited by law or administrative regulation (Art 14)"),
        )
        ENDANGERS_SECURITY = (
            "endangers_security",
            _("Would endanger national, public or economic security or social stability (Art 14)"),
        )
        THIRD_PARTY_RIGHTS = (
            "third_party_rights",
            _("Trade secret or personal privacy of a third party (Art 15)"),
        )
        INTERNAL_AFFAIRS = "internal_affairs", _("Internal affairs (Art 16)")
        PROCESS_INFORMATION = "process_information", _("Process information (Art 16)")
        ENFORCEMENT_FILE = "enforcement_file", _("Administrative enforcement case file (Art 16)")

    class Scope(models.TextChoices):
        PUBLIC = "public", _("The whole public")
        SPECIFIC = "specific", _("Specific audiences")

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        EXPIRED = "expired", _("Expired")
        REPEALED = "repealed", _("Repealed")

    class Art20Item(models.IntegerChoices):
        """The item of Regulation Art 20 (proactive disclosure) an entry fulfils."""

        RULES = 1, _("(1) Administrative regulations, rules and normative documents")
        ORGANISATION = 2, _("(2) Functions, organisation, address, hours, contacts, heads")
        PLANS = 3, _("(3) Development plans and related policies")
        STATISTICS = 4, _("(4) Statistics")
        LICENSING = 5, _("(5) Basis, conditions, procedure and results of licensing and services")
        PENALTIES = 6, _("(6) Administrative penalties and compulsory measures")
        BUDGETS = 7, _("(7) Budgets and final accounts")
        FEES = 8, _("(8) Administrative fees, their basis and standards")
        PROCUREMENT = 9, _("(9) Government procurement")
        MAJOR_PROJECTS = 10, _("(10) Approval and implementation of major construction projects")
        WELFARE = 11, _("(11) Poverty relief, education, health, social security, employment")
        EMERGENCIES = 12, _("(12) Emergency plans, warnings and responses")
        INSPECTIONS = 13, _("(13) Environment, health, safety, food, drug and quality inspections")
        CIVIL_SERVICE = 14, _("(14) Civil-service recruitment")
        OTHER = 15, _("(15) Other information required by law to be disclosed")

    index_no = models.CharField(
        _("index number"), max_length=40, unique=True, null=True, blank=True, editable=False
    )
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(_("body"), blank=True)
    publisher = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        related_name="catalogue_entries",
    )
    co_publishers = models.ManyToManyField(
        "disclosure.AdministrativeEntity",
        verbose_name=_("co-publishers"),
        blank=True,
        related_name="co_published_entries",
    )
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    formed_date = models.DateField(_("date formed"))
    published_date = models.DateField(_("publication date"), null=True, blank=True)
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
    )
    genre = models.CharField(_("genre"), max_length=32, choices=Genre.choices, default=Genre.OTHER)
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    audience = models.CharField(_("audience"), max_length=100, blank=True)
    disclosure_mode = models.CharField(
        _("disclosure mode"),
        max_length=16,
        choices=DisclosureMode.choices,
        default=DisclosureMode.PROACTIVE,
    )
    exemption_reason = models.CharField(
        _("reason not disclosed"), max_length=32, choices=ExemptionReason.choices, blank=True
    )
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.PUBLIC)
    art20_item = models.PositiveSmallIntegerField(
        _("Art 20 item"), choices=Art20Item.choices, null=True, blank=True
    )
    validity = models.CharField(
        _("validity"), max_length=16, choices=Validity.choices, default=Validity.IN_FORCE
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    amends = models.ManyToManyField(
        "self",
        verbose_name=_("amends"),
        symmetrical=False,
        blank=True,
        related_name="amended_by",
    )
    repeals = models.ManyToManyField(
        "self",
        verbose_name=_("repeals"),
        symmetrical=False,
        blank=True,
        related_name="repealed_by",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    publication_due = models.DateField(_("publication due"), null=True, blank=True)
    published_late = models.BooleanField(_("published late"), default=False)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[co_publishers])
    objects = CatalogueEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue entry")
        verbose_name_plural = _("catalogue entries")
        ordering = ["-published_date", "-id"]
        indexes = [
            models.Index(fields=["status", "-published_date", "-id"], name="entry_status_pubdate"),
            models.Index(fields=["publisher", "status"], name="entry_publisher_status"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(index_no__isnull=False),
                name="entry_published_has_index_no",
            ),
            models.CheckConstraint(
                condition=~models.Q(disclosure_mode="not_disclosed")
                | ~models.Q(exemption_reason=""),
                name="entry_not_disclosed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title
