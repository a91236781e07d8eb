"""The catalogue entry's workflow: every legal move, every illegal one, and who may make it."""

import datetime

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.html import escape

from disclosure.actions.catalogue import (
    catalogue_entry_create,
    catalogue_entry_publish,
    catalogue_entry_return,
    catalogue_entry_submit_for_review,
    catalogue_entry_update,
    catalogue_entry_withdraw,
    publication_due_for,
)
from disclosure.exceptions import CatalogueEntryNotDraft, CatalogueSelfReview, TransitionNotAllowed
from disclosure.models import CatalogueEntry, CatalogueEntryEvent
from disclosure.models.catalogue import TRANSITIONS, validate_attachment_file
from disclosure.selectors.catalogue import catalogue_late_publication_counts
from tests.factories.disclosure import (
    CATALOGUE_AUTHOR_PERMS,
    CATALOGUE_REVIEWER_PERMS,
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    UserFactory,
    catalogue_reviewer,
    publish_entry,
)
from tests.factories.workflow import seen_url

pytestmark = pytest.mark.django_db
Status = CatalogueEntry.Status


@pytest.fixture
def author():
    return UserFactory(perms=list(CATALOGUE_AUTHOR_PERMS))


def _entry_in(status: str, *, author, reviewer) -> CatalogueEntry:
    entry = CatalogueEntryFactory(author=author)
    if status == Status.DRAFT:
        return entry
    catalogue_entry_submit_for_review(entry=entry, by=author)
    if status == Status.IN_REVIEW:
        return entry
    catalogue_entry_publish(entry=entry, by=reviewer, published_date=entry.formed_date)
    if status == Status.PUBLISHED:
        return entry
    catalogue_entry_withdraw(entry=entry, by=reviewer, reason="信息有误，已重新发布")
    return entry


def test_create_makes_a_sanitised_draft_with_a_deadline_and_an_event(author):
    publisher = AdministrativeEntityFactory()
    entry = catalogue_entry_create(
        by=author,
        publisher=publisher,
        title="西岗区政府系统2006年软环境建设实施方案",
        formed_date=datetime.date(2006, 3, 1),
        fields={"body": '<p onclick="x()">正文<script>alert(1)</script></p>', "keywords": "软环境"},
    )
    assert entry.status == Status.DRAFT
    assert entry.author == author
    assert "script" not in entry.body and "onclick" not in entry.body
    assert entry.publication_due == publication_due_for(
        formed_date=datetime.date(2006, 3, 1), disclosure_mode="proactive"
    )
    assert entry.publication_due > datetime.date(2006, 3, 1)
    assert entry.events.get().to_status == Status.DRAFT


def test_create_needs_permission():
    nobody = UserFactory()
    with pytest.raises(PermissionDenied):
        catalogue_entry_create(
            by=nobody,
            publisher=AdministrativeEntityFactory(),
            title="x",
            formed_date=datetime.date(2006, 3, 1),
        )


def test_not_disclosed_needs_a_legal_reason(author):
    with pytest.raises(ValidationError) as error:
        catalogue_entry_create(
            by=author,
            publisher=AdministrativeEntityFactory(),
            title="内部人事安排",
            formed_date=datetime.date(2006, 3, 1),
            fields={"disclosure_mode": CatalogueEntry.DisclosureMode.NOT_DISCLOSED},
        )
    assert "exemption_reason" in error.value.message_dict
    assert not CatalogueEntry.objects.exists()


def test_on_request_information_has_no_publication_deadline():
    assert (
        publication_due_for(formed_date=datetime.date(2006, 3, 1), disclosure_mode="on_request")
        is None
    )


def test_draft_update_recomputes_deadline(author):
    entry = CatalogueEntryFactory(author=author)
    catalogue_entry_update(
        entry=entry, by=author, fields={"formed_date": datetime.date(2006, 9, 1), "title": "新标题"}
    )
    entry.refresh_from_db()
    assert entry.title == "新标题"
    assert entry.publication_due == publication_due_for(
        formed_date=datetime.date(2006, 9, 1), disclosure_mode="proactive"
    )


@pytest.mark.parametrize("status", [Status.IN_REVIEW, Status.PUBLISHED, Status.WITHDRAWN])
def test_only_drafts_can_be_updated(status, author, reviewer):
    entry = _entry_in(status, author=author, reviewer=reviewer)
    with pytest.raises(CatalogueEntryNotDraft):
        catalogue_entry_update(entry=entry, by=author, fields={"title": "改"})


