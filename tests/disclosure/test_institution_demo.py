"""The institutions demo: the seed's kinds of institution, items and fees; idempotent."""

import io

import pytest

from disclosure.demo import entities, institutions
from disclosure.models.institutions import FeeItem, InstitutionDisclosure, PublicInstitution
from disclosure.selectors.institutions import completeness_ranking

pytestmark = pytest.mark.django_db


def test_demo_loads_the_seeds_institutions_once() -> None:
    entities.load(out=io.StringIO())
    institutions.load(out=io.StringIO())
    counts = (
        PublicInstitution.objects.count(),
        InstitutionDisclosure.objects.count(),
        FeeItem.objects.count(),
    )
    institutions.load(out=io.StringIO())
    assert counts == (
        PublicInstitution.objects.count(),
        InstitutionDisclosure.objects.count(),
        FeeItem.objects.count(),
    )
    sectors = set(PublicInstitution.objects.values_list("sector__code", flat=True))
    assert {
        "primary-school",
        "middle-school",
        "kindergarten",
        "private-education",
        "hospital",
        "maternal-child-health",
        "health-supervision",
        "disease-prevention",
        "community-health",
    } <= sectors
    departments = set(
        PublicInstitution.objects.values_list("supervising_department__name", flat=True)
    )
    assert departments == {"西岗区教育局", "西岗区卫生局"}
    rows = [row for _sector, sector_rows in completeness_ranking() for row in sector_rows]
    assert any(row.missing for row in rows) and any(row.stale for row in rows)
    assert any(row.complete for row in rows)
    assert FeeItem.objects.filter(legal_basis="", approval_document="").count() == 1
