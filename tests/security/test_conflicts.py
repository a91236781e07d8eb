"""Two officials changing the same record at once: one wins, the other is told clearly.

Change forms carry the version the official opened (disclosure.admin.scoping); workflow moves
re-read the record under a row lock, so a second identical move says "already … someone else
made this move first" and changes nothing.
"""

import threading

import pytest
from django.db import connection
from django.utils import translation
from django.utils.html import escape

from complaints.actions.complaints import complaint_register
from complaints.models import Complaint, ComplaintEvent
from disclosure.actions.catalogue import (
    catalogue_entry_publish,
    catalogue_entry_submit_for_review,
)
from disclosure.admin.scoping import CONFLICT_MESSAGE, record_version
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.catalogue import CatalogueEntry, CatalogueEntryEvent
from services.actions.cases import case_accept
from services.models import ServiceCase, ServiceCaseEvent
from tests.factories.complaints import complaint_handler, submit_complaint
from tests.factories.disclosure import CatalogueEntryFactory, catalogue_reviewer
from tests.factories.services import ServiceCaseFactory
from tests.factories.workflow import seen_url

pytestmark = pytest.mark.django_db
ALREADY = "someone else made this move first"


def _already(obj) -> list[str]:  # noqa: ANN001
    """The "already moved" message for `obj` as the admin shows it, in either language."""
    messages = []
    for language in ("en", "zh-hans"):
        with translation.override(language):
            refused = TransitionNotAllowed(obj=obj, from_status="x", to_status="x")
            messages.append(escape(str(refused)))
    return messages


@pytest.fixture
def officials(client, django_user_model):
    """Two logged-in officials with their own browsers (superusers: no department scope)."""
    from django.test import Client

    first, second = client, Client()
    first.force_login(django_user_model.objects.create_superuser("official-a", password="x"))
    second.force_login(django_user_model.objects.create_superuser("official-b", password="x"))
    return first, second


def _entry_form(entry: CatalogueEntry, **changes) -> dict:
    data = {
        "title": entry.title,
        "publisher": entry.publisher_id,
        "document_no": entry.document_no,
        "formed_date": entry.formed_date.isoformat(),
        "topic": entry.topic_id or "",
        "genre": entry.genre,
        "keywords": entry.keywords,
        "audience": entry.audience,
        "summary": entry.summary,
        "body": entry.body,
        "disclosure_mode": entry.disclosure_mode,
        "exemption_reason": entry.exemption_reason,
        "scope": entry.scope,
        "validity": entry.validity,
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


# --- catalogue entry -----------------------------------------------------------------------------


def test_two_officials_editing_one_draft_the_second_is_refused(officials) -> None:
    first, second = officials
    entry = CatalogueEntryFactory()
    url = f"/admin/disclosure/catalogueentry/{entry.pk}/change/"
    # Both open the form: it carries the version they saw.
    page = first.get(url)
    assert page.status_code == 200
    assert f'name="record_version" value="{record_version(entry)}"' in page.content.decode()
    seen = record_version(entry)
    assert second.get(url).status_code == 200

    saved = first.post(url, _entry_form(entry, title="甲修改的标题", record_version=seen))
    assert saved.status_code == 302
    refused = second.post(url, _entry_form(entry, title="乙修改的标题", record_version=seen))
    assert refused.status_code == 200
    with translation.override("zh-hans"):
        assert str(CONFLICT_MESSAGE) in refused.content.decode()
    entry.refresh_from_db()
    assert entry.title == "甲修改的标题"

    # With the page opened again (the new version) the second official's change goes through.
    fresh = record_version(entry)
    again = second.post(url, _entry_form(entry, title="乙修改的标题", record_version=fresh))
    assert again.status_code == 302
    entry.refresh_from_db()
    assert entry.title == "乙修改的标题"


def test_publishing_twice_the_second_is_told_it_is_already_published() -> None:
    entry = CatalogueEntryFactory()
    catalogue_entry_submit_for_review(entry=entry, by=entry.author)
    stale = CatalogueEntry.objects.get(pk=entry.pk)  # the second reviewer's page
    catalogue_entry_publish(entry=entry, by=catalogue_reviewer())
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        catalogue_entry_publish(entry=stale, by=catalogue_reviewer())
    assert ALREADY in str(refused.value)
    assert CatalogueEntryEvent.objects.filter(entry=entry, to_status="published").count() == 1


def test_publishing_twice_in_the_admin_shows_the_conflict(officials) -> None:
    first, second = officials
    entry = CatalogueEntryFactory()
    catalogue_entry_submit_for_review(entry=entry, by=entry.author)
    # Both opened the form while the entry was in review: it posts that status back.
    url = seen_url(f"/admin/disclosure/catalogueentry/{entry.pk}/workflow/publish/", entry)
    assert first.post(url, {"note": ""}).status_code == 302
    # Publishing is no longer possible: the second is sent back to the entry with the message.
    second_try = second.post(url, {"note": ""}, follow=True)
    assert second_try.status_code == 200
    entry.refresh_from_db()
    assert any(message in second_try.content.decode() for message in _already(entry))
    assert entry.status == CatalogueEntry.Status.PUBLISHED
    assert CatalogueEntryEvent.objects.filter(entry=entry, to_status="published").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_publishing_at_the_same_moment_one_wins() -> None:
    entry = CatalogueEntryFactory()
    catalogue_entry_submit_for_review(entry=entry, by=entry.author)
    reviewers = [catalogue_reviewer(), catalogue_reviewer()]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def publish(reviewer) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            catalogue_entry_publish(entry=CatalogueEntry.objects.get(pk=entry.pk), by=reviewer)
            outcomes.append("published")
        except TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(r,)) for r in reviewers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published", "refused"]
    assert CatalogueEntryEvent.objects.filter(entry=entry, to_status="published").count() == 1


