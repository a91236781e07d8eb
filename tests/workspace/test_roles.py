"""Roles: one group per role, created by the migration and `sync_roles`, with the right powers."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse

from disclosure.actions.catalogue import catalogue_entry_publish
from disclosure.models import CatalogueEntry
from tests.factories.complaints import InspectionVisitFactory, RectificationProjectFactory
from tests.factories.disclosure import AdministrativeEntityFactory, CatalogueEntryFactory
from tests.factories.workflow import seen_url
from tests.workspace.officials import official
from workspace.roles import ROLES, ROLES_BY_KEY, role_missing_permissions, sync_roles

pytestmark = pytest.mark.django_db

GROUP_NAMES = ["区级管理员", "区政务公开办", "部门工作人员", "区监察局", "特邀监察员", "审计员"]


def _codenames(role_key: str) -> set[str]:
    group = Group.objects.get(name=ROLES_BY_KEY[role_key].group_name)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def test_the_migration_created_one_group_per_role_with_chinese_names() -> None:
    names = set(Group.objects.values_list("name", flat=True))
    assert set(GROUP_NAMES) <= names
    assert [role.group_name for role in ROLES] == GROUP_NAMES
    for role in ROLES:
        assert Group.objects.get(name=role.group_name).permissions.exists()


def test_every_named_permission_exists() -> None:
    for role in ROLES:
        assert role_missing_permissions(role) == [], role.key


def test_sync_roles_is_rerunnable_and_restores_a_removed_permission() -> None:
    sync_roles()
    group = Group.objects.get(name="区政务公开办")
    publish = Permission.objects.get(codename="publish_catalogueentry")
    group.permissions.remove(publish)
    before = Group.objects.count()
    out = io.StringIO()
    call_command("sync_roles", stdout=out)
    call_command("sync_roles", stdout=out)
    assert Group.objects.count() == before
    assert group.permissions.filter(pk=publish.pk).exists()
    assert "区政务公开办" in out.getvalue()


def test_sync_roles_removes_a_permission_the_role_should_not_hold() -> None:
    group = Group.objects.get(name="审计员")
    group.permissions.add(Permission.objects.get(codename="change_catalogueentry"))
    sync_roles()
    assert "disclosure.change_catalogueentry" not in _codenames("auditor")


def test_auditor_holds_view_permissions_only() -> None:
    codenames = _codenames("auditor")
    assert "disclosure.view_catalogueentry" in codenames
    assert "complaints.view_complaint" in codenames
    assert "services.view_servicecase" in codenames
    changes = {name for name in codenames if not name.split(".")[1].startswith("view_")}
    # the one non-view codename widens what the auditor reads to every department
    assert changes == {"disclosure.act_for_all_entities"}


def test_only_the_district_administrator_may_delete() -> None:
    for role in ROLES:
        deletes = {name for name in _codenames(role.key) if ".delete_" in name}
        if role.key == "district_administrator":
            assert "disclosure.delete_catalogueentry" in deletes
        else:
            assert deletes == set(), role.key


def test_roles_hold_their_workflow_codenames() -> None:
    assert {
        "disclosure.review_catalogueentry",
        "disclosure.publish_catalogueentry",
        "disclosure.handle_informationrequest",
        "disclosure.publish_annualreport",
        "disclosure.act_for_all_entities",
    } <= _codenames("disclosure_office")
    assert {
        "services.handle_servicecase",
        "disclosure.handle_informationrequest",
        "complaints.report_rectification_progress",
    } <= _codenames("department_officer")
    assert "disclosure.publish_catalogueentry" not in _codenames("department_officer")
    assert "disclosure.act_for_all_entities" not in _codenames("department_officer")
    assert {
        "complaints.handle_complaint",
        "complaints.supervise_complaints",
        "complaints.manage_supervision",
    } <= _codenames("supervision_bureau")
    assert _codenames("invited_supervisor") >= {"complaints.record_own_visits"}
    assert "complaints.manage_supervision" not in _codenames("invited_supervisor")


def test_auditor_reads_an_entry_in_the_admin_but_cannot_change_or_publish_it(client) -> None:
    auditor = official("auditor")
    entry = CatalogueEntryFactory(
        publisher=AdministrativeEntityFactory(), status=CatalogueEntry.Status.IN_REVIEW
    )
    client.force_login(auditor)
    url = reverse("admin:disclosure_catalogueentry_change", args=[entry.pk])
    # reads it
    response = client.get(url)
    assert response.status_code == 200
    assert entry.title in response.content.decode()
    assert 'name="_save"' not in response.content.decode()
    # cannot change it
    response = client.post(url, {"title": "改过的标题"})
    assert response.status_code == 403
    # nor publish it, by the admin's button or the action
    publish_url = seen_url(
        reverse("admin:disclosure_catalogueentry_workflow", args=[entry.pk, "publish"]), entry
    )
    client.post(publish_url, {"note": ""})
    with pytest.raises(PermissionDenied):
        catalogue_entry_publish(entry=entry, by=auditor)
    entry.refresh_from_db()
    assert entry.status == CatalogueEntry.Status.IN_REVIEW
    assert entry.title != "改过的标题"


def test_disclosure_office_publishes_any_departments_entry() -> None:
    office = official("disclosure_office")
    entry = CatalogueEntryFactory(
        publisher=AdministrativeEntityFactory(), status=CatalogueEntry.Status.IN_REVIEW
    )
    catalogue_entry_publish(entry=entry, by=office)
    entry.refresh_from_db()
    assert entry.status == CatalogueEntry.Status.PUBLISHED


def test_auditor_reads_every_inspection_visit_but_cannot_change_one(client) -> None:
    # given a visit by a supervisor the auditor has nothing to do with
    visit = InspectionVisitFactory()
    auditor = official("auditor")
    client.force_login(auditor)

    # when the auditor opens the visits in the admin
    listing = client.get(reverse("admin:complaints_inspectionvisit_changelist"))
    url = reverse("admin:complaints_inspectionvisit_change", args=[visit.pk])
    page = client.get(url)

    # then the visit is listed and readable, and a change is refused
    assert listing.status_code == 200
    assert f"/{visit.pk}/change/" in listing.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"score": "1"}).status_code == 403


def test_auditor_reads_every_rectification_project_but_cannot_change_one(client) -> None:
    project = RectificationProjectFactory()
    client.force_login(official("auditor"))

    listing = client.get(reverse("admin:complaints_rectificationproject_changelist"))
    url = reverse("admin:complaints_rectificationproject_change", args=[project.pk])
    page = client.get(url)

    assert listing.status_code == 200
    assert project.number in listing.content.decode()
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(url, {"title": "改过的标题"}).status_code == 403
    project.refresh_from_db()
    assert project.title != "改过的标题"
