"""Writes for supervision: supervisors, inspection visits and their findings, rectification
projects, and the supervisors' component of the window stars.

Who may do what (codenames on `Supervisor.Meta.permissions` and `RectificationProject`):

- the supervision bureau (监察局), `complaints.manage_supervision`: everything;
- an invited supervisor, `complaints.record_own_visits`: record, edit and submit their own
  visits while in draft (the visit's supervisor is always their own record);
- a responsible department's official, `complaints.report_rectification_progress`: progress
  updates and completion of their department's projects (scoped by
  `disclosure.selectors.memberships.entity_ids_for_official`).

Every workflow move locks the record, checks its TRANSITIONS map and writes an event row
(`disclosure.actions.workflow.workflow_move`). Bad input raises `ValidationError` with field
errors before anything is stored.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_
from django.utils.translation import ngettext

from complaints.actions.complaints import PERM_HANDLE, complaint_register, complaint_submit
from complaints.models import Complaint
from complaints.models.supervision import (
    InspectionVisit,
    InspectionVisitEvent,
    RectificationProgress,
    RectificationProject,
    RectificationProjectEvent,
    Supervisor,
    VisitFinding,
)
from disclosure.actions.workflow import require_perm, workflow_event_record, workflow_move
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models import AdministrativeEntity
from disclosure.selectors.memberships import entity_ids_for_official
from workdays.calendar import Deadline

User = AbstractBaseUser | AnonymousUser
MANAGE = "complaints.manage_supervision"
RECORD_OWN = "complaints.record_own_visits"
REPORT_PROGRESS = "complaints.report_rectification_progress"

VisitStatus = InspectionVisit.Status
ProjectStatus = RectificationProject.Status

SUPERVISOR_FIELDS = (
    "name",
    "role",
    "kind",
    "affiliation",
    "term_start",
    "term_end",
    "phone",
    "email",
    "address",
    "user",
    "is_active",
)
VISIT_FIELDS = (
    "kind",
    "visited_on",
    "window",
    "entity",
    "institution",
    "place",
    "topic",
    "summary",
    "private_notes",
    "score",
    "follow_up",
)


def _record_text(message: str, **params: Any) -> str:
    """Translate `message` (marked with N_) into the district's language, then fill it in."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(message) % params if params else _(message)


def _unknown_fields(fields: dict[str, Any], allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def _validate(instance: Any, *, exclude: Iterable[str] = ()) -> None:
    """Run the model's field and constraint checks; ValidationError with field errors."""
    instance.full_clean(exclude=list(exclude), validate_unique=True)


def is_supervision_bureau(user: User) -> bool:
    """Whether `user` acts for the supervision bureau (sees and manages every visit)."""
    return bool(user.is_authenticated and user.is_active and user.has_perm(MANAGE))


def supervisor_of(user: User) -> Supervisor | None:
    """The supervisor record of `user`'s own account, if any."""
    if not user.is_authenticated:
        return None
    return Supervisor.objects.filter(user=user).first()


# --- Supervisors -------------------------------------------------------------------------------


def supervisor_create(*, by: User, **fields: Any) -> Supervisor:
    """Appoint an invited supervisor (特邀监督员/监察员); the supervision bureau only."""
    require_perm(by, MANAGE)
    _unknown_fields(fields, SUPERVISOR_FIELDS)
    supervisor = Supervisor(**fields)
    _validate(supervisor)
    supervisor.save()
    return supervisor


def supervisor_update(*, supervisor: Supervisor, by: User, **fields: Any) -> Supervisor:
    """Change a supervisor's record (term, affiliation, contacts, account, active)."""
    require_perm(by, MANAGE)
    _unknown_fields(fields, SUPERVISOR_FIELDS)
    with transaction.atomic():
        locked = Supervisor.objects.select_for_update().get(pk=supervisor.pk)
        for name, value in fields.items():
            setattr(locked, name, value)
        _validate(locked)
        locked.save(update_fields=[*fields, "updated_at"])
    for name in (*fields, "updated_at"):
        setattr(supervisor, name, getattr(locked, name))
    return supervisor


# --- Inspection visits -------------------------------------------------------------------------


def _visit_author_check(*, by: User, supervisor: Supervisor | None) -> Supervisor | None:
    """The supervisor the visit is recorded for: any for the bureau, one's own otherwise."""
    if is_supervision_bureau(by):
        return supervisor
    require_perm(by, RECORD_OWN)
    own = supervisor_of(by)
    if own is None or (supervisor is not None and supervisor.pk != own.pk):
        raise PermissionDenied(_("You may record only your own inspection visits."))
    return own


def _visit_checks(visit: InspectionVisit) -> None:
    errors: dict[str, str] = {}
    if visit.visited_on and visit.visited_on > timezone.localdate():
        errors["visited_on"] = _("A visit cannot be dated in the future.")
    supervisor = visit.supervisor
    if supervisor is not None and visit.visited_on and not supervisor.serves_on(visit.visited_on):
        errors["visited_on"] = _("The date is outside the supervisor's term.")
    if not (
        visit.window_id or visit.entity_id or visit.institution_id or (visit.place or "").strip()
    ):
        errors["window"] = _(
            "Say what was visited: a window, a department, a public institution or a place."
        )
    try:
        _validate(visit)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)


