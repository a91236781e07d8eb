"""Notes the portal writes into the official record are in Chinese, whatever the UI language."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import RequestFactory
from django.utils import translation

from disclosure.actions.catalogue import catalogue_entry_create
from disclosure.actions.normative import normative_filing_record_repeal, normative_filing_submit
from disclosure.models import AdministrativeEntity, CatalogueEntry
from tests.factories.disclosure import (
    CATALOGUE_AUTHOR_PERMS,
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_created_note_is_chinese_when_the_official_uses_english() -> None:
    author = UserFactory(perms=list(CATALOGUE_AUTHOR_PERMS))
    with translation.override("en"):
        entry = catalogue_entry_create(
            by=author,
            publisher=AdministrativeEntityFactory(),
            title="西岗区2006年政务公开工作要点",
            formed_date=datetime.date(2006, 3, 1),
        )
    assert [event.note for event in entry.events.all()] == ["新建"]


def test_repeal_note_is_chinese_when_the_official_uses_english() -> None:
    official = UserFactory(
        perms=[
            "disclosure.add_normativefiling",
            "disclosure.change_normativefiling",
            "disclosure.review_normativefiling",
        ]
    )
    filing = normative_filing_submit(
        entry=CatalogueEntryFactory(genre=CatalogueEntry.Genre.NORMATIVE_DOCUMENT),
        by=official,
        filing_no="西法备〔2006〕1号",
        submitted_date=datetime.date(2006, 3, 1),
        issue_date=datetime.date(2006, 5, 1),
    )
    with translation.override("en"):
        normative_filing_record_repeal(
            filing=filing, by=official, repeal_date=datetime.date(2007, 1, 1)
        )
    assert filing.events.latest("pk").note == "已于2007-01-01废止。"


def test_admin_bulk_note_is_chinese_when_the_official_uses_english() -> None:
    entity = AdministrativeEntityFactory(status=AdministrativeEntity.Status.DRAFT)
    request = RequestFactory().post("/admin/disclosure/administrativeentity/")
    request.user = UserFactory(perms=["disclosure.change_administrativeentity"])
    request._messages = CookieStorage(request)
    model_admin = admin.site.get_model_admin(AdministrativeEntity)
    queryset = AdministrativeEntity.objects.filter(pk=entity.pk)

    with translation.override("en"):
        model_admin.submit_selected(request, queryset)

    entity.refresh_from_db()
    assert entity.status == AdministrativeEntity.Status.SUBMITTED
    assert [event.note for event in entity.events.all()] == ["后台批量操作"]
