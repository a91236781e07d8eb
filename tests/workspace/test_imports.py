"""Bulk import: dry-run preview, row-level errors, department scope, and the round trip."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from disclosure.models import (
    AdministrativeEntity,
    CatalogueEntry,
    EntityMembership,
    FeeItem,
    PublicInstitution,
)
from services.models import ServiceItem
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    FeeItemFactory,
    PublicInstitutionFactory,
    UserFactory,
)
from tests.factories.services import ServiceItemFactory
from workspace.imports import ACTION_LABELS

pytestmark = pytest.mark.django_db

KINDS = [
    ("entities", AdministrativeEntity),
    ("institutions", PublicInstitution),
    ("fee-items", FeeItem),
    ("service-items", ServiceItem),
    ("catalogue-entries", CatalogueEntry),
]


def export_csv(client, model) -> str:
    meta = model._meta
    response = client.post(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
        {
            "action": "export_csv",
            "index": 0,
            "select_across": 1,
            "_selected_action": list(model.objects.values_list("pk", flat=True)[:1]),
        },
    )
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


def rows(text: str, *, without=("id",)) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in without}
        for row in csv.DictReader(io.StringIO(text))
    ]


def preview(client, kind, text, name="data.csv"):
    upload = SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")
    return client.post(reverse("admin:workspace_import", args=[kind]), {"file": upload})


def confirm(client, kind, preview_response):
    payload = preview_response.context["payload"]
    return client.post(
        reverse("admin:workspace_import", args=[kind]), {"payload": payload, "confirm": "1"}
    )


def make_records():
    """One record of each kind, all drafts (an import creates drafts)."""
    entity = AdministrativeEntityFactory(status=AdministrativeEntity.Status.DRAFT, phone="0411-1")
    institution = PublicInstitutionFactory(supervising_department=entity)
    FeeItemFactory(
        institution=institution, status=FeeItem.Status.DRAFT, amount_max=Decimal("600.00")
    )
    ServiceItemFactory(entity=entity)
    CatalogueEntryFactory(publisher=entity)
    return entity


def test_round_trip_export_then_import_into_an_empty_database_gives_the_same_records(root):
    make_records()
    exported = {kind: export_csv(root, model) for kind, model in KINDS}
    for kind, text in exported.items():
        (row,) = rows(text)
        assert len([value for value in row.values() if value]) >= 4, kind

    # empty the database of these kinds (children first)
    for _kind, model in reversed(KINDS):
        model.objects.all().delete()
        assert not model.objects.exists()

    for kind, _model in KINDS:
        response = preview(root, kind, exported[kind])
        assert response.status_code == 200
        assert not response.context["has_errors"], response.context["lines"]
        assert [line.action for line in response.context["lines"]] == [str(ACTION_LABELS["new"])]
        assert confirm(root, kind, response).status_code == 302

    for kind, model in KINDS:
        assert rows(export_csv(root, model)) == rows(exported[kind]), kind


def test_the_preview_writes_nothing_and_shows_each_row(root):
    entity = make_records()
    text = export_csv(root, ServiceItem).replace("测试许可事项", "改名许可事项")
    before = list(ServiceItem.objects.values_list("name", flat=True))

    response = preview(root, "service-items", text)

    assert response.status_code == 200
    assert [line.action for line in response.context["lines"]] == [str(ACTION_LABELS["update"])]
    assert "确认导入" in response.text or "Confirm import" in response.text
    assert list(ServiceItem.objects.values_list("name", flat=True)) == before

    confirm(root, "service-items", response)
    item = ServiceItem.objects.get(entity=entity)
    assert item.name.startswith("改名许可事项")
    # written through the action: the history names the official
    assert item.history.first().history_user.username == "root"


def test_row_level_errors_name_the_line_and_nothing_is_imported(root):
    make_records()
    text = export_csv(root, ServiceItem)
    header, first = text.strip().splitlines()[:2]
    bad = first.replace(",10,2,", ",2,10,")  # committed 10 days > statutory 2
    assert bad != first
    unknown = first.replace(first.split(",")[1], "21020321XK99999000").replace(
        first.split(",")[4], "913700000000000000"
    )
    file_text = "\n".join([header, first, bad.replace(first.split(",")[1], "NEW-CODE-1"), unknown])

    response = preview(root, "service-items", file_text)

    lines = response.context["lines"]
    assert response.context["has_errors"]
    assert "payload" not in response.context  # no confirm button
    assert [line.line for line in lines if line.errors] == [3, 4]
    assert any("statutory" in e or "法定" in e for e in lines[1].errors)
    assert not ServiceItem.objects.filter(implementation_code="NEW-CODE-1").exists()


def test_an_officer_may_not_import_rows_of_another_department(client):
    mine, theirs = AdministrativeEntityFactory(), AdministrativeEntityFactory()
    officer = UserFactory(
        perms=[
            "services.manage_serviceitem",
            "services.add_serviceitem",
            "services.change_serviceitem",
            "services.view_serviceitem",
        ]
    )
    EntityMembership.objects.create(user=officer, entity=mine)
    client.force_login(officer)
    header = "implementation_code,basic_code,name,kind,entity,statutory_days,committed_days,is_free"
    text = "\n".join(
        [
            header,
            f"MINE-1,B1,本局新事项,licensing,{mine.credit_code},10,5,1",
            f"THEIRS-1,B2,他局新事项,licensing,{theirs.credit_code},10,5,1",
        ]
    )

    response = preview(client, "service-items", text)

    lines = response.context["lines"]
    assert lines[0].errors == []
    assert lines[1].errors and "部门" in lines[1].errors[0]
    assert not ServiceItem.objects.exists()


def test_a_file_that_is_not_a_table_gets_a_field_error_not_a_500(root):
    upload = SimpleUploadedFile("data.xlsx", b"not a workbook", content_type="application/zip")

    response = root.post(reverse("admin:workspace_import", args=["entities"]), {"file": upload})

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_an_official_without_permission_to_add_or_change_cannot_open_the_import(client):
    client.force_login(UserFactory(perms=["services.view_serviceitem"]))

    assert client.get(reverse("admin:workspace_import", args=["service-items"])).status_code == 404
    assert client.get(reverse("admin:workspace_import", args=["no-such-kind"])).status_code == 404


def test_the_list_links_to_the_import_for_those_who_may_import(client, root):
    entity = AdministrativeEntityFactory()
    ServiceItemFactory(entity=entity)
    import_url = reverse("admin:workspace_import", args=["service-items"])
    changelist = reverse("admin:services_serviceitem_changelist")

    assert import_url in root.get(changelist).text

    viewer = UserFactory(perms=["services.view_serviceitem"])
    EntityMembership.objects.create(user=viewer, entity=entity)
    client.force_login(viewer)
    assert import_url not in client.get(changelist).text
    assert client.get(reverse("admin:workspace_import_index")).status_code == 200
