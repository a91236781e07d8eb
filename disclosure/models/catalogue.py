"""The government-information catalogue (政府信息公开目录): topics, entries and their attachments.

Also here: the index-number serials (索引号) and the entries' workflow history.
"""

import datetime
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.models.events import WorkflowEvent


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
    history = HistoricalRecords()

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

    def addressable(self) -> "CatalogueEntryQuerySet":
        """Entries whose public URL answers: published ones, and withdrawn ones (with a notice).

        A withdrawn entry keeps its URL and index number; its page says it was withdrawn and
        why, and shows neither body nor attachments. Drafts and entries in review are 404.
        """
        return self.filter(
            status__in=[CatalogueEntry.Status.PUBLISHED, CatalogueEntry.Status.WITHDRAWN],
            publisher__status="announced",
        )


# The catalogue's facets that are columns of the entry itself (publisher and topic aside).
FACET_COLUMNS = ("genre", "validity", "disclosure_mode")


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
        # Served by entry_topic_latest (its first column), not an index of its own.
        db_index=False,
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
        # The facet columns ride along in the walking indexes (PostgreSQL's INCLUDE; SQLite
        # builds them without): a walk or a count with a facet filter (a publisher's notices,
        # a topic's entries of one year) checks it in the index instead of reading each
        # entry's row (`?q=教育&publisher=969&genre=notice` at a million entries: 44,000 →
        # 25,000 buffers, docs/search.md).
        indexes = [
            models.Index(
                fields=["status", "-published_date", "-id"],
                include=["publisher", "topic", *FACET_COLUMNS],
                name="entry_status_pubdate",
            ),
            # A publisher's latest entries (its entity page, its feed) without reading and
            # sorting all of them: ten index rows at a million entries.
            models.Index(
                fields=["publisher", "status", "-published_date", "-id"],
                include=["topic", *FACET_COLUMNS],
                name="entry_publisher_latest",
            ),
            # A topic's latest entries (the catalogue filtered by a topic, a search in it)
            # walked in date order, and its entries counted without the status index.
            models.Index(
                fields=["topic", "status", "-published_date", "-id"],
                include=["publisher", *FACET_COLUMNS],
                name="entry_topic_latest",
            ),
        ]
        permissions = [
            ("review_catalogueentry", _("Can review (confidentiality review) catalogue entries")),
            ("publish_catalogueentry", _("Can publish catalogue entries")),
            ("withdraw_catalogueentry", _("Can withdraw published catalogue entries")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(index_no__isnull=False),
                name="entry_published_has_index_no",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | models.Q(index_no__isnull=False),
                name="entry_withdrawn_keeps_index_no",
            ),
            models.CheckConstraint(
                condition=~models.Q(disclosure_mode="not_disclosed")
                | ~models.Q(exemption_reason=""),
                name="entry_not_disclosed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """The entry's stable public URL: by primary key, so it never changes with a title."""
        return reverse("disclosure:catalogue-entry", kwargs={"pk": self.pk})

    @property
    def published_on(self) -> datetime.date | None:
        """The publication date (the name templates/includes/home_latest.html reads)."""
        return self.published_date

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    def can_move_to(self, status: str) -> bool:
        """Whether the workflow allows a move from the current status to `status`."""
        return status in TRANSITIONS.get(self.status, frozenset())


# The catalogue entry's workflow: from-status -> the statuses it may move to. One action per
# arrow in disclosure/actions/catalogue.py; anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    CatalogueEntry.Status.DRAFT: frozenset({CatalogueEntry.Status.IN_REVIEW}),
    CatalogueEntry.Status.IN_REVIEW: frozenset(
        {CatalogueEntry.Status.DRAFT, CatalogueEntry.Status.PUBLISHED}
    ),
    CatalogueEntry.Status.PUBLISHED: frozenset({CatalogueEntry.Status.WITHDRAWN}),
    CatalogueEntry.Status.WITHDRAWN: frozenset(),
}


class CatalogueEntryEvent(WorkflowEvent):
    """One step of an entry's workflow: who moved it, from where to where, when and why."""

    entry = models.ForeignKey(
        CatalogueEntry,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=CatalogueEntry.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=16, choices=CatalogueEntry.Status.choices
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("catalogue entry event")
        verbose_name_plural = _("catalogue entry events")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_status or '-'} -> {self.to_status}"


class IndexNumberSerial(models.Model):
    """The last serial handed out for one publisher and year (the back part of 索引号).

    Publication locks this row (`select_for_update`), so parallel publications of one
    publisher get distinct, consecutive numbers; a number is never handed out twice, even when
    its entry is later withdrawn.
    """

    publisher = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("publisher"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_value = models.PositiveIntegerField(_("last serial"), default=0)

    class Meta:
        verbose_name = _("index number serial")
        verbose_name_plural = _("index number serials")
        constraints = [
            models.UniqueConstraint(fields=["publisher", "year"], name="index_serial_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.publisher_id}/{self.year}: {self.last_value}"


# --- Attachments -------------------------------------------------------------------------------

ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024

# The types an attachment may have, by what its first bytes say (never by its name).
ATTACHMENT_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "application/msword": "DOC/XLS",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/ofd": "OFD",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
}
_OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")


def attachment_content_type(file: File) -> str | None:
    """The MIME type the file's content shows, or None when it is not an accepted type.

    PDF, PNG and JPEG by their signatures; DOC and XLS are OLE compound files; DOCX, XLSX and
    OFD are zip packages told apart by the part names in their first entries.
    """
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(_OLE_MAGIC):
        return "application/msword"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in head:
            return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        if b"xl/" in head:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if b"OFD.xml" in head or b"Doc_0/" in head:
            return "application/ofd"
        # [Content_Types].xml usually comes first; look for the main part's name in the zip.
        return _office_zip_type(file)
    return None


def _office_zip_type(file: File) -> str | None:
    """Look inside a zip package for the part that names it a DOCX, XLSX or OFD."""
    try:
        with zipfile.ZipFile(file) as package:
            names = package.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    if any(name.startswith("word/") for name in names):
        return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    if any(name.startswith("xl/") for name in names):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    if "OFD.xml" in names:
        return "application/ofd"
    return None


def validate_attachment_file(file: File) -> None:
    """Refuse a file over the size limit or whose content is not an accepted type."""
    if file.size is not None and file.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is too large: at most %(limit)d MB is allowed."),
            code="attachment_too_large",
            params={"limit": ATTACHMENT_MAX_BYTES // (1024 * 1024)},
        )
    if attachment_content_type(file) is None:
        raise ValidationError(
            _(
                "This file type is not accepted. Upload a PDF, Word or Excel document, "
                "an OFD file, or a PNG or JPEG image."
            ),
            code="attachment_type",
        )


def attachment_upload_to(instance: "CatalogueAttachment", filename: str) -> str:
    """Store attachments under MEDIA_ROOT/catalogue/<entry id>/."""
    return f"catalogue/{instance.entry_id}/{filename}"


class CatalogueAttachment(models.Model):
    """A file attached to a catalogue entry; its type comes from its content, not its name."""

    entry = models.ForeignKey(
        CatalogueEntry,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(
        _("file"),
        upload_to=attachment_upload_to,
        max_length=255,
        validators=[validate_attachment_file],
    )
    title = models.CharField(_("title"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def type_label(self) -> str:
        return ATTACHMENT_TYPES.get(self.content_type, "")
