"""Full history: who changed what (a field diff) for each workflow; deletion for administrators."""

import contextlib

import pytest
from django.test import RequestFactory
from django.urls import reverse
from simple_history.models import HistoricalRecords

from complaints.actions.complaints import complaint_register
from disclosure.actions.requests import request_receive
from disclosure.models import CatalogueEntry, EntityMembership
from services.models import ServiceCase, ServiceItem
from tests.factories.complaints import complaint_handler, submit_complaint
from tests.factories.disclosure import (
    CATALOGUE_AUTHOR_PERMS,
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    UserFactory,
    make_request,
    request_handler,
)
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory
from tests.factories.workflow import seen_url

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def acting_as(user):
    """What HistoryRequestMiddleware does for every web request: history rows name the user."""
    request = RequestFactory().get("/")
    request.user = user
    HistoricalRecords.context.request = request
    try:
        yield
    finally:
        del HistoricalRecords.context.request


def history_page(client, obj) -> str:
    meta = obj._meta
    response = client.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk])
    )
    assert response.status_code == 200
    return response.text


def changes_column(page: str) -> str:
    """The table of the history page (the Changes column holds the diff)."""
    return page[page.index('id="change-history"') :]


def test_catalogue_entry_history_shows_who_submitted_it_and_the_status_diff(client, root):
    author = UserFactory(username="zhang.author", perms=list(CATALOGUE_AUTHOR_PERMS))
    entry = CatalogueEntryFactory(author=author)
    EntityMembership.objects.create(user=author, entity=entry.publisher)
    author_client = type(client)()
    author_client.force_login(author)

    response = author_client.post(
        seen_url(
            reverse("admin:disclosure_catalogueentry_workflow", args=[entry.pk, "submit"]), entry
        ),
        {"note": "请审核"},
    )
    assert response.status_code == 302

    table = changes_column(history_page(root, entry))
    assert "zhang.author" in table
    assert "&rarr;" in table  # the field-by-field diff: old → new
    assert "draft" in table or str(CatalogueEntry.Status.DRAFT.label) in table
    assert "in_review" in table or str(CatalogueEntry.Status.IN_REVIEW.label) in table


