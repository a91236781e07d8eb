"""The fee search across all institutions: Chinese terms, ranges, units, visibility, bad input."""

import datetime
from decimal import Decimal

import pytest

from disclosure.models.institutions import FeeItem
from disclosure.selectors.institutions import fee_search
from tests.factories.disclosure import FeeItemFactory, PublicInstitutionFactory, SectorFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def fees() -> dict[str, FeeItem]:
    kg = SectorFactory(code="kindergarten")
    hospital = SectorFactory(code="hospital", field="health")
    kindergarten = PublicInstitutionFactory(name="西岗区中心幼儿园", sector=kg)
    school = PublicInstitutionFactory(name="西岗区启航培训学校", sector=SectorFactory(code="pe"))
    clinic = PublicInstitutionFactory(name="西岗区人民医院", sector=hospital)
    return {
        "tuition": FeeItemFactory(
            institution=school,
            name="学费（周末班）",
            amount_min=Decimal("1200"),
            amount_max=Decimal("2400"),
            unit=FeeItem.Unit.PER_TERM,
        ),
        "kg": FeeItemFactory(
            institution=kindergarten,
            name="保育教育费",
            amount_min=Decimal("280"),
            amount_max=Decimal("450"),
            unit=FeeItem.Unit.PER_MONTH,
        ),
        "register": FeeItemFactory(
            institution=clinic,
            name="专家门诊挂号费",
            category=FeeItem.Category.REGISTRATION,
            amount_min=Decimal("5"),
            amount_max=Decimal("10"),
            unit=FeeItem.Unit.PER_VISIT,
        ),
        "bed": FeeItemFactory(
            institution=clinic,
            name="普通病房床位费",
            category=FeeItem.Category.BED,
            amount_min=Decimal("15"),
            unit=FeeItem.Unit.PER_DAY,
        ),
        "draft": FeeItemFactory(
            institution=clinic, name="床位费（草稿）", legal_basis="", status=FeeItem.Status.DRAFT
        ),
        "expired": FeeItemFactory(
            institution=clinic, name="床位费（旧）", valid_to=datetime.date(2010, 12, 31)
        ),
        "future": FeeItemFactory(
            institution=clinic, name="床位费（新）", valid_from=datetime.date(2030, 1, 1)
        ),
    }


def _names(**kwargs: object) -> set[str]:
    return {fee.name for fee in fee_search(day=TODAY, **kwargs)}


def test_chinese_terms_match_inside_names(fees) -> None:
    assert _names(q="学费") == {"学费（周末班）"}
    assert _names(q="挂号") == {"专家门诊挂号费"}
    assert _names(q="床位") == {"普通病房床位费"}  # not the draft, expired or future ones
    assert _names(q="保育") == {"保育教育费"}
    assert _names(q="幼儿园") == {"保育教育费"}  # by institution name
    assert _names(q="人民医院 床位") == {"普通病房床位费"}  # every term must match
    assert _names(q="不存在的收费") == set()


def test_ranges_match_by_their_lowest_amount(fees) -> None:
    # 保育教育费 is 280–450: "at most 300" finds it, "at most 200" does not
    assert "保育教育费" in _names(max_amount=Decimal("300"))
    assert "保育教育费" not in _names(max_amount=Decimal("200"))
    assert _names(max_amount=Decimal("5")) == {"专家门诊挂号费"}


def test_units_and_sectors_filter(fees) -> None:
    assert _names(unit=FeeItem.Unit.PER_VISIT) == {"专家门诊挂号费"}
    assert _names(unit=FeeItem.Unit.PER_DAY) == {"普通病房床位费"}
    kg = fees["kg"].institution.sector
    assert _names(sector=kg) == {"保育教育费"}
    assert _names(category=FeeItem.Category.BED) == {"普通病房床位费"}


def test_search_page_shows_ranges_units_and_links(client, fees) -> None:
    response = client.get("/institutions/fees/", {"q": "保育"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "280.00–450.00" in page
    assert str(FeeItem.Unit.PER_MONTH.label) in page or "每月" in page
    assert f"/institutions/{fees['kg'].institution.pk}/#fees" in page


def test_search_page_filters_by_sector_code_and_unit(client, fees) -> None:
    response = client.get("/institutions/fees/", {"sector": "hospital", "unit": "per_day"})
    assert [fee.name for fee in response.context["page"].object_list] == ["普通病房床位费"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"max_amount": "-1"}, "max_amount"),
        ({"max_amount": "abc"}, "max_amount"),
        ({"sector": "no-such-sector"}, "sector"),
        ({"unit": "per_century"}, "unit"),
    ],
)
def test_bad_search_input_is_a_field_error(client, fees, params: dict, field: str) -> None:
    response = client.get("/institutions/fees/", params)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert 'class="field-error"' in response.content.decode()


def test_api_fee_search(client, fees) -> None:
    rows = client.get("/api/v1/disclosure/fees/", {"q": "挂号"}).json()["results"]
    assert [(r["name"], r["amount_min"], r["amount_max"], r["unit"]) for r in rows] == [
        ("专家门诊挂号费", "5.00", "10.00", "per_visit")
    ]
    rows = client.get("/api/v1/disclosure/fees/", {"sector": "hospital"}).json()["results"]
    assert {r["name"] for r in rows} == {"专家门诊挂号费", "普通病房床位费"}
