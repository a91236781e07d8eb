"""Efficiency complaints (效能投诉): the complaint, its workflow, clocks, attachments and history.

A citizen complains about a department, a window, a service item, a case or a public institution
(at least one). The supervision bureau (监察局) registers or declines it, assigns an investigator,
investigates (it may transfer it or ask the complainant for information), concludes with a
finding and measures, replies, and closes it after the citizen's rating or automatically. Each
stage has a time limit in working days (`settings.COMPLAINTS_STAGE_WORKDAYS`), computed with
`workdays.calendar.Deadline`; paused while the complainant is asked for information.

Privacy: the complainant's identity and contacts are private (`IDENTITY_FIELDS`); see
`complaints.selectors.complaints` for who may see them.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.models.events import WorkflowEvent
from disclosure.tracking import Trackable
from workdays.calendar import Deadline, Pause

TRACKING_PREFIX = "TS"

# Default time limits per stage, in working days (the stage's start is day 0). Override any of
# them with settings.COMPLAINTS_STAGE_WORKDAYS = {"submitted": 3, ...}.
DEFAULT_STAGE_WORKDAYS: dict[str, int] = {
    "submitted": 5,  # register or decline within 5 working days of receipt
    "registered": 2,  # assign an investigator
    "assigned": 3,  # start the investigation
    "investigating": 20,  # conclude (paused while the complainant is asked for information)
    "concluded": 5,  # reply to the complainant
}
DEFAULT_AUTO_CLOSE_DAYS = 15  # calendar days after the reply without a rating
DEFAULT_RECONSIDERATION_DAYS = 15  # calendar days after the reply to ask for reconsideration
DEFAULT_ANONYMISE_AFTER_DAYS = 3 * 365  # closed complaints lose their identity after this

# The complainant's identity and contacts: never on a public surface, never for the accused.
IDENTITY_FIELDS = ("complainant_name", "complainant_mobile", "complainant_email")


def stage_workdays() -> dict[str, int]:
    """The configured time limit of each stage, in working days."""
    return {**DEFAULT_STAGE_WORKDAYS, **getattr(settings, "COMPLAINTS_STAGE_WORKDAYS", {})}


def auto_close_days() -> int:
    return int(getattr(settings, "COMPLAINTS_AUTO_CLOSE_DAYS", DEFAULT_AUTO_CLOSE_DAYS))


def reconsideration_days() -> int:
    return int(getattr(settings, "COMPLAINTS_RECONSIDERATION_DAYS", DEFAULT_RECONSIDERATION_DAYS))


def anonymise_after_days() -> int:
    return int(getattr(settings, "COMPLAINTS_ANONYMISE_AFTER_DAYS", DEFAULT_ANONYMISE_AFTER_DAYS))


class ComplaintQuerySet(models.QuerySet):
    def in_progress(self) -> "ComplaintQuerySet":
        return self.filter(status__in=IN_PROGRESS)

    def with_clock(self) -> "ComplaintQuerySet":
        """Complaints whose current stage runs on a clock."""
        return self.filter(status__in=list(DEFAULT_STAGE_WORKDAYS))


class Complaint(Trackable):
    """One efficiency complaint and its clock."""

    class Category(models.TextChoices):
        DELAY = "delay", _("Dragging out the handling (办事拖拉)")
        BUCK_PASSING = "buck_passing", _("Passing the buck (推诿扯皮)")
        OBSTRUCTION = "obstruction", _("Making things difficult for citizens (刁难群众)")
        EXTORTION = "extortion", _("Demanding favours (吃拿卡要)")
        ARBITRARY_CHARGES = "arbitrary_charges", _("Arbitrary charges, fines or levies")
        ATTITUDE = "attitude", _("Service attitude")
        BROKEN_PROMISE = "broken_promise", _("Breach of a service commitment")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REGISTERED = "registered", _("Registered")
        DECLINED = "declined", _("Declined")
        ASSIGNED = "assigned", _("Assigned to an investigator")
        INVESTIGATING = "investigating", _("Under investigation")
        AWAITING_INFORMATION = "awaiting_information", _("Waiting for information")
        CONCLUDED = "concluded", _("Concluded")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class DeclineReason(models.TextChoices):
        NOT_EFFICIENCY = "not_efficiency", _("Not an efficiency matter (for another channel)")
        IN_LITIGATION = "in_litigation", _("In administrative review or litigation")
        ALREADY_HANDLED = "already_handled", _("Already handled; no new facts")
        NO_FACTS = "no_facts", _("No specific facts to investigate")
        OUTSIDE_DISTRICT = "outside_district", _("Outside the district's remit")

    class Finding(models.TextChoices):
        SUBSTANTIATED = "substantiated", _("Substantiated")
        PARTLY = "partly", _("Partly substantiated")
        UNSUBSTANTIATED = "unsubstantiated", _("Unsubstantiated")

    class Measure(models.TextChoices):
        CRITICISM = "criticism", _("Criticism and education (批评教育)")
        ADMONISHMENT = "admonishment", _("Admonishment (训诫)")
        PUBLIC_CRITICISM = "public_criticism", _("Circulated criticism (通报批评)")
        DISCIPLINE = "discipline", _("Referral for disciplinary action")
        RECTIFICATION = "rectification", _("Rectification")

    class Rating(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        FAIRLY_SATISFIED = 3, _("Fairly satisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    # What the complaint is about: at least one (constraint complaint_has_target).
    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("department complained about"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    window = models.ForeignKey(
        "services.ServiceWindow",
        verbose_name=_("window"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    item = models.ForeignKey(
        "services.ServiceItem",
        verbose_name=_("service item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    case = models.ForeignKey(
        "services.ServiceCase",
        verbose_name=_("service case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    institution = models.ForeignKey(
        "disclosure.PublicInstitution",
        verbose_name=_("public institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("what happened"), max_length=4000)
    occurred_on = models.DateField(_("when it happened"), null=True, blank=True)
    place = models.CharField(_("where it happened"), max_length=200, blank=True)

    # Private: the complainant (empty when anonymous or once anonymised).
    anonymous = models.BooleanField(_("anonymous"), default=False)
    complainant_name = models.CharField(_("complainant's name"), max_length=60, blank=True)
    complainant_mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    complainant_email = models.EmailField(_("e-mail"), blank=True)
    anonymised_on = models.DateField(_("anonymised on"), null=True, blank=True)

    channel = models.CharField(_("channel"), max_length=20, default="web")
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED
    )
    received_on = models.DateField(_("received on"))
    investigator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("investigator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_investigated",
    )
    # The clock of the current stage: start (day 0) and limit; pauses are ComplaintPause rows.
    stage_started_on = models.DateField(_("stage started on"))
    stage_workdays = models.PositiveSmallIntegerField(_("stage time limit (working days)"))
    stage_due_on = models.DateField(_("stage due on"), null=True, blank=True, db_index=True)
    overdue_on = models.DateField(_("found overdue on"), null=True, blank=True)

    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    finding = models.CharField(_("finding"), max_length=20, choices=Finding.choices, blank=True)
    measures = models.JSONField(_("measures"), default=list, blank=True)
    conclusion = models.TextField(_("conclusion (public summary)"), blank=True)
    reply = models.TextField(_("reply"), blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), choices=Rating.choices, null=True, blank=True
    )
    reconsideration_requested_on = models.DateField(
        _("reconsideration requested on"), null=True, blank=True
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    # Neither the complainant's identity nor the tracking password's hash is copied into history
    # (a hash rewritten under a new key or scheme would otherwise live on there).
    history = HistoricalRecords(excluded_fields=[*IDENTITY_FIELDS, "tracking_password_hash"])
    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("efficiency complaint")
        verbose_name_plural = _("efficiency complaints")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "stage_due_on"], name="complaint_status_due"),
            models.Index(fields=["received_on"], name="complaint_received"),
        ]
        permissions = [
            ("handle_complaint", _("Can register, investigate and reply to complaints")),
            ("supervise_complaints", _("Can supervise every complaint's investigation")),
            ("reveal_complainant", _("Can see a complainant's identity (logged)")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(entity__isnull=False)
                | Q(window__isnull=False)
                | Q(item__isnull=False)
                | Q(case__isnull=False)
                | Q(institution__isnull=False),
                name="complaint_has_target",
            ),
            models.CheckConstraint(
                condition=Q(anonymous=True)
                | Q(anonymised_on__isnull=False)
                | (~Q(complainant_name="") & ~Q(complainant_mobile="")),
                name="complaint_named_has_contact",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (~Q(reply="") & Q(replied_on__isnull=False)),
                name="complaint_closed_has_reply",
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="complaint_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="complaint_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_no or f"#{self.pk}"

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, frozenset())

    @property
    def department(self):
        """The department complained about, from the most specific target that names one."""
        if self.entity_id:
            return self.entity
        for target in (self.case, self.window, self.item):
            if target is not None and getattr(target, "entity_id", None):
                return target.entity
        institution = getattr(self, "institution", None)
        if institution is not None:
            return institution.supervising_department
        return None

    @property
    def is_open(self) -> bool:
        return self.status in IN_PROGRESS

    def deadline(self) -> Deadline | None:
        """The current stage's deadline (with its derivation), or None when no clock runs."""
        if self.status not in DEFAULT_STAGE_WORKDAYS:
            return None
        pauses = tuple(
            Pause(pause.first, pause.last)
            for pause in (self.pauses.all() if self.pk else ())
            if pause.last is not None and pause.first >= self.stage_started_on
        )
        return Deadline(start=self.stage_started_on, workdays=self.stage_workdays, pauses=pauses)

    def reconsideration_open_until(self) -> datetime.date | None:
        if self.replied_on is None or self.reconsideration_requested_on is not None:
            return None
        return self.replied_on + datetime.timedelta(days=reconsideration_days())


