"""Officials' admin: the number of queries does not grow with the registered models or the rows.

Officials keep the admin open all day. The admin index asks every registered model for its
module and view permissions, and every scoped admin asks the scoping selectors
(`entity_ids_for_official`, `institution_ids_for_official`) for the official's departments:
those are computed once per request (memoised on the user object), so the index costs a fixed
number of queries, and each main changelist costs the same with 1 row as with 20.
"""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from disclosure.models import AdministrativeEntity
from disclosure.models.memberships import EntityMembership
from disclosure.selectors.institutions import institution_ids_for_official
from disclosure.selectors.memberships import entity_ids_for_official, forget_official_scope
from tests.factories.complaints import (
    ComplaintFactory,
    InspectionVisitFactory,
    RectificationProjectFactory,
)
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    FeeItemFactory,
    PublicInstitutionFactory,
    TopicFactory,
    UserFactory,
    make_request,
)
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory
from tests.workspace.officials import official, one_of_each

pytestmark = pytest.mark.django_db

# What a department officer's admin index costs with records of every queue kind: session,
# user, permissions (2), group check, the entity scope (memberships, the entity tree: once), the
# work-queue counts (6: one per source, both counts in one aggregate; were 12) and the recent
# actions. Before the scope was memoised per request it was 86 and grew with every registered
# model. Raise it only for a new fixed query, never for one per model or per row.
OFFICER_INDEX_QUERIES = 14


def _queries(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured.captured_queries), response


@pytest.fixture
def department() -> AdministrativeEntity:
    return AdministrativeEntityFactory()


def test_the_officers_admin_index_costs_a_fixed_number_of_queries(client, department) -> None:
    one_of_each(department, timezone.localdate())
    client.force_login(official("department_officer", department))
    client.get("/admin/")  # warm the session and content types

    count, response = _queries(client, "/admin/")
    for _ in range(3):
        one_of_each(department, timezone.localdate())
    count_with_more_rows, _response = _queries(client, "/admin/")

    assert count <= OFFICER_INDEX_QUERIES
    assert count_with_more_rows == count
    assert response.context["app_list"]  # the officer sees their models


@pytest.mark.parametrize("url", ["/admin/", "/admin/disclosure/feeitem/"])
def test_the_officers_scope_is_asked_of_the_database_once_per_request(
    client, department, url: str
) -> None:
    FeeItemFactory(institution=PublicInstitutionFactory(supervising_department=department))
    client.force_login(official("department_officer", department))
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    sql = [query["sql"] for query in captured.captured_queries]

    assert sum('FROM "disclosure_entitymembership"' in s for s in sql) == 1
    # The institutions are read for the fee list (once), not for the index's permission checks.
    institutions = sum('FROM "disclosure_publicinstitution"' in s for s in sql)
    assert institutions == (1 if "feeitem" in url else 0)


def test_the_memo_does_not_outlive_the_request(client, department) -> None:
    """A membership added between two requests counts in the second one."""
    officer = official("department_officer", department)
    other = AdministrativeEntityFactory()
    item = ServiceItemFactory(entity=other, name="另一部门的事项")
    url = reverse("admin:services_serviceitem_change", args=[item.pk])
    client.force_login(officer)
    assert client.get(url).status_code in (302, 404)

    EntityMembership.objects.create(user=officer, entity=other)

    assert client.get(url).status_code == 200


def test_the_memo_belongs_to_one_user_object(department) -> None:
    officer = official("department_officer", department)
    stranger = official("department_officer")

    assert entity_ids_for_official(officer) == {department.pk}
    assert entity_ids_for_official(stranger) == set()
    mine = entity_ids_for_official(officer)
    mine.add(-1)  # a caller's copy; the memo is not changed
    assert entity_ids_for_official(officer) == {department.pk}


