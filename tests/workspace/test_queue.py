"""The work queue: what waits on an official, in due order, coloured by working days left."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosure.models import CatalogueEntry
from services.models import ServiceCase
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory
from tests.workspace.officials import (
    accepted_case,
    complaint_due,
    draft_entry,
    entry_in_review,
    official,
    one_of_each,
    project_due,
    request_due,
    task_due,
)
from workdays.calendar import add_workdays, workdays_between
from workspace.selectors.queue import queue_counts, urgency_for, work_queue, workdays_left

pytestmark = pytest.mark.django_db

QUEUE = "/officials/queue/"


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


# --- colouring ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "css", "words"),
    [
        (-3, "queue-overdue", "3"),
        (-1, "queue-overdue", "1"),
        (0, "queue-urgent", ""),
        (1, "queue-urgent", "1"),
        (2, "queue-urgent", "2"),
        (3, "queue-soon", "3"),
        (5, "queue-soon", "5"),
        (6, "queue-later", "6"),
        (None, "queue-none", ""),
    ],
)
def test_urgency_bands_have_a_class_and_words(left, css, words) -> None:
    urgency = urgency_for(left)
    assert urgency.css == css
    assert urgency.label  # never colour alone
    assert words in urgency.label


def test_a_deadline_passed_over_a_weekend_is_overdue() -> None:
    assert urgency_for(0, past_due=True).css == "queue-overdue"
    assert urgency_for(-2, past_due=True).css == "queue-overdue"


def test_working_days_left_skip_weekends_and_holidays(today) -> None:
    due = add_workdays(today, 3)
    assert workdays_left(due, today=today) == 3
    assert workdays_left(today, today=today) == 0
    before = add_workdays(today, -2)
    assert workdays_left(before, today=today) == -workdays_between(before, today)
    assert workdays_left(before, today=today) < 0


# --- what waits, in which order -----------------------------------------------------------------


def test_queue_merges_every_kind_in_due_order(today) -> None:
    # given a district administrator and records of every kind with mixed due dates
    admin = official("district_administrator")
    entity = AdministrativeEntityFactory()
    dues = {
        "project": add_workdays(today, -4),
        "entry": add_workdays(today, -1),
        "case": today,
        "request": add_workdays(today, 2),
        "complaint": add_workdays(today, 4),
        "task": add_workdays(today, 9),
    }
    project_due(entity, dues["project"])
    entry_in_review(entity, dues["entry"])
    accepted_case(entity, dues["case"])
    request_due(entity, dues["request"])
    complaint_due(entity, dues["complaint"])
    task_due(entity, dues["task"])
    # when
    items = work_queue(admin, today=today)
    # then the earliest due comes first, whatever its kind
    assert [item.kind.key for item in items] == [
        "project",
        "entry",
        "case",
        "request",
        "complaint",
        "task",
    ]
    assert [item.urgency.css for item in items] == [
        "queue-overdue",
        "queue-overdue",
        "queue-urgent",
        "queue-urgent",
        "queue-soon",
        "queue-later",
    ]
    assert [item.due for item in items] == sorted(dues.values())


def test_records_without_a_deadline_come_last(today) -> None:
    admin = official("district_administrator")
    entity = AdministrativeEntityFactory()
    undated = entry_in_review(
        entity, None, disclosure_mode=CatalogueEntry.DisclosureMode.ON_REQUEST
    )
    dated = entry_in_review(entity, add_workdays(today, 30))
    items = work_queue(admin, today=today)
    assert [item.pk for item in items] == [dated.pk, undated.pk]
    assert items[-1].urgency.css == "queue-none"


def test_received_case_is_due_when_its_correction_notice_window_closes(today) -> None:
    officer = official("department_officer", entity := AdministrativeEntityFactory())
    received = add_workdays(today, -6)
    case = ServiceCaseFactory(item=ServiceItemFactory(entity=entity), received_on=received)
    [item] = work_queue(officer, today=today)
    assert item.pk == case.pk
    assert item.due == add_workdays(received, 5)
    assert item.urgency.css == "queue-overdue"
    counts = {count.kind.key: (count.count, count.overdue) for count in queue_counts(officer)}
    assert counts.pop("case") == (1, 1)
    assert set(counts.values()) == {(0, 0)}  # the other kinds an officer works: none waiting


def test_finished_and_waiting_on_others_records_are_not_in_the_queue(today) -> None:
    admin = official("district_administrator")
    entity = AdministrativeEntityFactory()
    item = ServiceItemFactory(entity=entity)
    ServiceCaseFactory(
        item=item,
        status=ServiceCase.Status.COMPLETED,
        received_on=today,
        accepted_on=today,
        due_date=today,
        completed_on=today,
        result="approved",
    )
    ServiceCaseFactory(item=item, status=ServiceCase.Status.CORRECTION_REQUESTED)
    draft_entry(entity, add_workdays(today, 3))  # a draft waits on its author, not a reviewer
    assert work_queue(admin, today=today) == []


def test_department_officer_sees_their_drafts_due_and_reviewer_sees_entries_in_review(
    today,
) -> None:
    entity = AdministrativeEntityFactory()
    draft = draft_entry(entity, add_workdays(today, 3))
    in_review = entry_in_review(entity, add_workdays(today, 3))
    officer = official("department_officer", entity)
    office = official("disclosure_office")
    assert [item.pk for item in work_queue(officer, today=today)] == [draft.pk]
    assert [item.pk for item in work_queue(office, today=today)] == [in_review.pk]


def test_counts_per_kind_count_overdue(today) -> None:
    admin = official("district_administrator")
    entity = AdministrativeEntityFactory()
    one_of_each(entity, add_workdays(today, -1))
    one_of_each(entity, add_workdays(today, 7))
    counts = {count.kind.key: (count.count, count.overdue) for count in queue_counts(admin)}
    assert counts == {
        "entry": (2, 1),
        "case": (2, 1),
        "complaint": (2, 1),
        "request": (2, 1),
        "task": (2, 1),
        "project": (2, 1),
    }


def test_kinds_the_official_does_not_work_are_absent(today) -> None:
    supervisor = official("invited_supervisor")
    one_of_each(AdministrativeEntityFactory(), today)
    assert work_queue(supervisor, today=today) == []
    assert queue_counts(supervisor, today=today) == []


# --- the page -----------------------------------------------------------------------------------


def test_queue_page_needs_an_official(client) -> None:
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]
    client.force_login(UserFactory(is_staff=False))
    response = client.get(QUEUE)
    assert response.status_code == 302


def test_queue_page_rows_are_coloured_labelled_and_link_to_the_admin(client, today) -> None:
    office = official("disclosure_office")
    entity = AdministrativeEntityFactory(name="西岗区教育局")
    late = entry_in_review(entity, add_workdays(today, -2), title="迟到的目录")
    soon = entry_in_review(entity, add_workdays(today, 4), title="即将到期的目录")
    client.force_login(office)
    response = client.get(QUEUE)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("迟到的目录") < html.index("即将到期的目录")
    assert f'class="queue-row queue-overdue" data-kind="entry" data-pk="{late.pk}"' in html
    assert f'class="queue-row queue-soon" data-kind="entry" data-pk="{soon.pk}"' in html
    assert reverse("admin:disclosure_catalogueentry_change", args=[late.pk]) in html
    items = response.context["items"]
    assert items[0].urgency.label in html  # the words, not the colour alone
    assert "西岗区教育局" in html


def test_queue_page_filters_by_kind(client, today) -> None:
    admin = official("district_administrator")
    entity = AdministrativeEntityFactory()
    one_of_each(entity, today)
    client.force_login(admin)
    response = client.get(QUEUE, {"kind": "complaint"})
    assert [item.kind.key for item in response.context["items"]] == ["complaint"]
    response = client.get(QUEUE, {"kind": "nonsense"})
    assert response.status_code == 200
    assert len(response.context["items"]) == 6


def test_queue_page_query_count_does_not_grow_with_items(client, today) -> None:
    # given an administrator who works every kind
    admin = official("district_administrator")
    client.force_login(admin)
    entity = AdministrativeEntityFactory()
    one_of_each(entity, today)
    client.get(QUEUE)  # warm the working-day calendar
    with CaptureQueriesContext(connection) as one:
        response = client.get(QUEUE)
    assert len(response.context["items"]) == 6
    # when 19 more of each kind arrive
    for n in range(19):
        one_of_each(entity, add_workdays(today, n % 7))
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(QUEUE)
    # then the page reads them with as many queries
    assert len(response.context["items"]) == 100  # capped; the counts are exact
    assert {c.kind.key: c.count for c in response.context["counts"]} == dict.fromkeys(
        ["entry", "case", "complaint", "request", "task", "project"], 20
    )
    assert len(twenty) == len(one)


def test_admin_index_shows_the_queue_counts(client, today) -> None:
    admin = official("district_administrator")
    one_of_each(AdministrativeEntityFactory(), add_workdays(today, -1))
    client.force_login(admin)
    response = client.get(reverse("admin:index"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="workspace-queue"' in html
    assert '<tr data-kind="complaint">' in html
    assert reverse("workspace:queue") in html
    assert "<strong>1</strong>" in html
