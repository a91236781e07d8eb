"""Stale workflow pages in the disclosure admin: the form posts the status its official saw.

Two officials open the same record; the first moves it on; the second, on the page that still
shows the old status, presses a button whose move is still legal from the new one. That move
is refused under the row lock and nothing changes (status, history rows, dates), the official
is told what happened and sees the record's current status. A form without the status (an old
page) or with one that is not a status is refused the same way, never with a server error.
"""

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

import workdays.calendar as calendar_module
from disclosure.actions import entities as entity_actions
from disclosure.actions import requests as request_actions
from disclosure.actions.catalogue import catalogue_entry_return, catalogue_entry_submit_for_review
from disclosure.actions.workflow import SEEN_STATUS_FIELD, StaleWorkflowPage, workflow_guard
from disclosure.models import InformationRequest
from disclosure.models.catalogue import CatalogueEntry, CatalogueEntryEvent
from disclosure.models.entities import AdministrativeEntity, AdministrativeEntityEvent
from disclosure.models.requests import RequestEvent
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    UserFactory,
    catalogue_reviewer,
    make_request,
    request_handler,
)
from tests.factories.workflow import form_errors, seen_url, stale_refusals

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
E = AdministrativeEntity.Status
D = dt.date
MOVED = "someone else moved it since you opened the page"
NOT_SAID = "did not say which status"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def official() -> object:
    return UserFactory(is_superuser=True)


@pytest.fixture
def client(official) -> Client:
    client = Client()
    client.force_login(official)
    return client


def _entity_url(entity: AdministrativeEntity, step: str) -> str:
    return reverse("admin:disclosure_administrativeentity_workflow", args=[entity.pk, step])


def _messages(response) -> list[str]:  # noqa: ANN001
    return [str(m) for m in response.context["messages"]]


# --- the shared check ----------------------------------------------------------------------------


def test_the_guard_refuses_another_status_before_running_anything(official) -> None:
    entity = AdministrativeEntityFactory(status=E.REVIEWED)
    ran = []
    with pytest.raises(StaleWorkflowPage) as refused:
        with workflow_guard(record=entity, seen_status=E.SUBMITTED, to_status=E.DRAFT):
            ran.append(True)
    assert not ran
    assert refused.value.current == E.REVIEWED and refused.value.seen_status == E.SUBMITTED
    assert "“Reviewed”" in str(refused.value) and MOVED in str(refused.value)


@pytest.mark.parametrize("seen", [None, "", "not-a-status", "Submitted"])
def test_the_guard_refuses_a_form_that_does_not_say_what_it_saw(seen) -> None:  # noqa: ANN001
    entity = AdministrativeEntityFactory(status=E.SUBMITTED)
    with pytest.raises(StaleWorkflowPage) as refused:
        with workflow_guard(record=entity, seen_status=seen):
            pass
    assert NOT_SAID in str(refused.value)


def test_the_guard_runs_the_move_when_the_status_is_the_one_seen(official) -> None:
    entity = AdministrativeEntityFactory(status=E.SUBMITTED)
    with workflow_guard(record=entity, seen_status=E.SUBMITTED) as current:
        assert current == E.SUBMITTED
        entity_actions.entity_review(entity=entity, by=official)
    entity.refresh_from_db()
    assert entity.status == E.REVIEWED


def test_the_stale_message_names_the_status_in_the_officials_language() -> None:
    entity = AdministrativeEntityFactory(status=E.REVIEWED)
    with translation.override("zh-hans"), pytest.raises(StaleWorkflowPage) as refused:
        with workflow_guard(record=entity, seen_status=E.SUBMITTED):
            pass
    assert "“已审核”" in str(refused.value)


# --- administrative entities ---------------------------------------------------------------------


