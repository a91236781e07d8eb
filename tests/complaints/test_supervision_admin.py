"""The admin screens of supervision: rectification project steps (start, progress, complete,
verify, reopen) as buttons calling the actions, legal and illegal moves, scoping, and the
follow-up of an inspection finding (a rectification project or a complaint)."""

import datetime

import pytest
from django.conf import settings
from django.contrib import messages
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from complaints.models import (
    Complaint,
    InspectionVisit,
    InspectionVisitEvent,
    RectificationProject,
)
from disclosure.models import EntityMembership
from tests.factories.complaints import (
    InspectionVisitFactory,
    RectificationProjectFactory,
    VisitFindingFactory,
)
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from tests.factories.services import ServiceWindowFactory
from tests.factories.workflow import seen_url

pytestmark = pytest.mark.django_db
S = RectificationProject.Status
DAY = datetime.date(2024, 3, 20)


def _site_text(message: str) -> str:
    """`message` as the site shows it (the district's language, once translated)."""
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(message)


def _messages(response) -> list[tuple[int, str]]:  # noqa: ANN001
    return [(m.level, str(m)) for m in get_messages(response.wsgi_request)]


def _step(pk: int, name: str) -> str:
    """The step's URL as the project's change page links it now (with the status it shows)."""
    url = reverse("admin:complaints_rectificationproject_step", args=[pk, name])
    return seen_url(url, RectificationProject(pk=pk))


def _change(pk: int) -> str:
    return reverse("admin:complaints_rectificationproject_change", args=[pk])


def _done(**extra) -> dict:
    return {"completed_on": DAY, "completion_summary": "已完成", **extra}


def test_change_page_offers_only_the_steps_possible_now(client, bureau) -> None:
    client.force_login(bureau)
    planned = RectificationProjectFactory()
    page = client.get(_change(planned.pk)).content.decode()
    assert _step(planned.pk, "start") in page and _step(planned.pk, "progress") in page
    for step in ("complete", "verify", "reopen"):
        assert _step(planned.pk, step) not in page
    completed = RectificationProjectFactory(status=S.COMPLETED, **_done())
    page = client.get(_change(completed.pk)).content.decode()
    assert _step(completed.pk, "verify") in page and _step(completed.pk, "reopen") in page
    for step in ("start", "progress", "complete"):
        assert _step(completed.pk, step) not in page