def test_legal_path_draft_review_publish_withdraw(author, reviewer):
    entry = CatalogueEntryFactory(author=author)
    catalogue_entry_submit_for_review(entry=entry, by=author, note="请审查")
    entry.refresh_from_db()
    assert entry.status == Status.IN_REVIEW

    catalogue_entry_publish(entry=entry, by=reviewer, published_date=datetime.date(2006, 7, 10))
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    assert entry.index_no == f"{entry.publisher.credit_code}/2006-00001"
    assert entry.reviewed_by == reviewer and entry.reviewed_at is not None
    assert entry.published_date == datetime.date(2006, 7, 10)

    catalogue_entry_withdraw(entry=entry, by=reviewer, reason="文件已被新文件替代")
    entry.refresh_from_db()
    assert entry.status == Status.WITHDRAWN
    assert entry.index_no == f"{entry.publisher.credit_code}/2006-00001"  # kept
    assert entry.withdrawn_reason == "文件已被新文件替代"
    assert entry.withdrawn_at is not None

    moves = list(entry.events.values_list("from_status", "to_status", "actor"))
    assert moves == [
        (Status.DRAFT, Status.IN_REVIEW, author.pk),
        (Status.IN_REVIEW, Status.PUBLISHED, reviewer.pk),
        (Status.PUBLISHED, Status.WITHDRAWN, reviewer.pk),
    ]


def test_return_to_draft_with_a_note(author, reviewer):
    entry = _entry_in(Status.IN_REVIEW, author=author, reviewer=reviewer)
    catalogue_entry_return(entry=entry, by=reviewer, note="涉及个人隐私，请删除身份证号")
    entry.refresh_from_db()
    assert entry.status == Status.DRAFT
    event = entry.events.last()
    assert (event.from_status, event.to_status) == (Status.IN_REVIEW, Status.DRAFT)
    assert event.note == "涉及个人隐私，请删除身份证号"


def test_return_needs_a_note(author, reviewer):
    entry = _entry_in(Status.IN_REVIEW, author=author, reviewer=reviewer)
    with pytest.raises(ValidationError):
        catalogue_entry_return(entry=entry, by=reviewer, note="  ")


def test_withdraw_needs_a_reason(author, reviewer):
    entry = _entry_in(Status.PUBLISHED, author=author, reviewer=reviewer)
    with pytest.raises(ValidationError):
        catalogue_entry_withdraw(entry=entry, by=reviewer, reason="")
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED


ACTIONS = {
    Status.IN_REVIEW: lambda entry, by: catalogue_entry_submit_for_review(entry=entry, by=by),
    Status.DRAFT: lambda entry, by: catalogue_entry_return(entry=entry, by=by, note="退回"),
    Status.PUBLISHED: lambda entry, by: catalogue_entry_publish(
        entry=entry, by=by, published_date=entry.formed_date
    ),
    Status.WITHDRAWN: lambda entry, by: catalogue_entry_withdraw(entry=entry, by=by, reason="撤"),
}
ILLEGAL = [
    (source, target)
    for source in Status.values
    for target in ACTIONS
    if target not in TRANSITIONS[source]
]


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_move_is_refused(source, target, author, reviewer):
    entry = _entry_in(source, author=author, reviewer=reviewer)
    events = CatalogueEntryEvent.objects.count()
    with pytest.raises(TransitionNotAllowed):
        ACTIONS[target](entry, reviewer)
    entry.refresh_from_db()
    assert entry.status == source
    assert CatalogueEntryEvent.objects.count() == events


def test_the_author_cannot_review_their_own_entry():
    # given an official with every permission who wrote the entry
    both = UserFactory(perms=[*CATALOGUE_AUTHOR_PERMS, *CATALOGUE_REVIEWER_PERMS])
    entry = CatalogueEntryFactory(author=both)
    catalogue_entry_submit_for_review(entry=entry, by=both)
    # when they publish or return it, then it is refused
    with pytest.raises(CatalogueSelfReview):
        catalogue_entry_publish(entry=entry, by=both)
    with pytest.raises(CatalogueSelfReview):
        catalogue_entry_return(entry=entry, by=both, note="自审")
    entry.refresh_from_db()
    assert entry.status == Status.IN_REVIEW and entry.index_no is None


