"""The entity review workflow (审核 → 确认 → 公示, revocation), its permissions and audit trail."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from disclosure.actions.entities import (
    entity_announce,
    entity_confirm,
    entity_return,
    entity_review,
    entity_revoke,
    entity_submit,
)
from disclosure.exceptions import InvalidAnnouncementPeriod, TransitionNotAllowed
from disclosure.models import AdministrativeEntity
from disclosure.models.entities import ENTITY_TRANSITIONS, AdministrativeEntityEvent
from disclosure.validators import credit_code_check_character, validate_credit_code
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory, make_credit_code
from tests.factories.workflow import seen_url

pytestmark = pytest.mark.django_db

S = AdministrativeEntity.Status
ALL_PERMS = [
    "disclosure.change_administrativeentity",
    "disclosure.review_administrativeentity",
    "disclosure.confirm_administrativeentity",
    "disclosure.announce_administrativeentity",
    "disclosure.revoke_administrativeentity",
]
START = datetime.date(2006, 7, 1)
END = datetime.date(2006, 7, 15)


def _move(to: str, entity: AdministrativeEntity, by) -> AdministrativeEntity:  # noqa: ANN001
    """Call the action that leads to `to`."""
    if to == S.SUBMITTED:
        return entity_submit(entity=entity, by=by, note="报送")
    if to == S.REVIEWED:
        return entity_review(entity=entity, by=by, note="审核通过")
    if to == S.CONFIRMED:
        return entity_confirm(entity=entity, by=by, note="确认")
    if to == S.ANNOUNCED:
        return entity_announce(entity=entity, by=by, note="公示", start=START, end=END)
    if to == S.REVOKED:
        return entity_revoke(entity=entity, by=by, note="撤销")
    if to == S.DRAFT:
        return entity_return(entity=entity, by=by, note="退回修改")
    raise AssertionError(to)


@pytest.fixture
def official():
    return UserFactory(perms=ALL_PERMS)


def test_full_workflow_writes_events_and_history(official) -> None:
    # given a draft entity
    entity = AdministrativeEntityFactory(draft=True)
    # when it goes through every step
    for to in (S.SUBMITTED, S.REVIEWED, S.CONFIRMED, S.ANNOUNCED, S.REVOKED):
        _move(to, entity, official)
    # then the status, the period and the audit trail say so
    entity.refresh_from_db()
    assert entity.status == S.REVOKED
    assert (entity.announcement_start, entity.announcement_end) == (START, END)
    events = list(AdministrativeEntityEvent.objects.filter(entity=entity))
    assert [(e.from_status, e.to_status) for e in events] == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.REVIEWED),
        (S.REVIEWED, S.CONFIRMED),
        (S.CONFIRMED, S.ANNOUNCED),
        (S.ANNOUNCED, S.REVOKED),
    ]
    assert all(e.actor == official for e in events)
    assert events[0].note == "报送"
    assert entity.history.count() == 6  # created + five moves


def test_return_to_draft_from_submitted_and_reviewed(official) -> None:
    entity = AdministrativeEntityFactory(draft=True)
    entity_submit(entity=entity, by=official, note="")
    entity_return(entity=entity, by=official, note="材料不全")
    assert entity.status == S.DRAFT
    entity_submit(entity=entity, by=official, note="")
    entity_review(entity=entity, by=official, note="")
    entity_return(entity=entity, by=official, note="职能表述不准确")
    assert entity.status == S.DRAFT


def test_revoke_from_confirmed(official) -> None:
    entity = AdministrativeEntityFactory(
        status=S.CONFIRMED, announcement_start=None, announcement_end=None
    )
    entity_revoke(entity=entity, by=official, note="机构撤并")
    assert entity.status == S.REVOKED


ILLEGAL = [
    (source, target)
    for source in S.values
    for target in S.values
    if target not in ENTITY_TRANSITIONS[source]
]


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_move_is_refused(official, source: str, target: str) -> None:
    entity = AdministrativeEntityFactory(status=source)
    with pytest.raises(TransitionNotAllowed):
        _move(target, entity, official)
    entity.refresh_from_db()
    assert entity.status == source
    assert not AdministrativeEntityEvent.objects.filter(entity=entity).exists()


def test_error_message_names_the_move(official) -> None:
    entity = AdministrativeEntityFactory(draft=True)
    with pytest.raises(TransitionNotAllowed) as error:
        entity_confirm(entity=entity, by=official, note="")
    assert "draft" in str(error.value)
    assert "confirmed" in str(error.value)


@pytest.mark.parametrize(
    ("source", "target", "permission"),
    [
        (S.DRAFT, S.SUBMITTED, "disclosure.change_administrativeentity"),
        (S.SUBMITTED, S.REVIEWED, "disclosure.review_administrativeentity"),
        (S.SUBMITTED, S.DRAFT, "disclosure.review_administrativeentity"),
        (S.REVIEWED, S.CONFIRMED, "disclosure.confirm_administrativeentity"),
        (S.CONFIRMED, S.ANNOUNCED, "disclosure.announce_administrativeentity"),
        (S.ANNOUNCED, S.REVOKED, "disclosure.revoke_administrativeentity"),
    ],
)
def test_permission_refused(source: str, target: str, permission: str) -> None:
    # given an official holding every workflow permission except the one this step needs
    user = UserFactory(perms=[p for p in ALL_PERMS if p != permission])
    entity = AdministrativeEntityFactory(status=source)
    # when / then
    with pytest.raises(PermissionDenied):
        _move(target, entity, user)
    entity.refresh_from_db()
    assert entity.status == source
    assert not AdministrativeEntityEvent.objects.exists()


def test_announcement_period_must_not_end_before_it_starts(official) -> None:
    entity = AdministrativeEntityFactory(
        status=S.CONFIRMED, announcement_start=None, announcement_end=None
    )
    with pytest.raises(InvalidAnnouncementPeriod):
        entity_announce(entity=entity, by=official, note="", start=END, end=START)
    entity.refresh_from_db()
    assert entity.status == S.CONFIRMED


def test_return_and_revoke_need_a_reason(official) -> None:
    entity = AdministrativeEntityFactory(status=S.SUBMITTED)
    with translation.override("en"), pytest.raises(ValueError, match="Say why"):
        entity_return(entity=entity, by=official, note="  ")
    announced = AdministrativeEntityFactory()
    with translation.override("en"), pytest.raises(ValueError, match="Say why"):
        entity_revoke(entity=announced, by=official, note="")


def test_announced_queryset_and_period() -> None:
    visible = AdministrativeEntityFactory(
        announcement_start=datetime.date(2006, 7, 1), announcement_end=datetime.date(2006, 7, 15)
    )
    AdministrativeEntityFactory(draft=True)
    AdministrativeEntityFactory(status=S.REVOKED)
    assert list(AdministrativeEntity.objects.announced()) == [visible]
    assert list(
        AdministrativeEntity.objects.in_announcement_period(datetime.date(2006, 7, 15))
    ) == [visible]
    assert not AdministrativeEntity.objects.in_announcement_period(datetime.date(2006, 7, 16))


def test_factory_credit_codes_are_valid() -> None:
    for number in (1, 2, 99, 123456789):
        validate_credit_code(make_credit_code(number))
    entity = AdministrativeEntityFactory()
    entity.full_clean()
    assert entity.index_prefix == entity.credit_code


def test_credit_code_checksum_rejected() -> None:
    code = make_credit_code(7)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(ValidationError) as error:
        validate_credit_code(wrong)
    assert error.value.code == "credit_code_checksum"
    assert credit_code_check_character(code[:17]) == code[17]


def test_admin_rejects_invalid_credit_code_and_stores_nothing(client) -> None:
    # given a superuser in the admin
    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    code = make_credit_code(42)
    bad = code[:17] + ("0" if code[17] != "0" else "1")
    # when they add an entity with a wrong check character
    response = client.post(
        "/admin/disclosure/administrativeentity/add/",
        {
            "name": "西岗区错误代码局",
            "kind": "administrative_organ",
            "credit_code": bad,
            "sort_order": 0,
            **_empty_inlines(),
        },
    )
    # then the form shows the field error and nothing is stored
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "credit_code" in errors
    assert "GB 32100" in errors["credit_code"][0]
    assert not AdministrativeEntity.objects.filter(name="西岗区错误代码局").exists()


def test_admin_adds_draft_entity_and_status_is_read_only(client) -> None:
    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        "/admin/disclosure/administrativeentity/add/",
        {
            "name": "西岗区新设局",
            "kind": "administrative_organ",
            "credit_code": make_credit_code(43),
            "sort_order": 0,
            "status": "announced",  # ignored: status is read-only
            **_empty_inlines(),
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    entity = AdministrativeEntity.objects.get(name="西岗区新设局")
    assert entity.status == S.DRAFT


def test_admin_workflow_button_calls_the_action(client) -> None:
    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    entity = AdministrativeEntityFactory(
        status=S.CONFIRMED, announcement_start=None, announcement_end=None
    )
    page = client.get(f"/admin/disclosure/administrativeentity/{entity.pk}/change/")
    assert f"/{entity.pk}/workflow/announce/" in page.content.decode()
    response = client.post(
        seen_url(f"/admin/disclosure/administrativeentity/{entity.pk}/workflow/announce/", entity),
        {"note": "公示七天", "start": "2006-07-01", "end": "2006-07-07"},
    )
    assert response.status_code == 302
    entity.refresh_from_db()
    assert entity.status == S.ANNOUNCED
    assert entity.events.get().actor == admin_user
    # an illegal move from the same view shows the error and changes nothing
    response = client.post(
        seen_url(f"/admin/disclosure/administrativeentity/{entity.pk}/workflow/confirm/", entity),
        {"note": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def _empty_inlines() -> dict[str, str]:
    data = {}
    for prefix in (
        "enforcement_powers",
        "enforcement_officers",
        "random_inspection_items",
        "events",
    ):
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def test_demo_entities_load_idempotently_with_valid_codes() -> None:
    import io

    from disclosure.demo import entities as demo
    from disclosure.models.entities import (
        DisclosureGuide,
        EnforcementOfficer,
        EnforcementPower,
        RandomInspectionItem,
    )

    def counts() -> tuple[int, ...]:
        return (
            AdministrativeEntity.objects.count(),
            AdministrativeEntity.history.count(),
            AdministrativeEntityEvent.objects.count(),
            DisclosureGuide.objects.count(),
            EnforcementPower.objects.count(),
            EnforcementOfficer.objects.count(),
            RandomInspectionItem.objects.count(),
        )

    # when the demo runs twice
    demo.load(out=io.StringIO())
    first = counts()
    demo.load(out=io.StringIO())
    # then the second run adds nothing
    assert counts() == first
    for entity in AdministrativeEntity.objects.all():
        entity.full_clean()  # valid credit codes among others
    root = AdministrativeEntity.objects.get(name="西岗区人民政府")
    assert root.parent is None
    assert AdministrativeEntity.objects.get(short_name="国有资产管理办公室").parent.name == (
        "西岗区财政局"
    )
    supervision = AdministrativeEntity.objects.get(name="西岗区卫生监督所")
    assert supervision.kind == AdministrativeEntity.Kind.AUTHORISED_ORGANISATION
    assert AdministrativeEntity.objects.filter(status=S.SUBMITTED).count() == 1
    announced = AdministrativeEntity.objects.announced()
    assert announced.count() == len(demo.ENTITIES) - 1
    assert DisclosureGuide.objects.current().count() == announced.count()
    for name in ("西岗区卫生局", "西岗区教育局"):
        entity = AdministrativeEntity.objects.get(name=name)
        assert entity.enforcement_powers.exists()
        assert entity.enforcement_officers.exists()
        assert entity.random_inspection_items.exists()
    # the workflow left its trail: four events per announced entity
    assert AdministrativeEntityEvent.objects.filter(entity=root).count() == 4
