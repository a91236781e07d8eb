"""Public institutions' pages and API: visibility, complaint link, query counts, bad input."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from disclosure.models import EntityMembership
from disclosure.models.institutions import FeeItem, InstitutionDisclosure
from tests.factories.disclosure import (
    DisclosureItemKindFactory,
    FeeItemFactory,
    InstitutionDisclosureFactory,
    PublicInstitutionFactory,
    SectorFactory,
    SectorRequirementFactory,
    institution_keeper,
)

pytestmark = pytest.mark.django_db


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _populate(sector, count: int) -> None:  # noqa: ANN001
    kinds = [SectorRequirementFactory(sector=sector).kind for _ in range(2)]
    for _ in range(count):
        institution = PublicInstitutionFactory(sector=sector)
        for kind in kinds:
            InstitutionDisclosureFactory(institution=institution, kind=kind)
        FeeItemFactory(institution=institution, name="保育教育费")


def test_institution_page_shows_published_items_fees_and_the_complaint_link(client) -> None:
    institution = PublicInstitutionFactory(supervision_phone="0411-83630358")
    shown = InstitutionDisclosureFactory(
        institution=institution, content="<p>24小时值班<script>x()</script></p>"
    )
    InstitutionDisclosureFactory(
        institution=institution,
        content="<p>草稿内容不可见</p>",
        status=InstitutionDisclosure.Status.DRAFT,
    )
    InstitutionDisclosureFactory(
        institution=institution,
        content="<p>已撤回内容</p>",
        status=InstitutionDisclosure.Status.WITHDRAWN,
    )
    FeeItemFactory(
        institution=institution,
        name="保育教育费",
        amount_min=Decimal("280"),
        amount_max=Decimal("450"),
    )
    FeeItemFactory(
        institution=institution, name="草稿收费", status=FeeItem.Status.DRAFT, legal_basis=""
    )
    FeeItemFactory(institution=institution, name="过期收费", valid_to=datetime.date(2007, 1, 1))
    page = client.get(f"/institutions/{institution.pk}/").content.decode()
    assert "24小时值班" in page and "<script>" not in page
    assert shown.kind.name in page
    assert "草稿内容不可见" not in page and "已撤回内容" not in page
    assert "保育教育费" in page and "280.00–450.00" in page
    assert "草稿收费" not in page and "过期收费" not in page
    assert "0411-83630358" in page
    assert f'href="/complaints/new/?institution={institution.pk}"' in page


def test_inactive_institution_is_404(client) -> None:
    institution = PublicInstitutionFactory(is_active=False)
    assert client.get(f"/institutions/{institution.pk}/").status_code == 404
    assert client.get(f"/api/v1/disclosure/institutions/{institution.pk}/").status_code == 404


def test_index_lists_sectors_and_departments(client) -> None:
    institution = PublicInstitutionFactory()
    page = client.get("/institutions/").content.decode()
    assert f"/institutions/sectors/{institution.sector.code}/" in page
    assert f"/institutions/departments/{institution.supervising_department.pk}/" in page
    assert client.get("/en/institutions/").status_code == 200


def test_sector_page_ranks_by_completeness(client) -> None:
    sector = SectorFactory()
    kinds = [SectorRequirementFactory(sector=sector).kind for _ in range(2)]
    half = PublicInstitutionFactory(sector=sector, name="甲校")
    full = PublicInstitutionFactory(sector=sector, name="乙校")
    InstitutionDisclosureFactory(institution=half, kind=kinds[0])
    for kind in kinds:
        InstitutionDisclosureFactory(institution=full, kind=kind)
    page = client.get(f"/institutions/sectors/{sector.code}/").content.decode()
    assert page.index("乙校") < page.index("甲校")
    assert "100.0%" in page and "50.0%" in page
    assert client.get("/institutions/sectors/no-such-sector/").status_code == 404


def test_department_page_lists_its_institutions(client) -> None:
    institution = PublicInstitutionFactory(name="甲幼儿园")
    PublicInstitutionFactory(name="别的部门的医院")
    page = client.get(
        f"/institutions/departments/{institution.supervising_department.pk}/"
    ).content.decode()
    assert "甲幼儿园" in page and "别的部门的医院" not in page


def test_sector_fee_comparison(client) -> None:
    sector = SectorFactory()
    FeeItemFactory(
        institution__sector=sector,
        name="伙食费",
        amount_min=Decimal("6"),
        unit=FeeItem.Unit.PER_DAY,
    )
    FeeItemFactory(
        institution__sector=sector,
        name="伙食费",
        amount_min=Decimal("8"),
        amount_max=Decimal("10"),
        unit=FeeItem.Unit.PER_DAY,
    )
    response = client.get(f"/institutions/sectors/{sector.code}/fees/")
    rows = response.context["comparison"]
    assert [(r.name, r.institutions, r.lowest, r.highest) for r in rows] == [
        ("伙食费", 2, Decimal("6.00"), Decimal("10.00"))
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/institutions/",
        "/institutions/completeness/",
        "/institutions/sectors/{code}/",
        "/institutions/sectors/{code}/fees/",
        "/institutions/fees/?q=保育",
        "/api/v1/disclosure/institutions/",
        "/api/v1/disclosure/institution-items/",
        "/api/v1/disclosure/fees/?q=保育",
    ],
)
def test_list_query_counts_do_not_grow(client, url: str) -> None:
    sector = SectorFactory(code="kg")
    _populate(sector, 1)
    url = url.format(code=sector.code)
    first = _queries(client, url)
    _populate(sector, 19)
    assert _queries(client, url) == first


def test_institution_page_query_count_does_not_grow(client) -> None:
    institution = PublicInstitutionFactory()
    requirement = SectorRequirementFactory(sector=institution.sector)
    InstitutionDisclosureFactory(institution=institution, kind=requirement.kind)
    FeeItemFactory(institution=institution)
    first = _queries(client, f"/institutions/{institution.pk}/")
    for _ in range(19):
        kind = SectorRequirementFactory(sector=institution.sector).kind
        InstitutionDisclosureFactory(institution=institution, kind=kind)
        FeeItemFactory(institution=institution)
    assert _queries(client, f"/institutions/{institution.pk}/") == first


def test_department_page_query_count_does_not_grow(client) -> None:
    institution = PublicInstitutionFactory()
    department = institution.supervising_department
    url = f"/institutions/departments/{department.pk}/"
    first = _queries(client, url)
    PublicInstitutionFactory.create_batch(19, supervising_department=department)
    assert _queries(client, url) == first


def test_officials_pages_are_scoped_and_query_counts_do_not_grow(client) -> None:
    sector = SectorFactory()
    kind = SectorRequirementFactory(sector=sector).kind
    mine = PublicInstitutionFactory(sector=sector, name="本部门学校")
    PublicInstitutionFactory(sector=sector, name="外部门学校")
    FeeItemFactory(institution=mine, name="补课费", legal_basis="", status=FeeItem.Status.DRAFT)
    official = institution_keeper()
    EntityMembership.objects.create(user=official, entity=mine.supervising_department)
    client.force_login(official)
    review = client.get("/institutions/review/").content.decode()
    assert "本部门学校" in review and "外部门学校" not in review
    assert f'data-code="{kind.code}"' in review
    inspection = client.get("/institutions/fees/self-inspection/")
    assert inspection.context["without_basis"] == 1
    assert 'class="no-basis"' in inspection.content.decode()
    first = [
        _queries(client, "/institutions/review/"),
        _queries(client, "/institutions/fees/self-inspection/"),
    ]
    for _ in range(19):
        other = PublicInstitutionFactory(
            sector=sector, supervising_department=mine.supervising_department
        )
        FeeItemFactory(institution=other)
    assert [
        _queries(client, "/institutions/review/"),
        _queries(client, "/institutions/fees/self-inspection/"),
    ] == first


def test_officials_pages_need_a_login(client) -> None:
    assert client.get("/institutions/review/").status_code == 302
    assert client.get("/institutions/fees/self-inspection/").status_code == 302


def test_api_serves_only_published_items_and_fees(client) -> None:
    institution = PublicInstitutionFactory()
    InstitutionDisclosureFactory(institution=institution, status=InstitutionDisclosure.Status.DRAFT)
    published = InstitutionDisclosureFactory(
        institution=institution, content="<p>公开</p><script>1</script>"
    )
    FeeItemFactory(institution=institution, status=FeeItem.Status.DRAFT, legal_basis="")
    fee = FeeItemFactory(institution=institution)
    items = client.get("/api/v1/disclosure/institution-items/").json()["results"]
    assert [row["id"] for row in items] == [published.pk]
    assert "<script>" not in items[0]["content"]
    fees = client.get("/api/v1/disclosure/fees/").json()["results"]
    assert [row["id"] for row in fees] == [fee.pk]
    assert fees[0]["amount_min"] == "450.00"


def test_api_institution_filters_and_bad_sector(client) -> None:
    a = PublicInstitutionFactory(sector=SectorFactory(code="kg"))
    PublicInstitutionFactory(sector=SectorFactory(code="hospital"))
    rows = client.get("/api/v1/disclosure/institutions/?sector=kg").json()["results"]
    assert [row["id"] for row in rows] == [a.pk]
    response = client.get("/api/v1/disclosure/institutions/?sector=unknown")
    assert response.status_code == 400 and "sector" in response.json()
    response = client.get("/api/v1/disclosure/fees/?max_amount=-5")
    assert response.status_code == 400 and "max_amount" in response.json()
    response = client.get("/api/v1/disclosure/fees/?unit=per_century")
    assert response.status_code == 400 and "unit" in response.json()


def test_api_is_in_the_schema(client) -> None:
    schema = client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/disclosure/institutions/",
        "/api/v1/disclosure/institutions/{id}/",
        "/api/v1/disclosure/institution-items/",
        "/api/v1/disclosure/fees/",
    ):
        assert path in schema["paths"], path


def test_no_personal_data_of_accounts_on_public_pages_or_api(client) -> None:
    institution = PublicInstitutionFactory()
    account = institution_keeper(username="zhoumin_private", email="zhoumin@private.example")
    institution.memberships.create(user=account)
    InstitutionDisclosureFactory(institution=institution, kind=DisclosureItemKindFactory())
    FeeItemFactory(institution=institution)
    for url in (
        f"/institutions/{institution.pk}/",
        "/api/v1/disclosure/institutions/",
        "/api/v1/disclosure/institution-items/",
        "/api/v1/disclosure/fees/",
    ):
        body = client.get(url).content.decode()
        assert "zhoumin" not in body, url
