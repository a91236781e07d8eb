"""Index numbers (索引号): PREFIX/YYYY-NNNNN, per publisher and year, immutable, never reused."""

import datetime
import threading

import pytest
from django.db import connection

from disclosure.actions.catalogue import (
    catalogue_entry_publish,
    catalogue_entry_submit_for_review,
    catalogue_entry_withdraw,
)
from disclosure.models import CatalogueEntry, IndexNumberSerial
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    catalogue_reviewer,
    publish_entry,
)


@pytest.mark.django_db
def test_serial_per_publisher_and_year():
    reviewer = catalogue_reviewer()
    first, second = AdministrativeEntityFactory(), AdministrativeEntityFactory()
    a = publish_entry(CatalogueEntryFactory(publisher=first), reviewer=reviewer)
    b = publish_entry(CatalogueEntryFactory(publisher=first), reviewer=reviewer)
    c = publish_entry(CatalogueEntryFactory(publisher=second), reviewer=reviewer)
    d = publish_entry(
        CatalogueEntryFactory(publisher=first, formed_date=datetime.date(2007, 1, 5)),
        reviewer=reviewer,
    )
    assert a.index_no == f"{first.credit_code}/2006-00001"
    assert b.index_no == f"{first.credit_code}/2006-00002"
    assert c.index_no == f"{second.credit_code}/2006-00001"
    assert d.index_no == f"{first.credit_code}/2007-00001"
    assert len(a.index_no) == 18 + 1 + 10


@pytest.mark.django_db
def test_drafts_have_no_index_number():
    assert CatalogueEntryFactory().index_no is None


@pytest.mark.django_db
def test_withdrawn_entry_keeps_its_number_and_it_is_never_reused():
    reviewer = catalogue_reviewer()
    publisher = AdministrativeEntityFactory()
    first = publish_entry(CatalogueEntryFactory(publisher=publisher), reviewer=reviewer)
    catalogue_entry_withdraw(entry=first, by=reviewer, reason="内容有误")
    first.refresh_from_db()
    second = publish_entry(CatalogueEntryFactory(publisher=publisher), reviewer=reviewer)
    assert first.index_no.endswith("2006-00001")
    assert second.index_no.endswith("2006-00002")
    assert IndexNumberSerial.objects.get(publisher=publisher, year=2006).last_value == 2


@pytest.mark.django_db
def test_index_number_is_not_editable_in_forms():
    assert CatalogueEntry._meta.get_field("index_no").editable is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_parallel_publication_gives_distinct_consecutive_numbers():
    # given 20 entries of one publisher waiting in review
    reviewer = catalogue_reviewer()
    publisher = AdministrativeEntityFactory()
    entries = [CatalogueEntryFactory(publisher=publisher) for _ in range(20)]
    for entry in entries:
        catalogue_entry_submit_for_review(entry=entry, by=entry.author)
    barrier = threading.Barrier(len(entries))
    errors: list[BaseException] = []

    def publish(entry: CatalogueEntry) -> None:
        try:
            barrier.wait(timeout=30)
            catalogue_entry_publish(entry=entry, by=reviewer, published_date=entry.formed_date)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    # when they are all published at once, each in its own thread and connection
    threads = [threading.Thread(target=publish, args=(entry,)) for entry in entries]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then the numbers are 1..20, each once
    assert errors == []
    numbers = sorted(
        CatalogueEntry.objects.filter(publisher=publisher).values_list("index_no", flat=True)
    )
    assert numbers == [f"{publisher.credit_code}/2006-{n:05d}" for n in range(1, 21)]