def test_entity_a_stale_page_whose_move_is_still_legal_is_refused(client, official) -> None:
    entity = AdministrativeEntityFactory(status=E.SUBMITTED)
    # B opens "Return for correction" from the change page while the entity is submitted.
    page = client.get(reverse("admin:disclosure_administrativeentity_change", args=[entity.pk]))
    button = next(b["url"] for b in page.context["workflow_buttons"] if "/return/" in b["url"])
    assert f"{SEEN_STATUS_FIELD}=submitted" in button
    form = client.get(button)
    assert form.status_code == 200
    assert f'name="{SEEN_STATUS_FIELD}" value="submitted"' in form.content.decode()
    # A reviews it meanwhile; returning is still legal from "reviewed".
    entity_actions.entity_review(entity=entity, by=UserFactory(is_superuser=True))
    events = AdministrativeEntityEvent.objects.filter(entity=entity).count()

    refused = client.post(button, {"note": "请补充", SEEN_STATUS_FIELD: "submitted"})
    assert refused.status_code == 409
    assert form_errors(refused) in stale_refusals(entity, E.REVIEWED, E.SUBMITTED)
    # the form again, now showing and carrying the current status
    assert f'name="{SEEN_STATUS_FIELD}" value="reviewed"' in refused.content.decode()
    entity.refresh_from_db()
    assert entity.status == E.REVIEWED
    assert AdministrativeEntityEvent.objects.filter(entity=entity).count() == events

    # Having seen the new status, the official can still return it.
    again = client.post(button, {"note": "请补充", SEEN_STATUS_FIELD: "reviewed"})
    assert again.status_code == 302
    entity.refresh_from_db()
    assert entity.status == E.DRAFT


def test_entity_a_fresh_page_moves_as_before(client) -> None:
    entity = AdministrativeEntityFactory(status=E.CONFIRMED)
    response = client.post(
        seen_url(_entity_url(entity, "announce"), entity),
        {"note": "", "start": "2026-07-01", "end": "2026-07-15"},
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.status, entity.announcement_start) == (E.ANNOUNCED, D(2026, 7, 1))


def test_entity_a_stale_announcement_leaves_the_period_alone(client, official) -> None:
    entity = AdministrativeEntityFactory(
        status=E.CONFIRMED, announcement_start=None, announcement_end=None
    )
    url = seen_url(_entity_url(entity, "announce"), entity)
    entity_actions.entity_revoke(entity=entity, by=official, note="撤销")
    response = client.post(url, {"note": "", "start": "2026-07-01", "end": "2026-07-15"})
    assert response.status_code == 302  # announcing no longer applies: back to the entity
    follow = client.get(response["Location"])
    assert set(stale_refusals(entity, E.REVOKED, E.CONFIRMED)) & set(_messages(follow))
    entity.refresh_from_db()
    assert entity.status == E.REVOKED
    assert entity.announcement_start is None and entity.announcement_end is None


def test_entity_a_button_from_a_stale_change_page_leads_back_to_the_entity(client, official):
    entity = AdministrativeEntityFactory(status=E.SUBMITTED)
    url = seen_url(_entity_url(entity, "return"), entity)
    entity_actions.entity_review(entity=entity, by=official)
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/{entity.pk}/change/")
    assert set(stale_refusals(entity, E.REVIEWED, E.SUBMITTED)) & set(_messages(response))


@pytest.mark.parametrize("seen", [None, "", "garbled<>", "SUBMITTED"])
def test_entity_a_form_without_the_status_is_refused_clearly(client, seen) -> None:  # noqa: ANN001
    entity = AdministrativeEntityFactory(status=E.SUBMITTED)
    data = {"note": ""}
    if seen is not None:
        data[SEEN_STATUS_FIELD] = seen
    response = client.post(_entity_url(entity, "review"), data)
    assert response.status_code == 400
    assert form_errors(response) in stale_refusals(entity, E.SUBMITTED, seen)
    entity.refresh_from_db()
    assert entity.status == E.SUBMITTED
    assert not AdministrativeEntityEvent.objects.filter(entity=entity).exists()
    # the form shown again carries the status now: sending it moves the entity
    assert f'name="{SEEN_STATUS_FIELD}" value="submitted"' in response.content.decode()


def test_the_same_move_twice_still_says_already(client, official) -> None:
    entity = AdministrativeEntityFactory(status=E.SUBMITTED)
    url = seen_url(_entity_url(entity, "review"), entity)
    assert client.post(url, {"note": ""}).status_code == 302
    second = client.post(url, {"note": ""}, follow=True)
    assert set(stale_refusals(entity, E.REVIEWED, E.SUBMITTED, E.REVIEWED)) & set(_messages(second))
    assert (
        AdministrativeEntityEvent.objects.filter(entity=entity, to_status=E.REVIEWED).count() == 1
    )