def visit_record(
    *, by: User, supervisor: Supervisor | None = None, **fields: Any
) -> InspectionVisit:
    """Record an inspection visit (明查 or 暗访) as a draft.

    An invited supervisor records only their own visits (the supervisor is theirs whatever was
    asked); the supervision bureau records anyone's or its own staff's (no supervisor). The date
    must fall within the supervisor's term and not in the future; a visit names a window, a
    department or a place.
    """
    _unknown_fields(fields, VISIT_FIELDS)
    supervisor = _visit_author_check(by=by, supervisor=supervisor)
    visit = InspectionVisit(supervisor=supervisor, recorded_by=by, **fields)
    visit.status = VisitStatus.DRAFT
    _visit_checks(visit)
    with transaction.atomic():
        visit.save()
        workflow_event_record(
            event_model=InspectionVisitEvent,
            record_field="visit",
            record=visit,
            by=by,
            from_status="",
            note=_record_text(N_("Visit recorded.")),
        )
    return visit


def _visit_editable_by(visit: InspectionVisit, by: User) -> None:
    """The bureau may edit until acceptance; a supervisor only their own drafts."""
    if is_supervision_bureau(by):
        if visit.status == VisitStatus.ACCEPTED:
            raise PermissionDenied(_("An accepted visit can no longer be changed."))
        return
    _visit_author_check(by=by, supervisor=visit.supervisor)
    if visit.status != VisitStatus.DRAFT:
        raise PermissionDenied(_("Only a draft visit can be changed."))


def visit_update(*, visit: InspectionVisit, by: User, **fields: Any) -> InspectionVisit:
    """Change a visit's record: the author while it is a draft, the bureau until accepted."""
    _unknown_fields(fields, VISIT_FIELDS)
    with transaction.atomic():
        # of=("self",): PostgreSQL cannot lock the nullable side of the supervisor join.
        locked = (
            InspectionVisit.objects.select_for_update(of=("self",))
            .select_related("supervisor")
            .get(pk=visit.pk)
        )
        _visit_editable_by(locked, by)
        for name, value in fields.items():
            setattr(locked, name, value)
        _visit_checks(locked)
        locked.save(update_fields=[*fields, "updated_at"])
    for name in (*fields, "updated_at"):
        setattr(visit, name, getattr(locked, name))
    return visit


