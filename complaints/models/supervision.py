"""Supervision (效能监察): invited supervisors, inspection visits and rectification projects.

The seed: the district invited 36 supervisors (特邀监督员/特邀监察员: citizens, people's congress
deputies, CPPCC members) who inspect the service centre's windows openly (明查) and unannounced
(暗访); problems found by visits, complaints and surveys are taken on as rectification projects
(整改立项, 7 in 2006), each with a responsible department, a plan, measures and a responsible
member of its leadership (班子成员).

- `Supervisor`: name, role, kind and affiliation and term are public; contacts are private.
- `InspectionVisit`: draft → submitted → accepted by the supervision bureau (or returned to
  draft); only accepted visits count (window stars, public summaries). Private notes never leave
  the bureau and the supervisor who wrote them.
- `VisitFinding`: what was seen, its severity and the responsible department; it may lead to a
  rectification project.
- `RectificationProject`: planned → in progress → completed → verified (a failed verification
  returns it to in progress); its due date is counted in working days; the deadline sweep marks
  it overdue (`overdue_since`), which stays on record.
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from disclosure.models.catalogue import validate_attachment_file
from disclosure.models.events import WorkflowEvent


class Supervisor(models.Model):
    """An invited supervisor (特邀监督员/特邀监察员); contacts are private."""

    class Role(models.TextChoices):
        SUPERVISOR = "supervisor", _("Invited supervisor (特邀监督员)")
        INSPECTOR = "inspector", _("Invited inspector (特邀监察员)")

    class Kind(models.TextChoices):
        CONGRESS_DEPUTY = "congress_deputy", _("People's congress deputy")
        CPPCC_MEMBER = "cppcc_member", _("CPPCC member")
        ENTERPRISE = "enterprise", _("Enterprise representative")
        RESIDENT = "resident", _("Resident representative")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    affiliation = models.CharField(
        _("affiliation"), max_length=200, help_text=_("E.g. 区人大代表, 区政协委员, a company.")
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"))
    # Private: never on a public page, feed, export or API.
    phone = models.CharField(_("phone (private)"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail (private)"), blank=True)
    address = models.CharField(_("address (private)"), max_length=200, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervisor",
        help_text=_("The supervisor's own account, with which they record their visits."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supervisor")
        verbose_name_plural = _("supervisors")
        ordering = ["role", "kind", "name", "id"]
        permissions = [
            (
                "manage_supervision",
                _("Can manage supervisors, all inspection visits and rectification projects"),
            ),
            ("record_own_visits", _("Can record one's own inspection visits")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__gte=models.F("term_start")),
                name="supervisor_term_end_after_start",
            ),
            models.UniqueConstraint(
                fields=["name", "affiliation", "term_start"], name="supervisor_unique_per_term"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def serves_on(self, day: datetime.date) -> bool:
        """Whether `day` falls within the supervisor's term and the appointment is active."""
        return self.is_active and self.term_start <= day <= self.term_end


class InspectionVisitQuerySet(models.QuerySet):
    """Reusable filters for visits."""

    def accepted(self) -> "InspectionVisitQuerySet":
        """Visits the supervision bureau accepted: they count and their summaries are public."""
        return self.filter(status=InspectionVisit.Status.ACCEPTED)


