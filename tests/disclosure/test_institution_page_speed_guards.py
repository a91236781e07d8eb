"""The institution page's fast path keeps its output: loader, context and query count.

`institution_page` loads an institution in one fixed statement instead of the prefetching
`institution_detail_queryset`; `institution_detail_context` hands the template plain rows with
dates and labels already as the filters printed them. These tests hold both to the old path.
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template.defaultfilters import date as date_filter
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from disclosure.models.institutions import FeeItem, InstitutionDisclosure
from disclosure.selectors.institutions import (
    completeness_of,
    institution_detail_queryset,
    institution_page,
)
from disclosure.views.institutions import institution_detail_context
from tests.factories.disclosure import (
    DisclosureItemKindFactory,
    FeeItemFactory,
    InstitutionDisclosureFactory,
    PublicInstitutionFactory,
    SectorRequirementFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
DAY = datetime.timedelta(days=1)
LONG_AGO = datetime.date(2001, 1, 1)


def _fields(instance: object) -> dict[str, str]:
    """Every concrete field's value as repr (so 450 and 450.00 differ), by attname."""
    return {
        field.attname: repr(getattr(instance, field.attname))
        for field in type(instance)._meta.concrete_fields
    }


def _varied_institution():  # noqa: ANN202
    """An institution with every case the page distinguishes, beside a second one."""
    institution = PublicInstitutionFactory(
        latitude=Decimal("38.914"),
        longitude=Decimal("121.6147"),
        website="https://example.org/a?b=1&c=<2>",
        address="西岗区<b>街</b> & 号",
    )
    other = PublicInstitutionFactory(sector=institution.sector)
    sector = institution.sector
    # The checklist: equal sort orders are ordered by code.
    kinds = [
        DisclosureItemKindFactory(code=code, name=name, sort_order=order)
        for code, name, order in (
            ("b-rules", "办事制度", 2),
            ("a-fees", "收费<标准>", 2),
            ("z-first", "监督电话", 1),
            ("m-missing", "未公开事项", 3),
            ("x-stale", "过期事项", 4),
        )
    ]
    for kind in kinds:
        SectorRequirementFactory(sector=sector, kind=kind)
    extra = DisclosureItemKindFactory(code="extra", name="另外公开", sort_order=0)
    for kind in (kinds[0], kinds[1], kinds[2], extra):
        InstitutionDisclosureFactory(
            institution=institution,
            kind=kind,
            content=f'<p>{kind.name}<script>x()</script><a href="javascript:y()">链接</a></p>',
            last_updated=TODAY - datetime.timedelta(days=10),
            next_review_due=TODAY + datetime.timedelta(days=355),
        )
    InstitutionDisclosureFactory(
        institution=institution,
        kind=kinds[4],
        last_updated=TODAY - datetime.timedelta(days=400),
        next_review_due=TODAY - datetime.timedelta(days=35),
    )
    InstitutionDisclosureFactory(
        institution=institution, kind=kinds[3], status=InstitutionDisclosure.Status.DRAFT
    )
    InstitutionDisclosureFactory(institution=other, kind=kinds[3])
    for name, category, low, high, valid_from, valid_to, status in (
        ("保育教育费", "tuition", "280", "450.5", datetime.date(2006, 9, 1), None, "published"),
        ("住宿费", "boarding", "100", None, datetime.date(2020, 1, 1), TODAY, "published"),
        ("伙食费", "meals", "12.5", "12.5", TODAY, TODAY + 9 * DAY, "published"),
        ("挂号费 & <x>", "registration", "0", None, datetime.date(2020, 1, 1), None, "published"),
        ("过期收费", "books", "1", None, LONG_AGO, TODAY - DAY, "published"),
        ("未来收费", "books", "1", None, TODAY + DAY, None, "published"),
        ("草稿收费", "books", "1", None, LONG_AGO, None, "draft"),
    ):  # fmt: skip
        FeeItemFactory(
            institution=institution,
            name=name,
            category=category,
            amount_min=Decimal(low),
            amount_max=Decimal(high) if high else None,
            valid_from=valid_from,
            valid_to=valid_to,
            status=status,
        )
    FeeItemFactory(institution=other, name="他单位收费")
    return institution