def visit_finding_add(
    *,
    visit: InspectionVisit,
    by: User,
    description: str,
    severity: str,
    responsible_entity: AdministrativeEntity | None,
) -> VisitFinding:
    """Add a finding to a visit: what was seen, its severity, the responsible department."""
    _visit_editable_by(visit, by)
    finding = VisitFinding(
        visit=visit,
        description=(description or "").strip(),
        severity=severity,
        responsible_entity=responsible_entity,
    )
    _validate(finding, exclude=["rectification_project"])
    finding.save()
    return finding


def _visit_move(*, visit: InspectionVisit, by: User, to: str, note: str) -> InspectionVisit:
    return workflow_move(
        record=visit,
        to=to,
        by=by,
        note=note,
        event_model=InspectionVisitEvent,
        record_field="visit",
    )


def visit_submit(*, visit: InspectionVisit, by: User, note: str = "") -> InspectionVisit:
    """Submit a draft visit to the supervision bureau (its author or the bureau)."""
    if not is_supervision_bureau(by):
        _visit_author_check(by=by, supervisor=visit.supervisor)
    return _visit_move(visit=visit, by=by, to=VisitStatus.SUBMITTED, note=note)


def visit_accept(*, visit: InspectionVisit, by: User, note: str = "") -> InspectionVisit:
    """Accept a submitted visit: it then counts for window stars and its summary is public."""
    require_perm(by, MANAGE)
    return _visit_move(visit=visit, by=by, to=VisitStatus.ACCEPTED, note=note)


def visit_return(*, visit: InspectionVisit, by: User, note: str) -> InspectionVisit:
    """Return a submitted visit to its author as a draft; the reason is required."""
    require_perm(by, MANAGE)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the record is returned.")})
    return _visit_move(visit=visit, by=by, to=VisitStatus.DRAFT, note=note)


# --- Following up a finding: a rectification project or a complaint ----------------------------


def _locked_finding(finding: VisitFinding) -> VisitFinding:
    """The finding row locked (its visit loaded): one follow-up per finding, even when racing."""
    return (
        VisitFinding.objects.select_for_update(of=("self",))
        .select_related("visit", "visit__window", "responsible_entity")
        .get(pk=finding.pk)
    )


def _finding_follow_up_check(finding: VisitFinding) -> None:
    """A finding of an accepted visit that has not been followed up yet."""
    if finding.visit.status != VisitStatus.ACCEPTED:
        raise ValidationError(
            {"finding": _("Only a finding of an accepted visit can be followed up.")}
        )
    if finding.rectification_project_id or finding.complaint_id:
        raise ValidationError({"finding": _("This finding has already been followed up.")})


def _visit_note(visit: InspectionVisit, by: User, message: str, **params: Any) -> None:
    """A history row on the visit (its status unchanged): what was done with a finding."""
    workflow_event_record(
        event_model=InspectionVisitEvent,
        record_field="visit",
        record=visit,
        by=by,
        from_status=visit.status,
        note=_record_text(message, **params),
    )


def visit_finding_open_project(
    *,
    finding: VisitFinding,
    by: User,
    title: str,
    responsible_leader: str,
    plan: str,
    measures: str,
    start_date: datetime.date | None,
    workdays: int | None,
    problem: str = "",
    coordinating_entities: Iterable[AdministrativeEntity] = (),
    note: str = "",
) -> RectificationProject:
    """Take a finding on as a rectification project (source: the visit); the bureau only.

    The project's responsible department is the finding's; the finding is linked to the project
    and the visit's history records the project's number. The problem defaults to the finding.
    """
    require_perm(by, MANAGE)
    with transaction.atomic():
        locked = _locked_finding(finding)
        _finding_follow_up_check(locked)
        visit = locked.visit
        project = rectification_project_create(
            by=by,
            title=title,
            problem=(problem or "").strip() or locked.description,
            source=RectificationProject.Source.VISIT,
            source_visit=visit,
            responsible_entity=locked.responsible_entity,
            responsible_leader=responsible_leader,
            plan=plan,
            measures=measures,
            start_date=start_date,
            workdays=workdays,
            coordinating_entities=coordinating_entities,
            findings=[locked],
            note=note
            or _record_text(
                N_("Registered from a finding of the inspection visit of %(date)s (%(kind)s)."),
                date=f"{visit.visited_on:%Y-%m-%d}",
                kind=visit.get_kind_display(),
            ),
        )
        _visit_note(
            visit,
            by,
            N_("Finding taken up as rectification project %(number)s."),
            number=project.number,
        )
    finding.rectification_project = project
    return project