# --- service case --------------------------------------------------------------------------------


def test_accepting_a_case_twice_the_second_is_told_it_is_already_accepted() -> None:
    from tests.factories.disclosure import UserFactory

    case = ServiceCaseFactory()
    stale = ServiceCase.objects.get(pk=case.pk)
    officials = [UserFactory(perms=["services.handle_servicecase"]) for _ in range(2)]
    case_accept(case=case, by=officials[0], on=case.received_on)
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        case_accept(case=stale, by=officials[1], on=case.received_on)
    assert ALREADY in str(refused.value)
    assert ServiceCaseEvent.objects.filter(case=case, to_status="accepted").count() == 1


def test_accepting_a_case_twice_in_the_admin_gives_a_clear_message(officials) -> None:
    first, second = officials
    case = ServiceCaseFactory()
    url = seen_url(f"/admin/services/servicecase/{case.pk}/workflow/accept/", case)
    data = {"on": case.received_on.isoformat(), "note": ""}
    assert first.post(url, data).status_code == 302
    refused = second.post(url, data, follow=True)
    assert refused.status_code == 200
    messages = [str(m) for m in refused.context["messages"]]
    assert any(case.case_no in m for m in messages)
    assert ServiceCaseEvent.objects.filter(case=case, to_status="accepted").count() == 1


# --- complaint -----------------------------------------------------------------------------------


def test_registering_a_complaint_twice_the_second_is_told_it_is_already_registered() -> None:
    complaint, _credentials = submit_complaint()
    stale = Complaint.objects.get(pk=complaint.pk)
    complaint_register(complaint=complaint, by=complaint_handler())
    with translation.override("en"), pytest.raises(TransitionNotAllowed) as refused:
        complaint_register(complaint=stale, by=complaint_handler())
    assert ALREADY in str(refused.value)
    assert ComplaintEvent.objects.filter(complaint=complaint, to_status="registered").count() == 1


def test_registering_twice_in_the_admin_shows_the_conflict(officials) -> None:
    first, second = officials
    complaint, _credentials = submit_complaint()
    url = seen_url(f"/admin/complaints/complaint/{complaint.pk}/workflow/", complaint)
    assert first.post(url, {"step": "register", "note": ""}).status_code == 302
    refused = second.post(url, {"step": "register", "note": ""})
    assert refused.status_code == 409  # the form again, with the message (stale page)
    complaint.refresh_from_db()
    assert any(message in refused.content.decode() for message in _already(complaint))
    assert ComplaintEvent.objects.filter(complaint=complaint, to_status="registered").count() == 1