def test_forget_official_scope_reads_the_memberships_again(department) -> None:
    officer = official("department_officer", department)
    other = AdministrativeEntityFactory()
    institution = PublicInstitutionFactory(supervising_department=other)
    assert entity_ids_for_official(officer) == {department.pk}
    assert institution_ids_for_official(officer) == set()

    EntityMembership.objects.create(user=officer, entity=other)
    assert entity_ids_for_official(officer) == {department.pk}  # same request: memoised
    forget_official_scope(officer)

    assert entity_ids_for_official(officer) == {department.pk, other.pk}
    assert institution_ids_for_official(officer) == {institution.pk}


# --- changelists: 1 row costs what 20 rows cost ---------------------------------------------


def _unit(department: AdministrativeEntity) -> AdministrativeEntity:
    """A unit below the officer's department: in scope, and a different related row each time."""
    return AdministrativeEntityFactory(parent=department)


def _entry_under_a_subtopic(department: AdministrativeEntity) -> object:
    """An entry whose topic has a parent: the topic filter labels it "parent / topic"."""
    topic = TopicFactory(parent=TopicFactory())
    return CatalogueEntryFactory(publisher=_unit(department), topic=topic)


BUILDERS: dict[str, Callable[[AdministrativeEntity], object]] = {
    "disclosure_catalogueentry": _entry_under_a_subtopic,
    "disclosure_administrativeentity": _unit,
    "disclosure_publicinstitution": lambda d: PublicInstitutionFactory(
        supervising_department=_unit(d)
    ),
    "disclosure_feeitem": lambda d: FeeItemFactory(
        institution=PublicInstitutionFactory(supervising_department=_unit(d))
    ),
    "services_serviceitem": lambda d: ServiceItemFactory(entity=_unit(d)),
    "services_servicecase": lambda d: ServiceCaseFactory(item=ServiceItemFactory(entity=_unit(d))),
    "complaints_complaint": lambda d: ComplaintFactory(entity=_unit(d)),
    "disclosure_informationrequest": lambda d: make_request(entity=_unit(d)),
    "complaints_inspectionvisit": lambda d: InspectionVisitFactory(entity=_unit(d)),
    "complaints_rectificationproject": lambda d: RectificationProjectFactory(
        responsible_entity=_unit(d)
    ),
}

# Not reachable (403), so not measured: the department officer does not read inspection visits
# (the supervision bureau's records).
UNREACHABLE = {
    ("complaints_inspectionvisit", "department_officer"),
}
CASES = [
    (changelist, role)
    for changelist in BUILDERS
    for role in ("superuser", "department_officer", "auditor")
    if (changelist, role) not in UNREACHABLE
]


def _user(role: str, department: AdministrativeEntity) -> object:
    if role == "superuser":
        return UserFactory(is_superuser=True)
    return official(role, department)


@pytest.mark.parametrize(("changelist", "role"), CASES)
def test_a_changelist_costs_the_same_with_1_row_and_with_20(
    client, department, changelist: str, role: str
) -> None:
    build = BUILDERS[changelist]
    url = reverse(f"admin:{changelist}_changelist")
    client.force_login(_user(role, department))
    build(department)
    client.get(url)  # warm the session and content types

    one, response = _queries(client, url)
    shown_with_one = response.context["cl"].result_count
    for _ in range(19):
        build(department)
    twenty, response = _queries(client, url)

    assert response.context["cl"].result_count == shown_with_one + 19
    assert twenty == one


def test_the_topic_filter_lists_the_topics_in_use_under_their_parents(client, department) -> None:
    used = _entry_under_a_subtopic(department).topic
    other = _entry_under_a_subtopic(department)
    unused = TopicFactory(parent=TopicFactory(), name="无人使用的主题")
    client.force_login(official("department_officer", department))
    url = reverse("admin:disclosure_catalogueentry_changelist")

    page = client.get(url).content.decode()
    filtered = client.get(url, {"topic__id__exact": used.pk})

    assert f"{used.parent.name} / {used.name}" in page
    assert unused.name not in page
    assert filtered.context["cl"].result_count == 1
    assert other.title not in filtered.content.decode()