S = Complaint.Status
IN_PROGRESS = [
    S.SUBMITTED,
    S.REGISTERED,
    S.ASSIGNED,
    S.INVESTIGATING,
    S.AWAITING_INFORMATION,
]
# From-status -> the statuses it may move to. One action per arrow in
# complaints/actions/complaints.py; anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset({S.REGISTERED, S.DECLINED, S.WITHDRAWN}),
    S.REGISTERED: frozenset({S.ASSIGNED, S.WITHDRAWN}),
    S.ASSIGNED: frozenset({S.INVESTIGATING, S.WITHDRAWN}),
    S.INVESTIGATING: frozenset({S.AWAITING_INFORMATION, S.CONCLUDED, S.WITHDRAWN}),
    S.AWAITING_INFORMATION: frozenset({S.INVESTIGATING, S.WITHDRAWN}),
    S.CONCLUDED: frozenset({S.REPLIED}),
    S.REPLIED: frozenset({S.CLOSED, S.INVESTIGATING}),  # reconsideration reopens it
    S.CLOSED: frozenset({S.INVESTIGATING}),  # reconsideration within the period
    S.DECLINED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


class ComplaintPause(models.Model):
    """The investigation clock stopped while the complainant is asked for information."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="pauses"
    )
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["first", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last__isnull=True) | Q(last__gte=models.F("first")),
                name="complaintpause_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first}–{self.last or ''}"


class ComplaintEvent(WorkflowEvent):
    """One step of a complaint's history. `public` steps appear on the citizen's timeline."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Status change")
        TRANSFER = "transfer", _("Transferred to another department")
        INFORMATION = "information", _("Information added by the complainant")
        RATING = "rating", _("Reply rated")
        OVERDUE = "overdue", _("Stage overdue")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default="transition")
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24)
    public = models.BooleanField(_("on the public timeline"), default=True)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("complaint event")
        verbose_name_plural = _("complaint events")

    def __str__(self) -> str:
        return f"{self.complaint_id}: {self.from_status} → {self.to_status}"

    def get_to_status_display(self) -> str:
        return str(Complaint.Status(self.to_status).label) if self.to_status else ""


ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_MAX_FILES = 5
ATTACHMENT_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPEG"}