def visit_finding_open_complaint(
    *, finding: VisitFinding, by: User, category: str, description: str = "", note: str = ""
) -> Complaint:
    """Open a complaint for investigation from a finding, registered (立案) at once.

    The supervision bureau files it itself (channel "inspection", no complainant): about the
    finding's department (and the visited window when it is that department's), dated the day
    of the visit. The finding is linked to the complaint and the visit's history records its
    number. Needs both `manage_supervision` and `handle_complaint`.
    """
    require_perm(by, MANAGE)
    require_perm(by, PERM_HANDLE)
    if category not in Complaint.Category.values:
        raise ValidationError({"category": _("Choose the category of the complaint.")})
    with transaction.atomic():
        locked = _locked_finding(finding)
        _finding_follow_up_check(locked)
        visit = locked.visit
        window = visit.window if visit.window_id else None
        if window is not None and window.entity_id != locked.responsible_entity_id:
            window = None
        text = (description or "").strip() or locked.description
        complaint, _credentials = complaint_submit(
            category=category,
            description=text[:4000],
            entity=locked.responsible_entity,
            window=window,
            occurred_on=visit.visited_on,
            place=visit.place,
            anonymous=True,
            channel="inspection",
        )
        complaint_register(
            complaint=complaint,
            by=by,
            note=note
            or _record_text(
                N_("Registered from a finding of the inspection visit of %(date)s (%(kind)s)."),
                date=f"{visit.visited_on:%Y-%m-%d}",
                kind=visit.get_kind_display(),
            ),
        )
        locked.complaint = complaint
        locked.save(update_fields=["complaint"])
        _visit_note(
            visit,
            by,
            N_("Finding taken up as complaint %(number)s for investigation."),
            number=complaint.tracking_no,
        )
    finding.complaint = complaint
    return complaint


# --- Rectification projects --------------------------------------------------------------------


def rectification_due_date(*, start_date: datetime.date, workdays: int) -> Deadline:
    """The project's deadline: `workdays` working days from its start (day 0)."""
    return Deadline(start=start_date, workdays=workdays)


def _next_project_number(year: int) -> str:
    prefix = f"ZG{year}-"
    numbers = RectificationProject.objects.filter(number__startswith=prefix).values_list(
        "number", flat=True
    )
    last = max(
        (int(n.removeprefix(prefix)) for n in numbers if n.removeprefix(prefix).isdigit()),
        default=0,
    )
    return f"{prefix}{last + 1:03d}"