@pytest.mark.parametrize(
    ("target", "status"),
    [(Status.DRAFT, Status.IN_REVIEW), (Status.PUBLISHED, Status.IN_REVIEW)],
)
def test_review_moves_need_permission(target, status, author, reviewer):
    entry = _entry_in(status, author=author, reviewer=reviewer)
    outsider = UserFactory(perms=list(CATALOGUE_AUTHOR_PERMS))
    with pytest.raises(PermissionDenied):
        ACTIONS[target](entry, outsider)


def test_withdraw_needs_permission(author, reviewer):
    entry = _entry_in(Status.PUBLISHED, author=author, reviewer=reviewer)
    with pytest.raises(PermissionDenied):
        catalogue_entry_withdraw(entry=entry, by=author, reason="撤回")


def test_submit_needs_permission(author, reviewer):
    entry = _entry_in(Status.DRAFT, author=author, reviewer=reviewer)
    with pytest.raises(PermissionDenied):
        catalogue_entry_submit_for_review(entry=entry, by=UserFactory())


def test_publication_date_cannot_precede_formed_date_or_be_in_future(author, reviewer):
    entry = _entry_in(Status.IN_REVIEW, author=author, reviewer=reviewer)
    with pytest.raises(ValidationError):
        catalogue_entry_publish(entry=entry, by=reviewer, published_date=datetime.date(2006, 1, 1))
    with pytest.raises(ValidationError):
        catalogue_entry_publish(entry=entry, by=reviewer, published_date=datetime.date(2999, 1, 1))


def test_late_publication_is_flagged_and_counted(author, reviewer):
    publisher = AdministrativeEntityFactory()
    on_time = CatalogueEntryFactory(
        author=author, publisher=publisher, formed_date=datetime.date(2006, 7, 3)
    )
    late = CatalogueEntryFactory(
        author=author, publisher=publisher, formed_date=datetime.date(2006, 7, 3)
    )
    publish_entry(on_time, reviewer=reviewer, published_date=datetime.date(2006, 7, 10))
    publish_entry(late, reviewer=reviewer, published_date=datetime.date(2006, 12, 1))
    assert on_time.published_late is False
    assert late.published_late is True
    counts = catalogue_late_publication_counts(year=2006)
    assert [(row["publisher"], row["late"], row["published"]) for row in counts] == [
        (publisher.pk, 1, 2)
    ]


def test_publishing_a_repealing_entry_marks_the_old_one_repealed(author, reviewer):
    old = publish_entry(CatalogueEntryFactory(author=author), reviewer=reviewer)
    new = CatalogueEntryFactory(author=author, publisher=old.publisher)
    catalogue_entry_update(entry=new, by=author, fields={"repeals": [old]})
    publish_entry(new, reviewer=reviewer)
    old.refresh_from_db()
    assert old.validity == CatalogueEntry.Validity.REPEALED
    assert list(old.repealed_by.all()) == [new]