# --- catalogue entries ---------------------------------------------------------------------------


def test_catalogue_a_stale_publish_is_refused_and_nothing_changes(client) -> None:
    entry = CatalogueEntryFactory()
    catalogue_entry_submit_for_review(entry=entry, by=entry.author)
    url = seen_url(
        reverse("admin:disclosure_catalogueentry_workflow", args=[entry.pk, "publish"]), entry
    )
    # Another reviewer returns it to its author meanwhile.
    catalogue_entry_return(entry=entry, by=catalogue_reviewer(), note="请修改")
    events = CatalogueEntryEvent.objects.filter(entry=entry).count()
    response = client.post(url, {"note": ""}, follow=True)
    assert response.status_code == 200
    draft, in_review = CatalogueEntry.Status.DRAFT, CatalogueEntry.Status.IN_REVIEW
    assert set(stale_refusals(entry, draft, in_review)) & set(_messages(response))
    entry.refresh_from_db()
    assert entry.status == CatalogueEntry.Status.DRAFT
    assert entry.index_no in ("", None) and entry.published_date is None
    assert CatalogueEntryEvent.objects.filter(entry=entry).count() == events


# --- information requests ------------------------------------------------------------------------


def test_request_a_stale_reply_is_refused_and_the_deadline_kept(client) -> None:
    calendar_module._snapshot = None
    handler = request_handler()
    record = make_request(received=D(2025, 9, 15), by=handler)
    record = request_actions.request_review_start(request=record, by=handler)
    url = seen_url(
        reverse("admin:disclosure_informationrequest_workflow", args=[record.pk, "reply"]), record
    )
    # A extends it meanwhile (the due date moves); replying is still legal from "extended".
    request_actions.request_extend(
        request=record,
        by=UserFactory(is_superuser=True),
        workdays=10,
        approved_by_name="主任",
        on=D(2025, 9, 20),
    )
    record.refresh_from_db()
    due, events = record.due_date, RequestEvent.objects.filter(request=record).count()

    refused = client.post(url, {"on": "2025-09-25", "outcome": "disclosed"})
    assert refused.status_code == 409
    assert form_errors(refused) in stale_refusals(record, "extended", "in_review")
    record.refresh_from_db()
    assert record.status == InformationRequest.Status.EXTENDED
    assert (record.outcome, record.due_date, record.concluded_date) == ("", due, None)
    assert RequestEvent.objects.filter(request=record).count() == events

    fresh = client.post(
        url, {"on": "2025-09-25", "outcome": "disclosed", SEEN_STATUS_FIELD: "extended"}
    )
    assert fresh.status_code == 302
    record.refresh_from_db()
    assert record.status == InformationRequest.Status.REPLIED


def test_request_a_step_without_the_status_is_a_400_not_a_500(client) -> None:
    record = make_request(received=D(2025, 9, 15))
    url = reverse("admin:disclosure_informationrequest_workflow", args=[record.pk, "review"])
    response = client.post(url, {"on": "2025-09-16", SEEN_STATUS_FIELD: "%%%"})
    assert response.status_code == 400
    assert form_errors(response) in stale_refusals(record, "received", "%%%")
    record.refresh_from_db()
    assert record.status == InformationRequest.Status.RECEIVED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officials_at_the_same_moment_the_stale_one_is_refused_under_the_lock() -> None:
    """Both saw "submitted": one reviews, one returns (legal from either). Only one move is made.

    Without the check under the lock both would go through: the return, made second, would act
    on a reviewed entity its official never saw.
    """
    entity = AdministrativeEntityFactory(status=E.SUBMITTED)
    officials = [UserFactory(is_superuser=True), UserFactory(is_superuser=True)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def move(call, official) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            fresh = AdministrativeEntity.objects.get(pk=entity.pk)
            with workflow_guard(record=fresh, seen_status=E.SUBMITTED):
                call(entity=fresh, by=official, note="请补充")
            outcomes.append("moved")
        except StaleWorkflowPage:
            outcomes.append("stale")
        finally:
            connection.close()

    calls = (entity_actions.entity_review, entity_actions.entity_return)
    pairs = zip(calls, officials, strict=True)
    threads = [threading.Thread(target=move, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["moved", "stale"]
    assert AdministrativeEntityEvent.objects.filter(entity=entity).count() == 1
