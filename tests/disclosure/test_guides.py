"""Disclosure guides (政府信息公开指南): versions, publication, supersession, sanitising."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from disclosure.actions.entities import guide_draft_create, guide_draft_update, guide_publish
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.entities import DisclosureGuide
from disclosure.sanitize import sanitize_html
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    DisclosureGuideFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

G = DisclosureGuide.Status
EDITOR_PERMS = [
    "disclosure.add_disclosureguide",
    "disclosure.change_disclosureguide",
    "disclosure.publish_disclosureguide",
]


@pytest.fixture
def editor():
    return UserFactory(perms=EDITOR_PERMS)


def test_publishing_a_new_version_supersedes_the_previous(editor) -> None:
    # given an entity with a published first version
    entity = AdministrativeEntityFactory()
    first = guide_draft_create(entity=entity, by=editor, body="<p>第一版</p>")
    guide_publish(guide=first, by=editor)
    # when a second version is drafted and published
    second = guide_draft_create(entity=entity, by=editor, body="<p>第二版</p>")
    assert second.version == 2
    guide_publish(guide=second, by=editor)
    # then the first is superseded and kept, the second is current
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == G.SUPERSEDED
    assert second.status == G.PUBLISHED
    assert second.published_by == editor
    assert second.published_at is not None
    assert DisclosureGuide.objects.filter(entity=entity).count() == 2
    assert list(DisclosureGuide.objects.current().filter(entity=entity)) == [second]
    assert first.history.count() >= 2


def test_versions_are_per_entity(editor) -> None:
    one, two = AdministrativeEntityFactory(), AdministrativeEntityFactory()
    assert guide_draft_create(entity=one, by=editor, body="a").version == 1
    assert guide_draft_create(entity=two, by=editor, body="b").version == 1
    assert guide_draft_create(entity=one, by=editor, body="c").version == 2


def test_published_or_superseded_guides_cannot_be_published_again_or_edited(editor) -> None:
    guide = guide_draft_create(entity=AdministrativeEntityFactory(), by=editor, body="<p>x</p>")
    guide_publish(guide=guide, by=editor)
    with pytest.raises(TransitionNotAllowed):
        guide_publish(guide=guide, by=editor)
    with pytest.raises(TransitionNotAllowed):
        guide_draft_update(guide=guide, by=editor, body="<p>改</p>")
    newer = guide_draft_create(entity=guide.entity, by=editor, body="<p>y</p>")
    guide_publish(guide=newer, by=editor)
    guide.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        guide_publish(guide=guide, by=editor)


def test_permission_refused() -> None:
    entity = AdministrativeEntityFactory()
    nobody = UserFactory()
    with pytest.raises(PermissionDenied):
        guide_draft_create(entity=entity, by=nobody, body="x")
    drafter = UserFactory(perms=["disclosure.add_disclosureguide"])
    guide = guide_draft_create(entity=entity, by=drafter, body="x")
    with pytest.raises(PermissionDenied):
        guide_publish(guide=guide, by=drafter)
    guide.refresh_from_db()
    assert guide.status == G.DRAFT


def test_database_allows_one_published_guide_per_entity() -> None:
    entity = AdministrativeEntityFactory()
    DisclosureGuideFactory(entity=entity, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureGuideFactory(entity=entity, version=2)


def test_body_is_sanitised(editor) -> None:
    guide = guide_draft_create(
        entity=AdministrativeEntityFactory(),
        by=editor,
        body='<h2 onclick="x()">一、总则</h2><script>alert(1)</script>'
        '<a href="javascript:alert(1)">坏链接</a><a href="https://www.gov.cn/">中国政府网</a>'
        '<table><tr><td colspan="2">表</td></tr></table><img src="x">',
    )
    assert "<script" not in guide.body
    assert "onclick" not in guide.body
    assert "javascript:" not in guide.body
    assert "<img" not in guide.body
    assert "<h2>一、总则</h2>" in guide.body
    assert 'href="https://www.gov.cn/"' in guide.body
    assert 'rel="noopener noreferrer nofollow"' in guide.body
    assert '<td colspan="2">' in guide.body


def test_sanitize_keeps_document_structure() -> None:
    html = (
        "<p><strong>办公时间</strong><br><em>周一至周五</em></p>"
        "<ul><li>一</li></ul><ol><li>二</li></ol>"
    )
    assert sanitize_html(html) == html


def test_admin_adds_a_draft_through_the_action_and_publishes(client) -> None:
    # given a superuser in the admin
    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    entity = AdministrativeEntityFactory()
    DisclosureGuideFactory(entity=entity, version=1)
    # when they add a guide with unsafe markup
    response = client.post(
        "/admin/disclosure/disclosureguide/add/",
        {"entity": entity.pk, "body": "<p>新版</p><script>alert(1)</script>"},
    )
    assert response.status_code == 302
    # then it is numbered after the last version and sanitised
    draft = DisclosureGuide.objects.get(entity=entity, status=G.DRAFT)
    assert draft.version == 2
    assert draft.body == "<p>新版</p>"
    # and the admin action publishes it, superseding version 1
    client.post(
        "/admin/disclosure/disclosureguide/",
        {"action": "publish_selected", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == G.PUBLISHED
    assert DisclosureGuide.objects.get(entity=entity, version=1).status == G.SUPERSEDED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_drafts_get_distinct_versions() -> None:
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    editor = UserFactory(perms=EDITOR_PERMS)
    entity = AdministrativeEntityFactory()

    def draft(number: int) -> int:
        try:
            return guide_draft_create(entity=entity, by=editor, body=f"<p>{number}</p>").version
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=8) as pool:
        versions = sorted(pool.map(draft, range(8)))
    assert versions == list(range(1, 9))