class InspectionVisit(models.Model):
    """One inspection visit (明查 announced or 暗访 unannounced) and what it found."""

    class Kind(models.TextChoices):
        UNANNOUNCED = "unannounced", _("Unannounced (暗访)")
        ANNOUNCED = "announced", _("Announced (明查)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", pgettext_lazy("inspection visit", "Accepted")

    supervisor = models.ForeignKey(
        Supervisor,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="visits",
        help_text=_("Empty for a visit by the supervision bureau's own staff."),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    visited_on = models.DateField(_("date of the visit"))
    window = models.ForeignKey(
        "services.ServiceWindow",
        verbose_name=_("window"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_visits",
    )
    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_visits",
    )
    institution = models.ForeignKey(
        "disclosure.PublicInstitution",
        verbose_name=_("public institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_visits",
    )
    place = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("E.g. a grass-roots station (基层站所) that is not an entity of its own."),
    )
    topic = models.CharField(_("subject"), max_length=200)
    summary = models.TextField(_("summary (public)"))
    private_notes = models.TextField(
        _("private notes"),
        blank=True,
        help_text=_("Seen only by the supervision bureau and the supervisor; never published."),
    )
    score = models.PositiveSmallIntegerField(
        _("score (0-100)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Feeds the window's supervisor-inspection score."),
    )
    follow_up = models.TextField(_("follow-up"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = InspectionVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")
        ordering = ["-visited_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(window__isnull=False)
                | Q(entity__isnull=False)
                | Q(institution__isnull=False)
                | ~Q(place=""),
                name="visit_has_target",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                name="visit_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d} {self.get_kind_display()} {self.target_label}"

    @property
    def target_label(self) -> str:
        """What was visited, as one line: the window, else the department, else the place."""
        if self.window_id:
            return str(self.window)
        if self.entity_id:
            return self.entity.name
        if self.institution_id:
            return self.institution.name
        return self.place

    def can_move_to(self, status: str) -> bool:
        """Whether the visit workflow allows a move from the current status to `status`."""
        return status in VISIT_TRANSITIONS.get(self.status, frozenset())


_V = InspectionVisit.Status
# draft → submitted → accepted; the bureau may return a submitted record to its author.
VISIT_TRANSITIONS: dict[str, frozenset[str]] = {
    _V.DRAFT: frozenset({_V.SUBMITTED}),
    _V.SUBMITTED: frozenset({_V.ACCEPTED, _V.DRAFT}),
    _V.ACCEPTED: frozenset(),
}


class InspectionVisitEvent(WorkflowEvent):
    """One step of a visit record's workflow."""

    visit = models.ForeignKey(
        InspectionVisit, verbose_name=_("visit"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=InspectionVisit.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=16, choices=InspectionVisit.Status.choices
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("visit event")
        verbose_name_plural = _("visit events")

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.from_status or '—'} → {self.to_status}"


class VisitFinding(models.Model):
    """One thing a visit found: what was seen, how serious, and which department answers for it."""

    class Severity(models.TextChoices):
        GOOD = "good", _("Good practice")
        MINOR = "minor", _("Minor")
        SERIOUS = "serious", _("Serious")
        GRAVE = "grave", _("Grave")

    visit = models.ForeignKey(
        InspectionVisit,
        verbose_name=_("visit"),
        on_delete=models.CASCADE,
        related_name="findings",
    )
    description = models.TextField(_("what was seen"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    responsible_entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="visit_findings",
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("complaint"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_findings",
        help_text=_("The complaint this finding was taken up as, if any."),
    )
    rectification_project = models.ForeignKey(
        "complaints.RectificationProject",
        verbose_name=_("rectification project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["visit_id", "id"]

    def __str__(self) -> str:
        return self.description[:40]


class RectificationProjectQuerySet(models.QuerySet):
    """Reusable filters for rectification projects."""

    def open(self) -> "RectificationProjectQuerySet":
        """Projects not yet completed."""
        status = RectificationProject.Status
        return self.filter(status__in=[status.PLANNED, status.IN_PROGRESS])

    def due_before(self, day: datetime.date) -> "RectificationProjectQuerySet":
        """Open projects whose due date has passed on `day` (they are overdue)."""
        return self.open().filter(due_date__lt=day)


def rectification_evidence_upload_to(instance: "RectificationProject", filename: str) -> str:
    """Store completion evidence under MEDIA_ROOT/rectification/<project id>/."""
    return f"rectification/{instance.pk}/{filename}"


class RectificationProject(models.Model):
    """A problem taken on as a rectification project (整改立项), public for accountability."""

    class Source(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        VISIT = "visit", _("Inspection visit")
        SURVEY = "survey", _("Survey")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("rectification project", "In progress")
        COMPLETED = "completed", pgettext_lazy("rectification project", "Completed")
        VERIFIED = "verified", _("Verified")

    number = models.CharField(_("project number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    source_visit = models.ForeignKey(
        InspectionVisit,
        verbose_name=_("source visit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_projects",
    )
    source_complaint = models.ForeignKey(
        "complaints.Complaint",
        verbose_name=_("source complaint"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_projects",
    )
    responsible_entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="rectification_projects",
    )
    coordinating_entities = models.ManyToManyField(
        "disclosure.AdministrativeEntity",
        verbose_name=_("coordinating departments"),
        blank=True,
        related_name="coordinated_rectification_projects",
    )
    responsible_leader = models.CharField(
        _("responsible leader"),
        max_length=100,
        help_text=_("The member of the department's leadership (班子成员) answerable for it."),
    )
    plan = models.TextField(_("rectification plan"))
    measures = models.TextField(_("measures"))
    start_date = models.DateField(_("start date"))
    workdays = models.PositiveSmallIntegerField(
        _("time allowed (working days)"), validators=[MinValueValidator(1)]
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    overdue_since = models.DateField(
        _("overdue since"),
        null=True,
        blank=True,
        help_text=_("Set by the deadline sweep; kept on record after completion."),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    completion_summary = models.TextField(_("what was done"), blank=True)
    evidence = models.FileField(
        _("evidence"),
        upload_to=rectification_evidence_upload_to,
        validators=[validate_attachment_file],
        blank=True,
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(m2m_fields=[coordinating_entities])
    objects = RectificationProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("rectification project")
        verbose_name_plural = _("rectification projects")
        ordering = ["number"]
        permissions = [
            (
                "report_rectification_progress",
                _("Can report progress of own department's rectification projects"),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")),
                name="rectification_due_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["completed", "verified"])
                | (Q(completed_on__isnull=False) & ~Q(completion_summary="")),
                name="rectification_completed_has_date_and_summary",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(verified_on__isnull=False),
                name="rectification_verified_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(source="visit") | Q(source_visit__isnull=False),
                name="rectification_visit_source_named",
            ),
            models.CheckConstraint(
                condition=~Q(source="complaint") | Q(source_complaint__isnull=False),
                name="rectification_complaint_source_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("complaints:rectification-detail", args=[self.pk])

    def can_move_to(self, status: str) -> bool:
        """Whether the project workflow allows a move from the current status to `status`."""
        return status in RECTIFICATION_TRANSITIONS.get(self.status, frozenset())

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    @property
    def completed_late(self) -> bool:
        """Completed after its due date."""
        return self.completed_on is not None and self.completed_on > self.due_date


_R = RectificationProject.Status
# planned → in progress → completed → verified; verification may send it back to in progress.
RECTIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    _R.PLANNED: frozenset({_R.IN_PROGRESS}),
    _R.IN_PROGRESS: frozenset({_R.COMPLETED}),
    _R.COMPLETED: frozenset({_R.VERIFIED, _R.IN_PROGRESS}),
    _R.VERIFIED: frozenset(),
}


class RectificationProjectEvent(WorkflowEvent):
    """One step of a rectification project's workflow."""

    project = models.ForeignKey(
        RectificationProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from status"), max_length=16, choices=RectificationProject.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=16, choices=RectificationProject.Status.choices
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("rectification event")
        verbose_name_plural = _("rectification events")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.from_status or '—'} → {self.to_status}"


class RectificationProgress(models.Model):
    """A progress update of a rectification project, published with it."""

    project = models.ForeignKey(
        RectificationProject,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="progress_updates",
    )
    reported_on = models.DateField(_("date"))
    text = models.TextField(_("progress"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        ordering = ["reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.reported_on}"
