"""Service items: committed ≤ statutory (action, form, database); admin lists and pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

import workdays.calendar as calendar_module
from services.actions.items import (
    consultation_count_add,
    service_item_create,
    service_item_update,
)
from services.models import ConsultationCount, ServiceCase, ServiceItem, ServiceMaterial
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    calendar_module._snapshot = None


@pytest.fixture
def manager():
    return UserFactory(perms=["services.manage_serviceitem", "services.handle_servicecase"])


def _fields(entity, **overrides):
    return {
        "basic_code": "XK00999000",
        "implementation_code": "21020300XK00999000",
        "name": "测试许可",
        "kind": ServiceItem.Kind.LICENSING,
        "entity": entity,
        "statutory_days": 10,
        "committed_days": 2,
        **overrides,
    }


def test_create_with_materials(manager):
    item = service_item_create(
        by=manager,
        materials=[{"name": "申请书", "form": "original"}, {"name": "营业执照", "form": "copy"}],
        **_fields(AdministrativeEntityFactory()),
    )
    assert list(item.materials.values_list("name", "sort_order")) == [
        ("申请书", 0),
        ("营业执照", 1),
    ]


def test_committed_beyond_statutory_is_a_field_error_and_stores_nothing(manager):
    with pytest.raises(ValidationError) as error:
        service_item_create(
            by=manager,
            materials=[{"name": "申请书", "form": "original"}],
            **_fields(AdministrativeEntityFactory(), committed_days=12),
        )
    assert "committed_days" in error.value.message_dict
    assert not ServiceItem.objects.exists() and not ServiceMaterial.objects.exists()


def test_update_beyond_statutory_is_refused(manager):
    item = ServiceItemFactory()
    with pytest.raises(ValidationError):
        service_item_update(item=item, by=manager, committed_days=11)
    item.refresh_from_db()
    assert item.committed_days == 2


def test_database_refuses_committed_beyond_statutory():
    item = ServiceItemFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceItem.objects.filter(pk=item.pk).update(committed_days=20)


def test_fee_needs_its_basis(manager):
    with pytest.raises(ValidationError) as error:
        service_item_create(by=manager, **_fields(AdministrativeEntityFactory(), is_free=False))
    assert "fee_basis" in error.value.message_dict


def test_consultations_counted_per_item_and_day(manager):
    item = ServiceItemFactory()
    day = datetime.date(2006, 3, 1)
    consultation_count_add(item=item, on=day, by=manager)
    consultation_count_add(item=item, on=day, count=4, by=manager)
    assert ConsultationCount.objects.get(item=item, date=day).count == 5
    with pytest.raises(ValidationError):
        consultation_count_add(item=item, on=day, count=0, by=manager)


def test_admin_form_shows_the_commitment_error(client):
    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    entity = AdministrativeEntityFactory()
    data = {
        **{k: v for k, v in _fields(entity, committed_days=15).items() if k != "entity"},
        "entity": entity.pk,
        "is_free": "on",
        "visits_required": 1,
        "deemed_approval": "on",
        "is_published": "on",
        "materials-TOTAL_FORMS": 0,
        "materials-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:services_serviceitem_add"), data)
    assert response.status_code == 200
    assert "committed_days" in response.context["adminform"].form.errors
    assert not ServiceItem.objects.exists()


@pytest.mark.parametrize(
    ("url_name", "make"),
    [
        ("admin:services_servicecase_changelist", lambda n: ServiceCaseFactory.create_batch(n)),
        ("admin:services_serviceitem_changelist", lambda n: ServiceItemFactory.create_batch(n)),
    ],
)
def test_admin_lists_constant_queries(client, url_name, make):
    client.force_login(UserFactory(is_superuser=True))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        return len(queries)

    make(1)
    one = count()
    make(19)
    assert count() == one


def test_admin_import_page_reports_lines(client, settings):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    ServiceItemFactory(implementation_code="21020300XK00101000")
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv_bytes = (
        "case_no,item_code,applicant_type,applicant_name,received_on\n"
        "AD-1,21020300XK00101000,person,张三,2006-03-01\n"
        "AD-2,NOPE,person,李四,2006-03-01\n"
    ).encode("gb18030")
    response = client.post(
        reverse("admin:services_servicecase_import"),
        {"file": SimpleUploadedFile("export.csv", csv_bytes, content_type="text/csv")},
    )
    assert response.status_code == 200
    assert response.context["report"].created == 1
    assert 'data-line="3"' in response.content.decode()
    assert list(ServiceCase.objects.values_list("case_no", flat=True)) == ["AD-1"]


def test_admin_joint_meeting_action_completes_deemed_cases(client):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    case = ServiceCaseFactory(
        status=ServiceCase.Status.DEEMED_APPROVED,
        accepted_on=datetime.date(2026, 1, 5),
        due_date=datetime.date(2026, 1, 7),
        deemed_approved_on=datetime.date(2026, 1, 8),
    )
    response = client.post(
        reverse("admin:services_servicecase_changelist"),
        {"action": "complete_by_joint_meeting", "_selected_action": [case.pk]},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == ServiceCase.Status.COMPLETED and case.result == "approved"


def test_admin_bulk_accept_and_approve_through_the_actions(client):
    client.force_login(UserFactory(is_superuser=True))
    received = ServiceCaseFactory(received_on=datetime.date(2026, 1, 5))
    done = ServiceCaseFactory(
        status=ServiceCase.Status.COMPLETED,
        completed_on=datetime.date(2026, 1, 6),
        result="approved",
    )
    url = reverse("admin:services_servicecase_changelist")
    client.post(url, {"action": "accept_today", "_selected_action": [received.pk, done.pk]})
    received.refresh_from_db()
    done.refresh_from_db()
    assert received.status == ServiceCase.Status.ACCEPTED and received.due_date is not None
    assert done.status == ServiceCase.Status.COMPLETED  # refused by the state machine
    client.post(url, {"action": "approve_today", "_selected_action": [received.pk]})
    received.refresh_from_db()
    assert received.status == ServiceCase.Status.COMPLETED
    assert received.events.count() == 2


def test_admin_bulk_accept_leaves_a_case_asked_for_corrections_since_the_list_was_loaded(client):
    client.force_login(UserFactory(is_superuser=True))
    received = ServiceCaseFactory(received_on=datetime.date(2026, 1, 5))
    # given: the list showed both as received; a colleague then asked for corrections on one
    corrected = ServiceCaseFactory(
        received_on=datetime.date(2026, 1, 5),
        status=ServiceCase.Status.CORRECTION_REQUESTED,
    )
    url = reverse("admin:services_servicecase_changelist")
    response = client.post(
        url,
        {"action": "accept_today", "_selected_action": [received.pk, corrected.pk]},
        follow=True,
    )
    received.refresh_from_db()
    corrected.refresh_from_db()
    assert received.status == ServiceCase.Status.ACCEPTED
    # then: the case waiting for corrected materials is untouched, and the official is told
    assert corrected.status == ServiceCase.Status.CORRECTION_REQUESTED
    assert corrected.accepted_on is None and corrected.events.count() == 0
    shown = [str(message) for message in response.context["messages"]]
    labels = set()
    for language in ("en", "zh-hans"):
        with translation.override(language):
            labels.add(f"“{ServiceCase.Status.CORRECTION_REQUESTED.label}”")
    assert any(
        message.startswith(f"{corrected.case_no}: ") and any(label in message for label in labels)
        for message in shown
    ), shown