def test_legal_path_through_the_admin(client, bureau) -> None:
    client.force_login(bureau)
    project = RectificationProjectFactory()
    assert client.get(_step(project.pk, "start")).status_code == 200
    response = client.post(_step(project.pk, "start"), {"note": "开始整改"})
    assert response.status_code == 302 and response.url == _change(project.pk)
    response = client.post(
        _step(project.pk, "progress"), {"reported_on": "2024-03-10", "text": "已组织培训"}
    )
    assert response.status_code == 302
    pdf = SimpleUploadedFile("evidence.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        _step(project.pk, "complete"),
        {"completed_on": "2024-03-20", "summary": "制度已建立", "evidence": pdf, "note": ""},
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.COMPLETED and project.evidence.name.endswith(".pdf")
    response = client.post(_step(project.pk, "verify"), {"verified_on": "2024-03-25"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.VERIFIED
    assert project.progress_updates.get().text == "已组织培训"
    steps = list(project.events.values_list("from_status", "to_status", "actor"))
    assert steps == [
        (S.PLANNED, S.IN_PROGRESS, bureau.pk),
        (S.IN_PROGRESS, S.IN_PROGRESS, bureau.pk),
        (S.IN_PROGRESS, S.COMPLETED, bureau.pk),
        (S.COMPLETED, S.VERIFIED, bureau.pk),
    ]
    # the public page shows the progress and the completion
    public = client.get(project.get_absolute_url()).content.decode()
    assert "已组织培训" in public and "制度已建立" in public


def test_reopen_needs_the_reason_and_returns_to_in_progress(client, bureau) -> None:
    client.force_login(bureau)
    project = RectificationProjectFactory(status=S.COMPLETED, **_done())
    response = client.post(_step(project.pk, "reopen"), {"note": ""})
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    project.refresh_from_db()
    assert project.status == S.COMPLETED
    response = client.post(_step(project.pk, "reopen"), {"note": "仍有窗口脱岗"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == S.IN_PROGRESS and project.completed_on is None
    assert project.events.get().note == "仍有窗口脱岗"


@pytest.mark.parametrize(
    ("status", "step", "data"),
    [
        (S.PLANNED, "complete", {"completed_on": "2024-03-20", "summary": "完成"}),
        (S.PLANNED, "verify", {"verified_on": "2024-03-25"}),
        (S.PLANNED, "reopen", {"note": "未完成"}),
        (S.IN_PROGRESS, "start", {"note": ""}),
        (S.IN_PROGRESS, "verify", {"verified_on": "2024-03-25"}),
        (S.COMPLETED, "start", {"note": ""}),
        (S.COMPLETED, "complete", {"completed_on": "2024-03-20", "summary": "完成"}),
        (S.COMPLETED, "progress", {"reported_on": "2024-03-21", "text": "补充"}),
        (S.VERIFIED, "reopen", {"note": "未完成"}),
        (S.VERIFIED, "progress", {"reported_on": "2024-03-21", "text": "补充"}),
    ],
)
def test_illegal_moves_through_the_admin_change_nothing(client, bureau, status, step, data):
    client.force_login(bureau)
    extra = _done() if status in (S.COMPLETED, S.VERIFIED) else {}
    if status == S.VERIFIED:
        extra["verified_on"] = datetime.date(2024, 3, 21)
    project = RectificationProjectFactory(status=status, **extra)
    response = client.post(_step(project.pk, step), data)
    assert response.status_code == 302 and response.url == _change(project.pk)
    assert [level for level, _text in _messages(response)] == [messages.ERROR]
    project.refresh_from_db()
    assert project.status == status
    assert not project.events.exists() and not project.progress_updates.exists()


def test_bad_input_gives_field_errors_and_stores_nothing(client, bureau) -> None:
    client.force_login(bureau)
    project = RectificationProjectFactory(status=S.IN_PROGRESS)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    response = client.post(_step(project.pk, "progress"), {"reported_on": future, "text": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["reported_on"] == [
        _site_text("An update cannot be dated in the future.")
    ]
    exe = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 executable", content_type="image/jpeg")
    response = client.post(
        _step(project.pk, "complete"),
        {"completed_on": "2024-02-01", "summary": "完成", "evidence": exe},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["completed_on"] == [
        _site_text("The completion date cannot be before the project started.")
    ]
    project.refresh_from_db()
    assert project.status == S.IN_PROGRESS and not project.evidence
    assert not project.progress_updates.exists() and not project.events.exists()


def test_department_official_reports_own_projects_but_does_not_verify(client) -> None:
    own, other = AdministrativeEntityFactory(), AdministrativeEntityFactory()
    official = UserFactory(perms=["complaints.report_rectification_progress"])
    EntityMembership.objects.create(user=official, entity=own)
    mine = RectificationProjectFactory(responsible_entity=own, title="本部门项目")
    theirs = RectificationProjectFactory(responsible_entity=other, title="他部门项目")
    client.force_login(official)
    listing = client.get(reverse("admin:complaints_rectificationproject_changelist"))
    assert "本部门项目" in listing.content.decode()
    assert "他部门项目" not in listing.content.decode()
    assert client.get(_change(theirs.pk)).status_code == 302  # not found → admin index
    assert client.post(_step(theirs.pk, "start"), {"note": ""}).status_code == 404
    assert client.post(_step(mine.pk, "start"), {"note": ""}).status_code == 302
    mine.refresh_from_db()
    assert mine.status == S.IN_PROGRESS
    assert (
        client.post(
            _step(mine.pk, "complete"), {"completed_on": "2024-03-20", "summary": "完成"}
        ).status_code
        == 302
    )
    page = client.get(_change(mine.pk)).content.decode()
    assert _step(mine.pk, "verify") not in page
    response = client.post(_step(mine.pk, "verify"), {"verified_on": "2024-03-25"})
    assert _messages(response) == [(messages.ERROR, _site_text("You are not allowed to do this."))]
    mine.refresh_from_db()
    assert mine.status == S.COMPLETED
    theirs.refresh_from_db()
    assert theirs.status == S.PLANNED


def test_someone_without_permission_gets_nothing(client) -> None:
    project = RectificationProjectFactory()
    client.force_login(UserFactory())
    assert client.get(_change(project.pk)).status_code == 403
    assert client.post(_step(project.pk, "start"), {"note": ""}).status_code == 404
    project.refresh_from_db()
    assert project.status == S.PLANNED


def test_correcting_the_description_goes_through_the_action(client, bureau) -> None:
    client.force_login(bureau)
    project = RectificationProjectFactory()
    data = {
        "title": "改后的标题",
        "problem": project.problem,
        "responsible_entity": project.responsible_entity_id,
        "responsible_leader": "局长 赵某",
        "plan": project.plan,
        "measures": project.measures,
        "progress_updates-TOTAL_FORMS": "0",
        "progress_updates-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    response = client.post(_change(project.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.title == "改后的标题" and project.responsible_leader == "局长 赵某"
    event = project.events.get()
    assert event.actor == bureau and "标题" in event.note or "title" in event.note


# --- Inspection findings → follow-up -------------------------------------------------------------


def _accepted_finding(**visit_fields):
    visit = InspectionVisitFactory(status=InspectionVisit.Status.ACCEPTED, **visit_fields)
    return VisitFindingFactory(visit=visit, description="窗口人员脱岗二十分钟")


def _follow_up(finding, kind: str) -> str:
    return reverse(
        "admin:complaints_inspectionvisit_follow_up", args=[finding.visit_id, finding.pk, kind]
    )


PROJECT_FORM = {
    "title": "窗口脱岗整改",
    "problem": "窗口人员脱岗",
    "responsible_leader": "副局长 李某",
    "plan": "一个月内完成",
    "measures": "建立考勤制度",
    "start_date": "2024-06-03",
    "workdays": "20",
    "note": "",
}


def test_finding_opens_a_rectification_project_linked_both_ways(client, bureau) -> None:
    client.force_login(bureau)
    finding = _accepted_finding()
    visit_page = reverse("admin:complaints_inspectionvisit_change", args=[finding.visit_id])
    assert _follow_up(finding, "project") in client.get(visit_page).content.decode()
    assert client.get(_follow_up(finding, "project")).status_code == 200
    response = client.post(_follow_up(finding, "project"), PROJECT_FORM)
    project = RectificationProject.objects.get()
    assert response.status_code == 302 and response.url == _change(project.pk)
    assert project.source == RectificationProject.Source.VISIT
    assert project.source_visit_id == finding.visit_id
    assert project.responsible_entity_id == finding.responsible_entity_id
    finding.refresh_from_db()
    assert finding.rectification_project == project
    # shown on both records
    assert project.number in client.get(visit_page).content.decode()
    assert "窗口人员脱岗二十分钟" in client.get(_change(project.pk)).content.decode()
    assert "窗口人员脱岗二十分钟" in client.get(project.get_absolute_url()).content.decode()
    assert InspectionVisitEvent.objects.filter(
        visit=finding.visit, note__contains=project.number
    ).exists()
    # a second follow-up of the same finding is refused
    response = client.post(_follow_up(finding, "project"), PROJECT_FORM)
    assert response.context["form"].non_field_errors() == [
        _site_text("This finding has already been followed up.")
    ]
    assert Complaint.objects.count() == 0 and RectificationProject.objects.count() == 1


def test_finding_opens_a_registered_complaint_linked_both_ways(client) -> None:
    official = UserFactory(
        perms=[
            "complaints.manage_supervision",
            "complaints.handle_complaint",
            "complaints.view_complaint",
        ]
    )
    client.force_login(official)
    window = ServiceWindowFactory(entity=AdministrativeEntityFactory())
    finding = _accepted_finding(window=window, entity=None)
    finding.responsible_entity = window.entity
    finding.save()
    response = client.post(
        _follow_up(finding, "complaint"),
        {"category": "attitude", "description": "暗访发现窗口人员态度生硬", "note": ""},
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:complaints_complaint_change", args=[complaint.pk])
    assert complaint.status == Complaint.Status.REGISTERED
    assert complaint.channel == "inspection" and complaint.anonymous
    assert complaint.entity == window.entity and complaint.window == window
    assert complaint.occurred_on == finding.visit.visited_on
    finding.refresh_from_db()
    assert finding.complaint == complaint
    visit_page = reverse("admin:complaints_inspectionvisit_change", args=[finding.visit_id])
    assert complaint.tracking_no in client.get(visit_page).content.decode()
    complaint_page = client.get(response.url).content.decode()
    assert "窗口人员脱岗二十分钟" in complaint_page
    # the complaint is in the public ledger like any other
    ledger = client.get(reverse("complaints:complaint-ledger")).content.decode()
    assert complaint.tracking_no in ledger


def test_follow_up_refused_for_unaccepted_visits_and_without_permission(client, bureau) -> None:
    draft = VisitFindingFactory()
    client.force_login(bureau)
    response = client.post(_follow_up(draft, "project"), PROJECT_FORM)
    assert response.context["form"].non_field_errors() == [
        _site_text("Only a finding of an accepted visit can be followed up.")
    ]
    assert RectificationProject.objects.count() == 0
    # the bureau without complaint handling cannot open a complaint
    finding = _accepted_finding()
    response = client.post(
        _follow_up(finding, "complaint"), {"category": "delay", "description": "x"}
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Complaint.objects.count() == 0
    # a supervisor (own visits only) cannot follow up
    supervisor_user = UserFactory(perms=["complaints.record_own_visits"])
    own = finding.visit.supervisor
    own.user = supervisor_user
    own.save()
    client.force_login(supervisor_user)
    assert client.post(_follow_up(finding, "project"), PROJECT_FORM).status_code == 403
    assert client.get(_follow_up(finding, "nonsense")).status_code == 404
    assert RectificationProject.objects.count() == 0
