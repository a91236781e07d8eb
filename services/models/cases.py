"""Service cases (办件): their state machine, clocks in working days, pauses and history.

The clock runs from acceptance (行政许可法 §42), day 0, for the item's committed limit
(copied onto the case when it is received); suspensions for a hearing, an inspection or an
expert review (§45) pause it. A correction (补正, §32) is asked for once, within 5 working days
of receipt, with everything missing; if no notice is given in time the application counts as
accepted from the day it was received.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.models.events import WorkflowEvent
from disclosure.tracking import Trackable

# Working days after receipt within which a correction notice must be given (行政许可法 §32).
CORRECTION_NOTICE_WORKDAYS = 5


class ServiceCaseQuerySet(models.QuerySet):
    def open(self) -> "ServiceCaseQuerySet":
        """Cases whose clock may still run (accepted or suspended)."""
        return self.filter(status__in=[ServiceCase.Status.ACCEPTED, ServiceCase.Status.SUSPENDED])

    def accepted_ever(self) -> "ServiceCaseQuerySet":
        """Cases that were accepted (受理), whatever became of them since."""
        return self.filter(accepted_on__isnull=False)


class ServiceCase(Trackable):
    """One application for a service item and its clock.

    The citizen looks it up with its case number (kept also as the shared tracking number) and
    a query code stored only as a hash (`disclosure.tracking`).
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
        ACCEPTED = "accepted", _("Accepted")
        SUSPENDED = "suspended", _("Suspended")
        DEEMED_APPROVED = "deemed_approved", _("Deemed approved (joint approval meeting)")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class ApplicantType(models.TextChoices):
        PERSON = "person", _("Natural person")
        ENTERPRISE = "enterprise", _("Enterprise")
        SME = "sme", _("Small or medium-sized private enterprise")
        ORGANISATION = "organisation", _("Other organisation")

    class Channel(models.TextChoices):
        WINDOW = "window", _("At a window")
        ONLINE = "online", _("Online")
        AGENCY = "agency", _("Full agency service")

    class Result(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    case_no = models.CharField(_("case number"), max_length=40, unique=True)
    item = models.ForeignKey(
        "services.ServiceItem",
        verbose_name=_("service item"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    # The item's department, kept on the case for scoping and per-department statistics.
    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="service_cases",
    )
    window = models.ForeignKey(
        "services.ServiceWindow",
        verbose_name=_("window"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("full-agency parent case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_cases",
    )
    agent_name = models.CharField(_("agent (full agency service)"), max_length=60, blank=True)
    applicant_type = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantType.choices
    )
    # Private: never on a public page, feed, export or API.
    applicant_name = models.CharField(_("applicant"), max_length=200)
    applicant_contact = models.CharField(_("applicant contact"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    green_channel = models.BooleanField(_("green channel"), default=False)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.RECEIVED
    )
    committed_days = models.PositiveSmallIntegerField(_("committed time limit (working days)"))
    received_on = models.DateField(_("received on"))
    correction_requested_on = models.DateField(_("correction requested on"), null=True, blank=True)
    correction_items = models.TextField(_("everything missing"), blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    deemed_accepted = models.BooleanField(
        _("accepted because no correction notice was given in time"), default=False
    )
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField(_("due date provisional"), default=False)
    overdue_on = models.DateField(_("found overdue on"), null=True, blank=True)
    deemed_approved_on = models.DateField(_("deemed approved on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=Result.choices, blank=True)
    result_reason = models.TextField(_("reasons"), blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = ServiceCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("service case")
        verbose_name_plural = _("service cases")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="servicecase_status_due"),
            models.Index(fields=["item", "received_on"], name="servicecase_item_received"),
            models.Index(fields=["entity", "received_on"], name="servicecase_entity_received"),
            # The open cases only (a few per cent of them), for the sweep and the work queues:
            # a daily sweep reads these two small indexes and never the closed cases.
            models.Index(
                fields=["received_on", "id"],
                condition=Q(status="received"),
                name="servicecase_received_open",
            ),
            models.Index(
                fields=["due_date", "id"],
                condition=Q(status="accepted"),
                name="servicecase_accepted_due",
            ),
        ]
        permissions = [
            ("handle_servicecase", _("Can receive, accept, suspend and decide service cases")),
            ("decide_jointmeeting", _("Can record the joint approval meeting's decisions")),
            ("import_servicecase", _("Can import service cases from CSV")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("received_on")),
                name="servicecase_accepted_after_received",
            ),
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=F("accepted_on")),
                name="servicecase_due_after_accepted",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | (Q(completed_on__isnull=False) & ~Q(result="")),
                name="servicecase_completed_has_result",
            ),
            models.CheckConstraint(
                condition=~Q(status="completed", result="refused") | ~Q(result_reason=""),
                name="servicecase_refusal_has_reasons",
            ),
            models.CheckConstraint(
                condition=~Q(status="deemed_approved") | Q(deemed_approved_on__isnull=False),
                name="servicecase_deemed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.case_no

    def can_move_to(self, status: str) -> bool:
        """Whether the state machine allows a move from the current status to `status`."""
        return status in TRANSITIONS.get(self.status, frozenset())

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.ACCEPTED, self.Status.SUSPENDED)

    def completed_in_time(self) -> bool | None:
        if self.completed_on is None or self.due_date is None:
            return None
        return self.completed_on <= self.due_date and self.deemed_approved_on is None


S = ServiceCase.Status
# The case's state machine: from-status -> the statuses it may move to. One action per arrow
# in services/actions/cases.py; anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.CORRECTION_REQUESTED, S.ACCEPTED, S.WITHDRAWN}),
    S.CORRECTION_REQUESTED: frozenset({S.ACCEPTED, S.WITHDRAWN}),
    S.ACCEPTED: frozenset({S.SUSPENDED, S.COMPLETED, S.DEEMED_APPROVED, S.WITHDRAWN}),
    S.SUSPENDED: frozenset({S.ACCEPTED, S.WITHDRAWN}),
    S.DEEMED_APPROVED: frozenset({S.COMPLETED}),
    S.COMPLETED: frozenset(),
    S.WITHDRAWN: frozenset(),
}


class ServiceCasePause(models.Model):
    """A justified suspension of a case's clock (听证, 检验/检测, 鉴定, 专家评审; §45)."""

    class Reason(models.TextChoices):
        HEARING = "hearing", _("Hearing")
        INSPECTION = "inspection", _("Inspection or testing")
        EXPERT_REVIEW = "expert_review", _("Expert review")
        OTHER = "other", _("Other justified reason")

    case = models.ForeignKey(
        ServiceCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="pauses"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    note = models.TextField(_("note"), blank=True)
    first = models.DateField(_("first day"))
    last = models.DateField(_("last day"), null=True, blank=True)

    class Meta:
        verbose_name = _("clock pause")
        verbose_name_plural = _("clock pauses")
        ordering = ["case_id", "first", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last__isnull=True) | Q(last__gte=F("first")),
                name="servicecasepause_last_after_first",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(last__isnull=True),
                name="servicecasepause_one_open_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.first}–{self.last or ''}"


class ServiceCaseEvent(WorkflowEvent):
    """One step of a case: who moved it, from where to where, when and why."""

    case = models.ForeignKey(
        ServiceCase, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from status"), max_length=24, choices=ServiceCase.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=24, choices=ServiceCase.Status.choices)

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("service case event")
        verbose_name_plural = _("service case events")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status or '-'} -> {self.to_status}"


class JointMeetingDecision(models.Model):
    """The joint approval meeting's (审批联席会议) decision completing a deemed-approved case."""

    case = models.OneToOneField(
        ServiceCase,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="joint_meeting_decision",
    )
    meeting_date = models.DateField(_("meeting date"))
    minutes_no = models.CharField(_("minutes number"), max_length=60, blank=True)
    note = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("joint approval meeting decision")
        verbose_name_plural = _("joint approval meeting decisions")
        ordering = ["-meeting_date", "-id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.meeting_date}"


class ConsultationCount(models.Model):
    """Consultations (咨询) about one item on one day, as the service centre counts them."""

    item = models.ForeignKey(
        "services.ServiceItem",
        verbose_name=_("service item"),
        on_delete=models.PROTECT,
        related_name="consultation_counts",
    )
    date = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("consultations"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation count")
        verbose_name_plural = _("consultation counts")
        ordering = ["-date", "item_id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "date"], name="consultationcount_item_date"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.date}: {self.count}"
