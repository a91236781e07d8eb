"""Rectification projects (整改立项): workflow legal and illegal moves, due dates, overdue sweep,
permissions and bad input."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from complaints.actions.supervision import (
    rectification_progress_add,
    rectification_project_complete,
    rectification_project_create,
    rectification_project_reopen,
    rectification_project_start,
    rectification_project_verify,
    rectification_projects_mark_overdue,
)
from complaints.models import RectificationProject, RectificationProjectEvent
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models import EntityMembership
from tests.factories.complaints import (
    RectificationProjectFactory,
    VisitFindingFactory,
)
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from workdays.calendar import add_workdays

pytestmark = pytest.mark.django_db
S = RectificationProject.Status


def _create(bureau, **overrides):
    values = {
        "by": bureau,
        "title": "基层站所效能",
        "problem": "基层站所办事拖拉",
        "source": RectificationProject.Source.SURVEY,
        "responsible_entity": AdministrativeEntityFactory(),
        "responsible_leader": "副局长 李某",
        "plan": "三个月内完成",
        "measures": "建立首问负责制",
        "start_date": datetime.date(2024, 3, 1),
        "workdays": 20,
    }
    values.update(overrides)
    return rectification_project_create(**values)


def test_create_computes_due_date_in_working_days_and_records_event(bureau) -> None:
    project = _create(bureau)
    assert project.status == S.PLANNED
    assert project.due_date == add_workdays(datetime.date(2024, 3, 1), 20)
    assert project.number == "ZG2024-001"
    assert _create(bureau, title="二").number == "ZG2024-002"
    assert RectificationProjectEvent.objects.filter(project=project, to_status=S.PLANNED).exists()


def test_create_links_findings(bureau) -> None:
    finding = VisitFindingFactory()
    project = _create(
        bureau,
        source=RectificationProject.Source.VISIT,
        source_visit=finding.visit,
        findings=[finding],
    )
    finding.refresh_from_db()
    assert finding.rectification_project == project


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"responsible_entity": None}, "responsible_entity"),
        ({"responsible_leader": "  "}, "responsible_leader"),
        ({"workdays": 0}, "workdays"),
        ({"workdays": "x"}, "workdays"),
        ({"start_date": None}, "start_date"),
        ({"source": "rumour"}, "source"),
        ({"source": RectificationProject.Source.VISIT}, "__all__"),
    ],
)
def test_bad_input_gives_field_error_and_stores_nothing(bureau, overrides, field) -> None:
    with pytest.raises(ValidationError) as error:
        _create(bureau, **overrides)
    assert field in error.value.message_dict
    assert RectificationProject.objects.count() == 0
    assert RectificationProjectEvent.objects.count() == 0


def test_create_needs_the_bureau() -> None:
    with pytest.raises(PermissionDenied):
        _create(UserFactory())
    assert RectificationProject.objects.count() == 0


def test_legal_path_planned_to_verified(bureau) -> None:
    project = _create(bureau)
    rectification_project_start(project=project, by=bureau)
    assert project.status == S.IN_PROGRESS
    rectification_progress_add(
        project=project, by=bureau, reported_on=datetime.date(2024, 3, 10), text="已完成培训"
    )
    pdf = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    rectification_project_complete(
        project=project,
        by=bureau,
        completed_on=datetime.date(2024, 3, 20),
        summary="制度已建立",
        evidence=pdf,
    )
    project.refresh_from_db()
    assert project.status == S.COMPLETED
    assert project.evidence.name.endswith(".pdf")
    rectification_project_verify(project=project, by=bureau, verified_on=datetime.date(2024, 3, 25))
    assert project.status == S.VERIFIED
    steps = list(project.events.values_list("from_status", "to_status"))
    assert steps == [
        ("", S.PLANNED),
        (S.PLANNED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.IN_PROGRESS),  # the progress update's history row
        (S.IN_PROGRESS, S.COMPLETED),
        (S.COMPLETED, S.VERIFIED),
    ]


def test_failed_verification_reopens(bureau) -> None:
    project = RectificationProjectFactory(
        status=S.COMPLETED, completed_on=datetime.date(2024, 3, 20), completion_summary="完成"
    )
    rectification_project_reopen(project=project, by=bureau, note="仍有窗口脱岗")
    project.refresh_from_db()
    assert project.status == S.IN_PROGRESS
    assert project.completed_on is None
    with pytest.raises(ValidationError):
        rectification_project_reopen(project=project, by=bureau, note="")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (S.PLANNED, "complete"),
        (S.PLANNED, "verify"),
        (S.IN_PROGRESS, "start"),
        (S.IN_PROGRESS, "verify"),
        (S.COMPLETED, "start"),
        (S.COMPLETED, "complete"),
        (S.VERIFIED, "start"),
        (S.VERIFIED, "complete"),
        (S.VERIFIED, "reopen"),
        (S.PLANNED, "reopen"),
    ],
)
def test_illegal_moves_are_refused(bureau, status, action) -> None:
    done = {"completed_on": datetime.date(2024, 3, 20), "completion_summary": "完成"}
    extra = done if status in (S.COMPLETED, S.VERIFIED) else {}
    if status == S.VERIFIED:
        extra["verified_on"] = datetime.date(2024, 3, 21)
    project = RectificationProjectFactory(status=status, **extra)
    calls = {
        "start": lambda: rectification_project_start(project=project, by=bureau),
        "complete": lambda: rectification_project_complete(
            project=project, by=bureau, completed_on=datetime.date(2024, 3, 22), summary="完成"
        ),
        "verify": lambda: rectification_project_verify(
            project=project, by=bureau, verified_on=datetime.date(2024, 3, 30)
        ),
        "reopen": lambda: rectification_project_reopen(project=project, by=bureau, note="未完成"),
    }
    with pytest.raises(TransitionNotAllowed):
        calls[action]()
    project.refresh_from_db()
    assert project.status == status


def test_completion_bad_input(bureau) -> None:
    project = RectificationProjectFactory(status=S.IN_PROGRESS)
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 executable", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        rectification_project_complete(
            project=project, by=bureau, completed_on=None, summary="", evidence=exe
        )
    assert {"completed_on", "summary", "evidence"} <= set(error.value.message_dict)
    project.refresh_from_db()
    assert project.status == S.IN_PROGRESS
    assert not project.evidence


def test_department_official_reports_only_own_projects() -> None:
    own, other = AdministrativeEntityFactory(), AdministrativeEntityFactory()
    official = UserFactory(perms=["complaints.report_rectification_progress"])
    EntityMembership.objects.create(user=official, entity=own)
    mine = RectificationProjectFactory(responsible_entity=own)
    theirs = RectificationProjectFactory(responsible_entity=other)
    rectification_project_start(project=mine, by=official)
    with pytest.raises(PermissionDenied):
        rectification_project_start(project=theirs, by=official)
    with pytest.raises(PermissionDenied):
        rectification_project_verify(
            project=mine, by=official, verified_on=datetime.date(2024, 3, 2)
        )


def test_progress_bad_input_and_closed_project(bureau) -> None:
    project = RectificationProjectFactory(status=S.IN_PROGRESS)
    with pytest.raises(ValidationError) as error:
        rectification_progress_add(project=project, by=bureau, reported_on=None, text="")
    assert "reported_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        rectification_progress_add(
            project=project, by=bureau, reported_on=datetime.date(2024, 3, 5), text=""
        )
    assert "text" in error.value.message_dict
    closed = RectificationProjectFactory(
        status=S.COMPLETED, completed_on=datetime.date(2024, 3, 20), completion_summary="完成"
    )
    with pytest.raises(ValidationError):
        rectification_progress_add(
            project=closed, by=bureau, reported_on=datetime.date(2024, 3, 21), text="补充"
        )
    assert project.progress_updates.count() == 0


def test_overdue_sweep_marks_once_and_keeps_the_mark() -> None:
    late = RectificationProjectFactory(status=S.IN_PROGRESS, due_date=datetime.date(2024, 3, 29))
    on_time = RectificationProjectFactory(due_date=datetime.date(2024, 4, 30))
    done = RectificationProjectFactory(
        status=S.COMPLETED,
        due_date=datetime.date(2024, 3, 1),
        completed_on=datetime.date(2024, 2, 28),
        completion_summary="完成",
    )
    assert rectification_projects_mark_overdue(today=datetime.date(2024, 4, 1)) == 1
    assert rectification_projects_mark_overdue(today=datetime.date(2024, 4, 2)) == 0
    late.refresh_from_db()
    on_time.refresh_from_db()
    done.refresh_from_db()
    assert late.overdue_since == datetime.date(2024, 3, 30)
    assert on_time.overdue_since is None
    assert done.overdue_since is None
    assert late.events.filter(to_status=S.IN_PROGRESS).count() == 1


def test_database_refuses_a_completed_project_without_date() -> None:
    from django.db import IntegrityError, transaction

    project = RectificationProjectFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RectificationProject.objects.filter(pk=project.pk).update(status=S.COMPLETED)