def complaint_attachment_upload_to(instance: "ComplaintAttachment", filename: str) -> str:
    """MEDIA_ROOT/complaints/<random>.<ext>: never the citizen's file name, never static."""
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        instance.content_type, "bin"
    )
    return f"complaints/{uuid.uuid4().hex}.{extension}"


class ComplaintAttachment(models.Model):
    """A file the complainant attached: type by content, images re-encoded without metadata."""

    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=complaint_attachment_upload_to, max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("complaint attachment")
        verbose_name_plural = _("complaint attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return ATTACHMENT_TYPES.get(self.content_type, self.content_type)


class ComplaintIdentityReveal(models.Model):
    """Every time an official was shown a complainant's identity: who, when, where."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="reveals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("official"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    surface = models.CharField(_("where"), max_length=40)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity reveal")
        verbose_name_plural = _("identity reveals")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.user_id} {self.at:%Y-%m-%d %H:%M}"


class Open311Key(models.Model):
    """An api_key issued to a partner channel for POSTing requests through Open311."""

    name = models.CharField(_("partner channel"), max_length=100)
    key = models.CharField(_("key"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["key"])  # the secret stays out of history

    class Meta:
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.key:
            self.key = uuid.uuid4().hex
        super().save(*args, **kwargs)


class Open311Token(models.Model):
    """The token an Open311 POST returns: a client looks the request's id up with it later
    (GeoReport v2 `GET tokens/{token}`). It reveals only the public request."""

    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    complaint = models.OneToOneField(
        Complaint,
        verbose_name=_("complaint"),
        on_delete=models.CASCADE,
        related_name="open311_token",
    )
    api_key = models.ForeignKey(
        Open311Key,
        verbose_name=_("Open311 API key"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tokens",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 token")
        verbose_name_plural = _("Open311 tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.token
