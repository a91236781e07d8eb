"""Public institutions: constraints, forms, completeness arithmetic, scoping, workflows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from disclosure.actions.institutions import (
    fee_item_create,
    fee_item_publish,
    fee_item_redraft,
    fee_item_update,
    fee_item_withdraw,
    institution_disclosure_publish,
    institution_disclosure_redraft,
    institution_disclosure_save,
    institution_disclosure_withdraw,
    institution_update,
)
from disclosure.admin.institutions import FeeItemForm, PublicInstitutionForm
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models import EntityMembership
from disclosure.models.institutions import (
    FeeItem,
    FeeItemEvent,
    InstitutionDisclosure,
    InstitutionDisclosureEvent,
    InstitutionMembership,
    PublicInstitution,
)
from disclosure.selectors.institutions import (
    completeness_for_official,
    completeness_of,
    completeness_ranking,
    institution_completeness_queryset,
    institution_ids_for_official,
)
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    DisclosureItemKindFactory,
    FeeItemFactory,
    InstitutionDisclosureFactory,
    PublicInstitutionFactory,
    SectorFactory,
    SectorRequirementFactory,
    UserFactory,
    institution_keeper,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


# --- constraints and forms ------------------------------------------------------------------------


def _fee_form(institution: PublicInstitution, **changes: object) -> FeeItemForm:
    data = {
        "institution": institution.pk,
        "name": "保育教育费",
        "category": FeeItem.Category.TUITION,
        "amount_min": "450",
        "amount_max": "",
        "unit": FeeItem.Unit.PER_MONTH,
        "legal_basis": "辽价发〔2005〕88号",
        "approval_document": "",
        "valid_from": "2006-09-01",
        "valid_to": "",
    }
    data.update({key: str(value) for key, value in changes.items()})
    return FeeItemForm(data=data)


def test_fee_form_accepts_a_valid_fee() -> None:
    form = _fee_form(PublicInstitutionFactory())
    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"amount_min": "-1"}, "amount_min"),
        ({"amount_min": "300", "amount_max": "100"}, "amount_max"),
        ({"valid_from": "2006-09-01", "valid_to": "2006-08-31"}, "valid_to"),
    ],
)
def test_fee_form_gives_a_field_error_and_stores_nothing(changes: dict, field: str) -> None:
    form = _fee_form(PublicInstitutionFactory(), **changes)
    assert not form.is_valid()
    assert field in form.errors
    assert FeeItem.objects.count() == 0


def test_institution_form_refuses_an_unknown_sector() -> None:
    department = AdministrativeEntityFactory()
    form = PublicInstitutionForm(
        data={"name": "某幼儿园", "sector": "99999", "supervising_department": department.pk}
    )
    assert not form.is_valid()
    assert "sector" in form.errors
    assert PublicInstitution.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"amount_min": Decimal("-0.01")}, "fee_amount_not_negative"),
        (
            {"amount_min": Decimal("10"), "amount_max": Decimal("5")},
            "fee_amount_max_not_below_min",
        ),
        (
            {"valid_from": datetime.date(2006, 9, 1), "valid_to": datetime.date(2006, 8, 1)},
            "fee_valid_to_not_before_valid_from",
        ),
        ({"legal_basis": "", "approval_document": ""}, "fee_published_has_basis"),
    ],
)
def test_database_refuses_bad_fees(values: dict, constraint: str) -> None:
    fee = FeeItemFactory()
    for name, value in values.items():
        setattr(fee, name, value)
    with pytest.raises(IntegrityError) as raised, transaction.atomic():
        FeeItem.objects.filter(pk=fee.pk).update(**values)
    assert constraint in str(raised.value) or connection.vendor == "sqlite"


def test_database_refuses_an_unknown_sector() -> None:
    institution = PublicInstitutionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicInstitution.objects.filter(pk=institution.pk).update(sector_id=987654)
        connection.check_constraints(table_names=[PublicInstitution._meta.db_table])


def test_database_refuses_half_coordinates() -> None:
    institution = PublicInstitutionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicInstitution.objects.filter(pk=institution.pk).update(latitude=Decimal("38.9"))


# --- completeness arithmetic -------------------------------------------------------------------


def _sector_with_items(count: int):  # noqa: ANN202
    sector = SectorFactory()
    kinds = [SectorRequirementFactory(sector=sector).kind for _ in range(count)]
    return sector, kinds


def test_completeness_counts_published_and_current_items_only() -> None:
    # given a sector of 7 required items
    sector, kinds = _sector_with_items(7)
    institution = PublicInstitutionFactory(sector=sector)
    # 4 current, 1 stale (review was due yesterday), 1 draft, 1 missing, 1 not required
    for kind in kinds[:4]:
        InstitutionDisclosureFactory(
            institution=institution, kind=kind, last_updated=TODAY, next_review_due=TODAY
        )
    stale = InstitutionDisclosureFactory(
        institution=institution,
        kind=kinds[4],
        last_updated=datetime.date(2025, 3, 1),
        next_review_due=TODAY - datetime.timedelta(days=1),
    )
    InstitutionDisclosureFactory(
        institution=institution, kind=kinds[5], status=InstitutionDisclosure.Status.DRAFT
    )
    InstitutionDisclosureFactory(institution=institution, kind=DisclosureItemKindFactory())
    # when
    result = completeness_of(institution=institution, today=TODAY)
    # then: 4 of 7 = 57.142… → 57.1
    assert result.required_count == 7
    assert result.current_count == 4
    assert result.published_count == 5
    assert [item.pk for item in result.stale] == [stale.pk]
    assert {kind.pk for kind in result.missing} == {kinds[5].pk, kinds[6].pk}
    assert result.percentage == Decimal("57.1")
    assert not result.complete


def test_completeness_rounds_half_up_and_handles_empty_checklists() -> None:
    sector, kinds = _sector_with_items(8)
    institution = PublicInstitutionFactory(sector=sector)
    for kind in kinds[:7]:
        InstitutionDisclosureFactory(institution=institution, kind=kind)
    # 7 / 8 = 87.5 exactly
    assert completeness_of(institution=institution).percentage == Decimal("87.5")
    sector_3, kinds_3 = _sector_with_items(3)
    other = PublicInstitutionFactory(sector=sector_3)
    InstitutionDisclosureFactory(institution=other, kind=kinds_3[0])
    InstitutionDisclosureFactory(institution=other, kind=kinds_3[1])
    # 2 / 3 = 66.666… → 66.7
    assert completeness_of(institution=other).percentage == Decimal("66.7")
    empty = PublicInstitutionFactory(sector=SectorFactory())
    assert completeness_of(institution=empty).percentage == Decimal("100.0")


def test_an_item_due_today_is_current_and_due_yesterday_is_stale() -> None:
    sector, kinds = _sector_with_items(1)
    institution = PublicInstitutionFactory(sector=sector)
    item = InstitutionDisclosureFactory(
        institution=institution,
        kind=kinds[0],
        last_updated=datetime.date(2025, 1, 1),
        next_review_due=TODAY,
    )
    assert completeness_of(institution=institution, today=TODAY).percentage == Decimal("100.0")
    next_day = TODAY + datetime.timedelta(days=1)
    result = completeness_of(institution=institution, today=next_day)
    assert result.percentage == Decimal("0.0")
    assert result.stale == [item]


def test_prefetched_completeness_matches_the_queried_one() -> None:
    sector, kinds = _sector_with_items(3)
    institution = PublicInstitutionFactory(sector=sector)
    InstitutionDisclosureFactory(institution=institution, kind=kinds[0])
    loaded = institution_completeness_queryset(PublicInstitution.objects.all()).get()
    assert completeness_of(institution=loaded).current_count == 1
    assert completeness_of(institution=institution).current_count == 1


def test_ranking_orders_within_each_sector() -> None:
    sector, kinds = _sector_with_items(2)
    low = PublicInstitutionFactory(sector=sector, name="乙幼儿园")
    high = PublicInstitutionFactory(sector=sector, name="甲幼儿园")
    tie = PublicInstitutionFactory(sector=sector, name="丙幼儿园")
    InstitutionDisclosureFactory(institution=low, kind=kinds[0])
    for inst in (high, tie):
        for kind in kinds:
            InstitutionDisclosureFactory(institution=inst, kind=kind)
    other_sector, _kinds = _sector_with_items(1)
    PublicInstitutionFactory(sector=other_sector)
    PublicInstitutionFactory(sector=sector, is_active=False)
    ranking = dict(completeness_ranking())
    names = [row.institution.name for row in ranking[sector]]
    assert names == sorted(["甲幼儿园", "丙幼儿园"]) + ["乙幼儿园"]
    assert [row.percentage for row in ranking[sector]] == [
        Decimal("100.0"),
        Decimal("100.0"),
        Decimal("50.0"),
    ]
    assert len(ranking[other_sector]) == 1


# --- scoping ----------------------------------------------------------------------------------


def test_scope_is_own_institution_or_supervising_department() -> None:
    education = AdministrativeEntityFactory(name="西岗区教育局")
    health = AdministrativeEntityFactory(name="西岗区卫生局")
    school = PublicInstitutionFactory(supervising_department=education)
    other_school = PublicInstitutionFactory(supervising_department=education)
    hospital = PublicInstitutionFactory(supervising_department=health)
    bureau_official = institution_keeper()
    EntityMembership.objects.create(user=bureau_official, entity=education)
    school_account = institution_keeper()
    InstitutionMembership.objects.create(user=school_account, institution=school)
    outsider = institution_keeper()
    admin = UserFactory(is_superuser=True)

    assert institution_ids_for_official(bureau_official) == {school.pk, other_school.pk}
    assert institution_ids_for_official(school_account) == {school.pk}
    assert institution_ids_for_official(outsider) == set()
    assert institution_ids_for_official(admin) is None
    assert hospital.pk not in institution_ids_for_official(bureau_official)


def test_out_of_scope_writes_are_refused() -> None:
    institution = PublicInstitutionFactory()
    kind = DisclosureItemKindFactory()
    outsider = institution_keeper()
    with pytest.raises(PermissionDenied):
        institution_disclosure_save(
            by=outsider, institution=institution, kind=kind, content="<p>x</p>"
        )
    with pytest.raises(PermissionDenied):
        institution_update(by=outsider, institution=institution, values={"phone": "1"})
    assert InstitutionDisclosure.objects.count() == 0


def test_a_member_without_permission_is_refused() -> None:
    institution = PublicInstitutionFactory()
    account = UserFactory()
    InstitutionMembership.objects.create(user=account, institution=institution)
    with pytest.raises(PermissionDenied):
        fee_item_create(
            by=account,
            institution=institution,
            values={
                "name": "学费",
                "category": FeeItem.Category.TUITION,
                "amount_min": Decimal("100"),
                "unit": FeeItem.Unit.PER_TERM,
                "valid_from": TODAY,
            },
        )


def test_officials_see_what_is_missing_or_stale() -> None:
    sector, kinds = _sector_with_items(3)
    department = AdministrativeEntityFactory()
    institution = PublicInstitutionFactory(sector=sector, supervising_department=department)
    PublicInstitutionFactory(sector=sector)  # another department's
    InstitutionDisclosureFactory(institution=institution, kind=kinds[0])
    InstitutionDisclosureFactory(
        institution=institution,
        kind=kinds[1],
        last_updated=datetime.date(2020, 1, 1),
        next_review_due=datetime.date(2021, 1, 1),
    )
    official = institution_keeper()
    EntityMembership.objects.create(user=official, entity=department)
    rows = completeness_for_official(user=official)
    assert [row.institution for row in rows] == [institution]
    assert [kind.pk for kind in rows[0].missing] == [kinds[2].pk]
    assert [item.kind_id for item in rows[0].stale] == [kinds[1].pk]


# --- workflows ----------------------------------------------------------------------------


def _member(institution: PublicInstitution):  # noqa: ANN202
    account = institution_keeper()
    InstitutionMembership.objects.create(user=account, institution=institution)
    return account


def test_item_save_sanitises_and_computes_the_review_date_from_the_checklist() -> None:
    requirement = SectorRequirementFactory(review_interval_days=180)
    institution = PublicInstitutionFactory(sector=requirement.sector)
    account = _member(institution)
    item = institution_disclosure_save(
        by=account,
        institution=institution,
        kind=requirement.kind,
        content='<p onclick="x()">服务承诺</p><script>alert(1)</script>',
        last_updated=datetime.date(2026, 1, 1),
    )
    assert "script" not in item.content and "onclick" not in item.content
    assert item.next_review_due == datetime.date(2026, 6, 30)
    assert item.status == InstitutionDisclosure.Status.DRAFT
    # a second save updates the same row
    again = institution_disclosure_save(
        by=account, institution=institution, kind=requirement.kind, content="<p>新</p>"
    )
    assert again.pk == item.pk and InstitutionDisclosure.objects.count() == 1


def test_item_save_refuses_empty_content_and_review_before_update() -> None:
    institution = PublicInstitutionFactory()
    account = _member(institution)
    kind = DisclosureItemKindFactory()
    with pytest.raises(ValidationError) as raised:
        institution_disclosure_save(
            by=account,
            institution=institution,
            kind=kind,
            content="<script></script>",
            last_updated=TODAY,
            next_review_due=TODAY - datetime.timedelta(days=1),
        )
    assert set(raised.value.message_dict) == {"content", "next_review_due"}
    assert InstitutionDisclosure.objects.count() == 0


def test_item_workflow_legal_and_illegal_moves() -> None:
    institution = PublicInstitutionFactory()
    account = _member(institution)
    item = institution_disclosure_save(
        by=account, institution=institution, kind=DisclosureItemKindFactory(), content="<p>x</p>"
    )
    with pytest.raises(TransitionNotAllowed):
        institution_disclosure_withdraw(by=account, item=item, note="不应撤回")
    with pytest.raises(TransitionNotAllowed):
        institution_disclosure_redraft(by=account, item=item)
    institution_disclosure_publish(by=account, item=item)
    assert item.status == InstitutionDisclosure.Status.PUBLISHED
    with pytest.raises(TransitionNotAllowed):
        institution_disclosure_publish(by=account, item=item)
    with pytest.raises(ValidationError):
        institution_disclosure_withdraw(by=account, item=item, note=" ")
    institution_disclosure_withdraw(by=account, item=item, note="内容过期")
    institution_disclosure_redraft(by=account, item=item)
    moves = list(
        InstitutionDisclosureEvent.objects.filter(disclosure=item).values_list(
            "from_status", "to_status"
        )
    )
    assert moves == [("draft", "published"), ("published", "withdrawn"), ("withdrawn", "draft")]
    assert item.history.count() >= 4


def _fee_values(**changes: object) -> dict:
    values = {
        "name": "保育教育费",
        "category": FeeItem.Category.TUITION,
        "amount_min": Decimal("450"),
        "unit": FeeItem.Unit.PER_MONTH,
        "valid_from": datetime.date(2006, 9, 1),
        "legal_basis": "辽价发〔2005〕88号",
    }
    values.update(changes)
    return values


def test_fee_create_refuses_bad_input_with_field_errors() -> None:
    institution = PublicInstitutionFactory()
    account = _member(institution)
    for changes, field in (
        ({"amount_min": Decimal("-5")}, "amount_min"),
        ({"valid_to": datetime.date(2006, 8, 31)}, "valid_to"),
        ({"amount_max": Decimal("100")}, "amount_max"),
    ):
        with pytest.raises(ValidationError) as raised:
            fee_item_create(by=account, institution=institution, values=_fee_values(**changes))
        assert field in raised.value.message_dict
    assert FeeItem.objects.count() == 0


def test_a_fee_without_a_basis_cannot_be_published() -> None:
    institution = PublicInstitutionFactory()
    account = _member(institution)
    fee = fee_item_create(by=account, institution=institution, values=_fee_values(legal_basis=""))
    with pytest.raises(ValidationError) as raised:
        fee_item_publish(by=account, fee=fee)
    assert "legal_basis" in raised.value.message_dict
    fee.refresh_from_db()
    assert fee.status == FeeItem.Status.DRAFT
    # an approval document is enough
    fee = fee_item_update(by=account, fee=fee, values={"approval_document": "大价费〔2006〕12号"})
    fee_item_publish(by=account, fee=fee)
    assert fee.status == FeeItem.Status.PUBLISHED
    # and a published fee cannot lose its basis
    with pytest.raises(ValidationError):
        fee_item_update(by=account, fee=fee, values={"approval_document": ""})


def test_fee_workflow_legal_and_illegal_moves() -> None:
    institution = PublicInstitutionFactory()
    account = _member(institution)
    fee = fee_item_create(by=account, institution=institution, values=_fee_values())
    with pytest.raises(TransitionNotAllowed):
        fee_item_withdraw(by=account, fee=fee, note="x")
    fee_item_publish(by=account, fee=fee)
    with pytest.raises(TransitionNotAllowed):
        fee_item_redraft(by=account, fee=fee)
    fee_item_withdraw(by=account, fee=fee, note="自查取消")
    fee_item_redraft(by=account, fee=fee)
    assert FeeItemEvent.objects.filter(fee=fee).count() == 3