def rectification_project_create(
    *,
    by: User,
    title: str,
    problem: str,
    source: str,
    responsible_entity: AdministrativeEntity | None,
    responsible_leader: str,
    plan: str,
    measures: str,
    start_date: datetime.date | None,
    workdays: int | None,
    source_visit: InspectionVisit | None = None,
    coordinating_entities: Iterable[AdministrativeEntity] = (),
    findings: Iterable[VisitFinding] = (),
    number: str = "",
    note: str = "",
) -> RectificationProject:
    """Take a problem on as a rectification project (整改立项); the supervision bureau only.

    The due date is `workdays` working days after the start date on the district's calendar.
    Findings named here are linked to the project (a finding feeds a project).
    """
    require_perm(by, MANAGE)
    errors: dict[str, str] = {}
    if not isinstance(workdays, int) or workdays < 1:
        errors["workdays"] = _("Give the time allowed as a whole number of working days (1+).")
    if start_date is None:
        errors["start_date"] = _("Give the start date.")
    if errors:
        raise ValidationError(errors)
    findings = list(findings)
    with transaction.atomic():
        project = RectificationProject(
            number=number.strip() or _next_project_number(start_date.year),
            title=(title or "").strip(),
            problem=(problem or "").strip(),
            source=source,
            source_visit=source_visit,
            responsible_entity=responsible_entity,
            responsible_leader=(responsible_leader or "").strip(),
            plan=(plan or "").strip(),
            measures=(measures or "").strip(),
            start_date=start_date,
            workdays=workdays,
            due_date=rectification_due_date(start_date=start_date, workdays=workdays).due_date,
            status=ProjectStatus.PLANNED,
        )
        _validate(project)
        if any(f.visit_id is None for f in findings):
            raise ValidationError({"findings": _("Every finding must belong to a visit.")})
        project.save()
        project.coordinating_entities.set(list(coordinating_entities))
        if findings:
            VisitFinding.objects.filter(pk__in=[f.pk for f in findings]).update(
                rectification_project=project
            )
        workflow_event_record(
            event_model=RectificationProjectEvent,
            record_field="project",
            record=project,
            by=by,
            from_status="",
            note=note or _record_text(N_("Rectification project registered.")),
        )
    return project


def _may_report(project: RectificationProject, by: User) -> None:
    """The bureau, or an official of the responsible department with the progress permission."""
    if is_supervision_bureau(by):
        return
    require_perm(by, REPORT_PROGRESS)
    scope = entity_ids_for_official(by)
    if scope is not None and project.responsible_entity_id not in scope:
        raise PermissionDenied(_("This project belongs to another department."))


def _project_move(
    *, project: RectificationProject, by: User, to: str, note: str, values: dict | None = None
) -> RectificationProject:
    return workflow_move(
        record=project,
        to=to,
        by=by,
        note=note,
        event_model=RectificationProjectEvent,
        record_field="project",
        values=values,
    )


def rectification_project_start(
    *, project: RectificationProject, by: User, note: str = ""
) -> RectificationProject:
    """Start the work on a planned project (the responsible department or the bureau)."""
    _may_report(project, by)
    if project.status != ProjectStatus.PLANNED:
        # completed → in progress is a failed verification (`rectification_project_reopen`).
        raise TransitionNotAllowed(
            obj=project, from_status=project.status, to_status=ProjectStatus.IN_PROGRESS
        )
    return _project_move(project=project, by=by, to=ProjectStatus.IN_PROGRESS, note=note)


def _locked_project(project: RectificationProject) -> RectificationProject:
    """The project row, locked for the rest of the transaction."""
    return RectificationProject.objects.select_for_update().get(pk=project.pk)


def rectification_progress_add(
    *, project: RectificationProject, by: User, reported_on: datetime.date | None, text: str
) -> RectificationProgress:
    """Publish a progress update of an open project, with a history row."""
    _may_report(project, by)
    text = (text or "").strip()
    with transaction.atomic():
        locked = _locked_project(project)
        errors: dict[str, str] = {}
        if not locked.is_open:
            errors["project"] = _(
                "Progress can only be reported on a project that is not completed."
            )
        if reported_on is None:
            errors["reported_on"] = _("Give the date of the update.")
        elif reported_on > timezone.localdate():
            errors["reported_on"] = _("An update cannot be dated in the future.")
        elif reported_on < locked.start_date:
            errors["reported_on"] = _("An update cannot be dated before the project started.")
        update = RectificationProgress(
            project=locked, reported_on=reported_on, text=text, reported_by=by
        )
        try:
            _validate(update, exclude=["reported_on"] if "reported_on" in errors else ())
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, messages[0])
        if errors:
            raise ValidationError(errors)
        update.save()
        workflow_event_record(
            event_model=RectificationProjectEvent,
            record_field="project",
            record=locked,
            by=by,
            from_status=locked.status,
            note=_record_text(N_("Progress reported: %(text)s"), text=text[:200]),
        )
    return update


