"""CSV and XLSX export of admin lists: scoped as the list, never personal data."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from complaints.models import Complaint
from disclosure.models import EntityMembership, InformationRequest
from services.models import ServiceCase, ServiceItem
from tests.factories.complaints import (
    COMPLAINANT_EMAIL,
    COMPLAINANT_MOBILE,
    COMPLAINANT_NAME,
    submit_complaint,
)
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    UserFactory,
    make_request,
    request_data,
)
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db


def export(client, model, action, pks=None):
    """Run the export action on the admin list of `model` (all rows when `pks` is None)."""
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    data = {"action": action, "index": 0}
    if pks is None:
        data["select_across"] = 1
        data["_selected_action"] = list(model.objects.values_list("pk", flat=True)[:1])
    else:
        data["_selected_action"] = pks
    return client.post(url, data)


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_text(response) -> str:
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return "\n".join(
        " ".join(str(cell) for cell in row if cell is not None)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def test_a_complaints_export_never_holds_the_complainant(root):
    complaint, _credentials = submit_complaint()

    rows = csv_rows(export(root, Complaint, "export_csv"))
    workbook = xlsx_text(export(root, Complaint, "export_xlsx"))

    assert [row["tracking_no"] for row in rows] == [complaint.tracking_no]
    flat = " ".join(" ".join(row.keys()) + " ".join(row.values()) for row in rows)
    for secret in (COMPLAINANT_NAME, COMPLAINANT_MOBILE, COMPLAINANT_EMAIL, "complainant"):
        assert secret not in flat
        assert secret not in workbook
    assert complaint.tracking_no in workbook


def test_a_requests_export_never_holds_the_applicant(root):
    data = request_data()
    request = make_request(contact_email="applicant@example.com")

    rows = csv_rows(export(root, InformationRequest, "export_csv"))
    workbook = xlsx_text(export(root, InformationRequest, "export_xlsx"))

    assert [row["tracking_no"] for row in rows] == [request.tracking_no]
    assert rows[0]["info_title"] == data["info_title"]
    flat = " ".join(" ".join(row.keys()) + " ".join(row.values()) for row in rows)
    for secret in (
        data["applicant_name"],
        data["id_number"],
        data["contact_phone"],
        "applicant@example.com",
        "id_number",
        "contact_",
    ):
        assert secret not in flat
        assert secret not in workbook


def test_a_cases_export_never_holds_the_applicant_or_their_contact(root):
    case = ServiceCaseFactory(applicant_name="赵隐私", applicant_contact="13711112222")

    rows = csv_rows(export(root, ServiceCase, "export_csv"))

    assert [row["case_no"] for row in rows] == [case.case_no]
    flat = " ".join(" ".join(row.keys()) + " ".join(row.values()) for row in rows)
    assert "赵隐私" not in flat
    assert "13711112222" not in flat


def test_a_department_officer_exports_only_their_departments_rows(client):
    mine, theirs = AdministrativeEntityFactory(), AdministrativeEntityFactory()
    own = ServiceItemFactory(entity=mine, name="本局事项")
    ServiceItemFactory(entity=theirs, name="他局事项")
    officer = UserFactory(perms=["services.view_serviceitem"])
    EntityMembership.objects.create(user=officer, entity=mine)
    client.force_login(officer)

    # all rows of the list
    rows = csv_rows(export(client, ServiceItem, "export_csv"))
    assert [row["implementation_code"] for row in rows] == [own.implementation_code]
    assert "他局事项" not in xlsx_text(export(client, ServiceItem, "export_xlsx"))

    # rows picked by id, one of them another department's (a forged form)
    every_pk = list(ServiceItem.objects.values_list("pk", flat=True))
    rows = csv_rows(export(client, ServiceItem, "export_csv", pks=every_pk))
    assert [row["name"] for row in rows] == ["本局事项"]


def test_export_is_offered_on_every_list_and_deletion_only_to_administrators(client):
    officer = UserFactory(perms=["services.view_serviceitem", "services.delete_serviceitem"])
    entity = AdministrativeEntityFactory()
    EntityMembership.objects.create(user=officer, entity=entity)
    ServiceItemFactory(entity=entity)
    client.force_login(officer)

    page = client.get(reverse("admin:services_serviceitem_changelist")).text

    assert 'value="export_csv"' in page
    assert 'value="export_xlsx"' in page
    assert 'value="delete_selected"' not in page


def test_the_export_reads_the_same_number_of_queries_for_1_and_20_rows(root):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    entity = AdministrativeEntityFactory()
    ServiceItemFactory(entity=entity)
    with CaptureQueriesContext(connection) as one:
        csv_rows(export(root, ServiceItem, "export_csv"))
    for _ in range(19):
        ServiceItemFactory(entity=entity)
    with CaptureQueriesContext(connection) as twenty:
        csv_rows(export(root, ServiceItem, "export_csv"))

    assert len(twenty) == len(one)