def test_service_case_history_shows_who_accepted_it(client, root):
    case = ServiceCaseFactory()
    handler = UserFactory(
        username="li.window", perms=["services.handle_servicecase", "services.view_servicecase"]
    )
    EntityMembership.objects.create(user=handler, entity=case.entity)
    handler_client = type(client)()
    handler_client.force_login(handler)

    response = handler_client.post(
        reverse("admin:services_servicecase_changelist"),
        {"action": "accept_today", "_selected_action": [case.pk], "index": 0},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == ServiceCase.Status.ACCEPTED

    table = changes_column(history_page(root, case))
    assert "li.window" in table
    assert "&rarr;" in table
    assert "received" in table or str(ServiceCase.Status.RECEIVED.label) in table
    assert "accepted" in table or str(ServiceCase.Status.ACCEPTED.label) in table


def test_complaint_history_shows_who_registered_it_and_never_the_complainant(root):
    complaint, _credentials = submit_complaint()
    handler = complaint_handler(username="zhao.jiancha")

    with acting_as(handler):
        complaint_register(complaint=complaint, by=handler, note="立案")

    page = history_page(root, complaint)
    table = changes_column(page)
    assert "zhao.jiancha" in table
    assert "registered" in table or str(complaint.Status.REGISTERED.label) in table
    assert complaint.complainant_name not in table


def test_request_history_shows_who_confirmed_receipt(root):
    request = make_request()
    handler = request_handler(username="sun.gongkai")

    with acting_as(handler):
        request_receive(request=request, by=handler)

    table = changes_column(history_page(root, request))
    assert "sun.gongkai" in table
    assert "received" in table or str(request.Status.RECEIVED.label) in table


def test_an_officer_cannot_read_the_history_of_another_departments_record(client):
    item = ServiceItemFactory()
    officer = UserFactory(perms=["services.view_serviceitem", "services.change_serviceitem"])
    EntityMembership.objects.create(user=officer, entity=AdministrativeEntityFactory())
    client.force_login(officer)

    url = reverse("admin:services_serviceitem_history", args=[item.pk])
    assert client.get(url).status_code == 404
    version = item.history.first().history_id
    version_url = reverse("admin:services_serviceitem_simple_history", args=[item.pk, version])
    assert client.get(version_url).status_code == 404


def test_officers_cannot_delete_even_with_the_delete_permission(client):
    entity = AdministrativeEntityFactory()
    item = ServiceItemFactory(entity=entity)
    officer = UserFactory(
        perms=[
            "services.view_serviceitem",
            "services.change_serviceitem",
            "services.delete_serviceitem",
        ]
    )
    EntityMembership.objects.create(user=officer, entity=entity)
    client.force_login(officer)

    response = client.post(
        reverse("admin:services_serviceitem_delete", args=[item.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert ServiceItem.objects.filter(pk=item.pk).exists()


def test_an_administrators_deletion_is_recorded_with_who_deleted(root):
    item = ServiceItemFactory()
    pk = item.pk

    response = root.post(reverse("admin:services_serviceitem_delete", args=[pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not ServiceItem.objects.filter(pk=pk).exists()
    deletion = ServiceItem.history.filter(id=pk).latest("history_date")
    assert deletion.history_type == "-"
    assert deletion.history_user.username == "root"
    # and the deleted record's history is still readable by the administrator
    page = root.get(reverse("admin:services_serviceitem_history", args=[pk]))
    assert page.status_code == 200


def test_a_district_administrator_may_delete(client):
    from django.contrib.auth.models import Group

    from workspace.roles import DISTRICT_ADMINISTRATOR, sync_roles

    sync_roles()
    item = ServiceItemFactory()
    administrator = UserFactory(username="qu.admin")
    administrator.groups.add(Group.objects.get(name=DISTRICT_ADMINISTRATOR.group_name))
    client.force_login(administrator)

    response = client.post(
        reverse("admin:services_serviceitem_delete", args=[item.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    deletion = ServiceItem.history.filter(id=item.pk).latest("history_date")
    assert (deletion.history_type, deletion.history_user.username) == ("-", "qu.admin")


def test_reference_records_changed_in_the_admin_keep_history_with_a_diff(root):
    from disclosure.models import Topic

    topic = Topic.objects.create(name="教育", code="jiaoyu")

    response = root.post(
        reverse("admin:disclosure_topic_change", args=[topic.pk]),
        {"name": "教育收费", "code": "jiaoyu", "parent": "", "sort_order": 0},
    )
    assert response.status_code == 302

    table = changes_column(history_page(root, topic))
    assert "root" in table
    assert "教育" in table and "教育收费" in table and "&rarr;" in table


def test_every_model_officials_change_in_the_admin_keeps_history():
    from django.contrib import admin

    without = {
        model._meta.label
        for model in admin.site._registry
        if not getattr(model._meta, "simple_history_manager_attribute", None)
    }

    # accounts and groups: Django's own admin log records who changed them; the login
    # records (axes) and authenticator devices are audit data themselves.
    assert without <= {
        "auth.User",
        "auth.Group",
        "axes.AccessAttempt",
        "axes.AccessLog",
        "axes.AccessFailureLog",
        "otp_totp.TOTPDevice",
    }


def test_the_history_page_reads_as_many_queries_for_20_versions_as_for_1(root):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    item = ServiceItemFactory()
    url = reverse("admin:services_serviceitem_history", args=[item.pk])
    root.get(url)  # warm the per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        assert root.get(url).status_code == 200
    official = UserFactory(username="chen.bianji", perms=["services.manage_serviceitem"])
    with acting_as(official):
        for number in range(19):
            item.name = f"事项名称{number}"
            item.entity = AdministrativeEntityFactory() if number % 5 == 0 else item.entity
            item.save()
    with CaptureQueriesContext(connection) as twenty:
        page = root.get(url)

    assert page.text.count("chen.bianji") >= 19
    assert len(twenty) == len(one)