def rectification_project_complete(
    *,
    project: RectificationProject,
    by: User,
    completed_on: datetime.date | None,
    summary: str,
    evidence: File | None = None,
    note: str = "",
) -> RectificationProject:
    """Report a project in progress as completed, with what was done and evidence.

    The evidence file is checked by its content (PDF, office documents, PNG or JPEG). The move
    and the stored evidence are one transaction: a refused move stores no file.
    """
    _may_report(project, by)
    errors: dict[str, Any] = {}
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = _("Say what was done.")
    if completed_on is None:
        errors["completed_on"] = _("Give the completion date.")
    elif completed_on > timezone.localdate():
        errors["completed_on"] = _("The completion date cannot be in the future.")
    elif completed_on < project.start_date:
        errors["completed_on"] = _("The completion date cannot be before the project started.")
    if evidence is not None:
        field = RectificationProject._meta.get_field("evidence")
        try:
            for validator in field.validators:
                validator(evidence)
        except ValidationError as error:
            errors["evidence"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    values: dict[str, Any] = {"completed_on": completed_on, "completion_summary": summary}
    with transaction.atomic():
        project = _project_move(
            project=project, by=by, to=ProjectStatus.COMPLETED, note=note, values=values
        )
        if evidence is not None:
            project.evidence.save(getattr(evidence, "name", "evidence") or "evidence", evidence)
    return project


def rectification_project_verify(
    *,
    project: RectificationProject,
    by: User,
    verified_on: datetime.date | None,
    note: str = "",
) -> RectificationProject:
    """The supervision bureau verifies a completed project (验收)."""
    require_perm(by, MANAGE)
    if verified_on is None:
        raise ValidationError({"verified_on": _("Give the date of the verification.")})
    if project.completed_on and verified_on < project.completed_on:
        raise ValidationError(
            {"verified_on": _("The verification cannot be before the completion.")}
        )
    return _project_move(
        project=project,
        by=by,
        to=ProjectStatus.VERIFIED,
        note=note,
        values={"verified_on": verified_on},
    )


def rectification_project_reopen(
    *, project: RectificationProject, by: User, note: str
) -> RectificationProject:
    """The bureau finds a completed project not done: back to in progress, with the reason."""
    require_perm(by, MANAGE)
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what is still to be done.")})
    if project.status != ProjectStatus.COMPLETED:
        raise TransitionNotAllowed(
            obj=project, from_status=project.status, to_status=ProjectStatus.IN_PROGRESS
        )
    return _project_move(
        project=project,
        by=by,
        to=ProjectStatus.IN_PROGRESS,
        note=note,
        values={"completed_on": None},
    )


PROJECT_EDITABLE_FIELDS = (
    "title",
    "problem",
    "responsible_entity",
    "responsible_leader",
    "plan",
    "measures",
)


def rectification_project_update(
    *, project: RectificationProject, by: User, note: str = "", **fields: Any
) -> RectificationProject:
    """Correct a project's description (title, problem, department, leader, plan, measures).

    The supervision bureau only; the clock (start, working days, due date) and the status are
    not changed here. A history row names the changed fields.
    """
    require_perm(by, MANAGE)
    _unknown_fields(fields, PROJECT_EDITABLE_FIELDS)
    if not fields:
        return project
    with transaction.atomic():
        locked = _locked_project(project)
        for name, value in fields.items():
            setattr(locked, name, value.strip() if isinstance(value, str) else value)
        _validate(locked)
        locked.save(update_fields=[*fields, "updated_at"])
        with translation.override(settings.LANGUAGE_CODE):
            labels = "、".join(
                str(RectificationProject._meta.get_field(name).verbose_name) for name in fields
            )
        workflow_event_record(
            event_model=RectificationProjectEvent,
            record_field="project",
            record=locked,
            by=by,
            from_status=locked.status,
            note=note or _record_text(N_("Project details changed: %(fields)s"), fields=labels),
        )
    for name in (*fields, "updated_at"):
        setattr(project, name, getattr(locked, name))
    return project


def rectification_projects_mark_overdue(*, today: datetime.date | None = None) -> int:
    """Mark open projects past their due date as overdue (for `sweep_deadlines`; idempotent).

    `overdue_since` is the first day after the due date; it stays on record after completion.
    Returns how many projects were marked by this run.
    """
    today = today or timezone.localdate()
    marked = 0
    candidates = RectificationProject.objects.due_before(today).filter(overdue_since__isnull=True)
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            project = (
                RectificationProject.objects.select_for_update()
                .filter(pk=pk, overdue_since__isnull=True)
                .first()
            )
            if project is None or not project.is_open or project.due_date >= today:
                continue
            project.overdue_since = project.due_date + datetime.timedelta(days=1)
            project.save(update_fields=["overdue_since", "updated_at"])
            RectificationProjectEvent.objects.create(
                project=project,
                actor=None,
                from_status=project.status,
                to_status=project.status,
                note=_record_text(N_("Overdue: the due date has passed.")),
            )
            marked += 1
    return marked


# --- Window stars: the supervisor-inspection component ------------------------------------------


@dataclass(frozen=True)
class SupervisionScoresResult:
    month: datetime.date
    windows: int


# Points an overdue rectification project from a visit to a window takes off that window's score.
OVERDUE_PROJECT_PENALTY = Decimal(10)


def window_supervision_scores_record(*, month: datetime.date, by: User) -> SupervisionScoresResult:
    """Record each window's "supervisor inspection" star component for `month`.

    The score is the mean score of the month's accepted visits to the window that were scored
    (特邀监督员检查), less OVERDUE_PROJECT_PENALTY points (not below 0) for each rectification
    project opened from a visit to the window that was past its due date and not completed on
    the month's last day; a window with overdue projects and no visit that month starts from
    100. A window with neither gets no row, so the star formula leaves the component out.
    Recorded through `services.actions.stars.window_score_record` (idempotent).
    """
    from services.actions.stars import month_end, month_start, window_score_record
    from services.models import ServiceWindow, WindowMonthlyScore

    require_perm(by, MANAGE)
    first, last = month_start(month), month_end(month)
    visits = {
        row["window_id"]: row
        for row in InspectionVisit.objects.accepted()
        .filter(visited_on__range=(first, last), window__isnull=False, score__isnull=False)
        .values("window_id")
        .annotate(mean=Avg("score"), visits=Count("id"))
    }
    overdue = dict(
        RectificationProject.objects.filter(
            source_visit__window__isnull=False, due_date__lt=last, start_date__lte=last
        )
        .exclude(completed_on__lte=last)
        .values_list("source_visit__window_id")
        .annotate(count=Count("id"))
    )
    window_ids = sorted(set(visits) | set(overdue))
    windows = ServiceWindow.objects.in_bulk(window_ids)
    with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        for window_id in window_ids:
            row = visits.get(window_id)
            late = overdue.get(window_id, 0)
            parts = []
            if row:
                parts.append(
                    ngettext(
                        "Mean of %(count)d accepted supervisor visit",
                        "Mean of %(count)d accepted supervisor visits",
                        row["visits"],
                    )
                    % {"count": row["visits"]}
                )
            if late:
                parts.append(
                    ngettext(
                        "less %(points)d for %(count)d overdue rectification project",
                        "less %(points)d for %(count)d overdue rectification projects",
                        late,
                    )
                    % {"points": OVERDUE_PROJECT_PENALTY * late, "count": late}
                )
            base = Decimal(str(row["mean"])) if row else Decimal(100)
            score = max(Decimal(0), base - OVERDUE_PROJECT_PENALTY * late)
            window_score_record(
                window=windows[window_id],
                month=first,
                component=WindowMonthlyScore.Component.SUPERVISOR_INSPECTION,
                score=score.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                basis="；".join(parts),
                by=by,
            )
    return SupervisionScoresResult(month=first, windows=len(window_ids))