def test_search_index_hooks_run_on_commit(
    author, reviewer, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    monkeypatch.setattr(
        "disclosure.actions.catalogue._search_index_update", lambda ids: calls.append(("u", ids))
    )
    monkeypatch.setattr(
        "disclosure.actions.catalogue._search_index_remove", lambda ids: calls.append(("r", ids))
    )
    entry = _entry_in(Status.IN_REVIEW, author=author, reviewer=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_entry_publish(entry=entry, by=reviewer, published_date=entry.formed_date)
    with django_capture_on_commit_callbacks(execute=True):
        catalogue_entry_withdraw(entry=entry, by=reviewer, reason="撤回")
    assert calls == [("u", [entry.pk]), ("r", [entry.pk])]


# --- the admin: drafts through the actions, workflow buttons and bulk actions -------------------


@pytest.fixture
def admin_author(django_user_model):
    return django_user_model.objects.create_superuser("catalogue-admin-author", password="x")


@pytest.fixture
def admin_reviewer(django_user_model):
    return django_user_model.objects.create_superuser("catalogue-admin-reviewer", password="x")


def _admin_form(publisher, topic, **extra) -> dict:
    data = {
        "title": "关于推行行政执法责任制的实施意见",
        "publisher": publisher.pk,
        "document_no": "西政发〔2006〕5号",
        "formed_date": "2006-06-01",
        "topic": topic.pk,
        "genre": "opinion",
        "keywords": "执法",
        "audience": "",
        "summary": "推行行政执法责任制",
        "body": "<p>正文</p><script>x</script>",
        "disclosure_mode": "proactive",
        "exemption_reason": "",
        "scope": "public",
        "validity": "in_force",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_admin_creates_a_draft_through_the_action(client, admin_author):
    from tests.factories.disclosure import TopicFactory

    publisher, topic = AdministrativeEntityFactory(), TopicFactory()
    client.force_login(admin_author)
    response = client.post("/admin/disclosure/catalogueentry/add/", _admin_form(publisher, topic))
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = CatalogueEntry.objects.get()
    assert entry.status == Status.DRAFT and entry.author == admin_author
    assert "script" not in entry.body
    assert entry.publication_due is not None
    assert entry.events.count() == 1


def _attachment_type_message() -> str:
    """The validator's refusal of a file that is not an accepted type, in the active language."""
    with pytest.raises(ValidationError) as refused:
        validate_attachment_file(SimpleUploadedFile("a.pdf", b"MZ not a pdf"))
    assert refused.value.code == "attachment_type"
    return refused.value.messages[0]


def test_admin_attachment_of_wrong_type_is_a_field_error(client, admin_author, settings, tmp_path):
    from disclosure.models import CatalogueAttachment
    from tests.factories.disclosure import TopicFactory

    settings.MEDIA_ROOT = tmp_path
    publisher, topic = AdministrativeEntityFactory(), TopicFactory()
    client.force_login(admin_author)
    data = _admin_form(
        publisher,
        topic,
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": "伪装的PDF",
            "attachments-0-file": SimpleUploadedFile("a.pdf", b"MZ not a pdf"),
            "attachments-0-sort_order": "0",
        },
    )
    response = client.post("/admin/disclosure/catalogueentry/add/", data)
    assert response.status_code == 200
    # the admin speaks the portal's language: expect the validator's own message in it
    with translation.override("en"):
        assert "This file type is not accepted" in _attachment_type_message()
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(_attachment_type_message()) in response.content.decode()
    assert not CatalogueEntry.objects.exists()
    assert not CatalogueAttachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_admin_bulk_publish_refuses_own_entries_with_a_message(
    client, admin_author, admin_reviewer
):
    own = CatalogueEntryFactory(author=admin_author)
    other = CatalogueEntryFactory(author=admin_author)
    client.force_login(admin_author)
    client.post(
        "/admin/disclosure/catalogueentry/",
        {"action": "submit_selected", "_selected_action": [own.pk, other.pk]},
    )
    response = client.post(
        "/admin/disclosure/catalogueentry/",
        {"action": "publish_selected", "_selected_action": [own.pk]},
        follow=True,
    )
    with translation.override("en"):
        assert "someone other than the author" in str(CatalogueSelfReview())
    with translation.override(settings.LANGUAGE_CODE):
        assert escape(str(CatalogueSelfReview())) in response.content.decode()
    own.refresh_from_db()
    assert own.status == Status.IN_REVIEW

    client.force_login(admin_reviewer)
    client.post(
        "/admin/disclosure/catalogueentry/",
        {"action": "publish_selected", "_selected_action": [own.pk, other.pk]},
    )
    assert set(CatalogueEntry.objects.values_list("status", flat=True)) == {Status.PUBLISHED}


def test_admin_withdraw_button_needs_a_reason(client, admin_reviewer):
    entry = publish_entry(CatalogueEntryFactory(), reviewer=catalogue_reviewer())
    client.force_login(admin_reviewer)
    url = seen_url(f"/admin/disclosure/catalogueentry/{entry.pk}/workflow/withdraw/", entry)
    assert client.post(url, {"note": ""}).status_code == 200
    response = client.post(url, {"note": "文件已废止"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.WITHDRAWN and entry.withdrawn_reason == "文件已废止"


def test_admin_list_and_change_pages_render(client, admin_reviewer):
    entry = publish_entry(CatalogueEntryFactory(), reviewer=catalogue_reviewer())
    client.force_login(admin_reviewer)
    assert client.get("/admin/disclosure/catalogueentry/").status_code == 200
    page = client.get(f"/admin/disclosure/catalogueentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert "workflow/withdraw/" in page.content.decode()
    assert client.get(f"/admin/disclosure/catalogueentry/{entry.pk}/history/").status_code == 200
    assert client.get("/admin/disclosure/topic/").status_code == 200