def test_institution_page_loads_what_the_prefetching_queryset_loads() -> None:
    # given
    institution = _varied_institution()
    # when
    fast = institution_page(pk=institution.pk, day=TODAY)
    slow = institution_detail_queryset(day=TODAY).get(pk=institution.pk)
    # then: the same rows, in the same order, with the same values (Decimal places included)
    assert _fields(fast) == _fields(slow)
    assert _fields(fast.sector) == _fields(slow.sector)
    assert fast.supervising_department.pk == slow.supervising_department.pk
    assert fast.supervising_department.name == slow.supervising_department.name
    assert [_fields(fee) for fee in fast.fees_in_force] == [
        _fields(fee) for fee in slow.fees_in_force
    ]
    assert [fee.name for fee in fast.fees_in_force] == [
        "住宿费",
        "伙食费",
        "挂号费 & <x>",
        "保育教育费",
    ]
    assert [(_fields(i), _fields(i.kind)) for i in fast.published_items] == [
        (_fields(i), _fields(i.kind)) for i in slow.published_items
    ]
    assert [i.kind.code for i in fast.published_items] == [
        "extra",
        "z-first",
        "a-fees",
        "b-rules",
        "x-stale",
    ]
    assert [(_fields(r), _fields(r.kind)) for r in fast.sector.checklist] == [
        (_fields(r), _fields(r.kind)) for r in slow.sector.checklist
    ]
    assert [r.kind.code for r in fast.sector.checklist] == [
        "z-first",
        "a-fees",
        "b-rules",
        "m-missing",
        "x-stale",
    ]
    fast_completeness = completeness_of(institution=fast, today=TODAY)
    slow_completeness = completeness_of(institution=slow, today=TODAY)
    assert fast_completeness.percentage == slow_completeness.percentage == Decimal("60.0")
    assert [k.code for k in fast_completeness.missing] == ["m-missing"]
    assert [i.kind.code for i in fast_completeness.stale] == ["x-stale"]


def test_institution_page_is_none_for_an_inactive_or_unknown_institution() -> None:
    institution = PublicInstitutionFactory(is_active=False)
    FeeItemFactory(institution=institution)
    assert institution_page(pk=institution.pk, day=TODAY) is None
    assert institution_page(pk=institution.pk + 1000, day=TODAY) is None


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_page_html_is_the_same_from_either_loader(rf, language: str) -> None:
    # given
    institution = _varied_institution()
    request = rf.get(f"/institutions/{institution.pk}/")
    request.user = AnonymousUser()
    # when
    with translation.override(language):
        pages = [
            render_to_string(
                "disclosure/institution_detail.html",
                institution_detail_context(institution=loaded, today=TODAY),
                request,
            )
            for loaded in (
                institution_page(pk=institution.pk, day=TODAY),
                institution_detail_queryset(day=TODAY).get(pk=institution.pk),
            )
        ]
    # then
    assert pages[0] == pages[1]
    assert "<script>" not in pages[0] and "javascript:" not in pages[0]
    assert "挂号费 &amp; &lt;x&gt;" in pages[0] and "未来收费" not in pages[0]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_context_rows_print_what_the_filters_and_the_fee_include_printed(
    client, language: str
) -> None:
    """Dates as |date:"Y-m-d", labels as get_FOO_display, amounts as fee_amount.html."""
    # given
    institution = _varied_institution()
    today = timezone.localdate()
    prefix = "/en" if language == "en" else ""
    loaded = institution_detail_queryset(day=today).get(pk=institution.pk)
    # when
    with translation.override(language):
        context = institution_detail_context(institution=loaded, today=today)
        page = client.get(f"{prefix}/institutions/{institution.pk}/").content.decode()
        # then
        for fee, row in zip(loaded.fees_in_force, context["fees"], strict=True):
            assert row["category"] == fee.get_category_display()
            assert row["unit"] == fee.get_unit_display()
            assert row["valid_from"] == date_filter(fee.valid_from, "Y-m-d")
            assert row["valid_to"] == (date_filter(fee.valid_to, "Y-m-d") if fee.valid_to else "")
            amount = render_to_string("disclosure/fee_amount.html", {"fee": fee})
            assert f'<td class="amount">{amount}</td><td>{row["unit"]}</td>' in page
        for item, row in zip(loaded.published_items, context["items"], strict=True):
            assert row["updated"] == date_filter(item.last_updated, "Y-m-d")
            assert row["due"] == date_filter(item.next_review_due, "Y-m-d")


def _count(client, url: str, status: int = 200) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, url
    return len(captured)


def test_query_count_is_the_same_for_none_one_and_twenty_items_and_fees(client, settings) -> None:
    settings.GONGKAI_PAGE_CACHE = False  # the same URL is fetched several times
    institution = PublicInstitutionFactory()
    url = f"/institutions/{institution.pk}/"
    empty = _count(client, url)
    requirement = SectorRequirementFactory(sector=institution.sector)
    InstitutionDisclosureFactory(institution=institution, kind=requirement.kind)
    FeeItemFactory(institution=institution)
    one = _count(client, url)
    for _ in range(19):
        kind = SectorRequirementFactory(sector=institution.sector).kind
        InstitutionDisclosureFactory(institution=institution, kind=kind)
        FeeItemFactory(institution=institution, amount_max=Decimal("900.00"))
        FeeItemFactory(institution=institution, status=FeeItem.Status.DRAFT)
    twenty = _count(client, url)
    assert empty == one == twenty
    # Nothing on the page loads lazily (a deferred field, a relation): it makes exactly the
    # queries of a 404, which runs the same statement and finds nothing.
    assert twenty == _count(client, f"/institutions/{institution.pk + 1000}/", status=404)
    with CaptureQueriesContext(connection) as captured:
        institution_page(pk=institution.pk, day=TODAY)
    assert len(captured) == 1
