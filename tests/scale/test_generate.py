"""The scale generator: counts, reproducibility, invariants, working pages, and search on
a few thousand generated entries (correctness, not speed: issue 9's cheap guards)."""

import re

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from complaints.models import Complaint
from disclosure.models import (
    AdministrativeEntity,
    CatalogueEntry,
    FeeItem,
    IndexNumberSerial,
    InformationRequest,
    PublicInstitution,
)
from disclosure.search import catalogue_entry_search
from disclosure.search.documents import INDEXED_FIELDS, EntryTokens
from disclosure.selectors.catalogue import (
    CatalogueFilters,
    catalogue_entry_list,
    catalogue_public_queryset,
)
from scale.generator import TRACKING_PASSWORD, Sizes, generate
from services.models import ServiceCase, ServiceItem

pytestmark = pytest.mark.django_db

CO_PUBLISHERS = CatalogueEntry.co_publishers.through
SMALL = Sizes(entities=8, entries=300, institutions=5, cases=200, complaints=50, requests=30)


def _fingerprint() -> dict[str, list]:
    """What a user would see of the generated records (no timestamps, no password salts)."""
    return {
        "entities": list(
            AdministrativeEntity.objects.order_by("pk").values_list("name", "credit_code", "status")
        ),
        "entries": list(
            CatalogueEntry.objects.order_by("pk").values_list(
                "index_no", "title", "body", "publisher__name", "published_date", "status"
            )
        ),
        "cases": list(
            ServiceCase.objects.order_by("pk").values_list("case_no", "status", "received_on")
        ),
        "complaints": list(
            Complaint.objects.order_by("pk").values_list("tracking_no", "status", "description")
        ),
        "requests": list(InformationRequest.objects.order_by("pk").values_list("tracking_no")),
        "institutions": list(PublicInstitution.objects.order_by("pk").values_list("name")),
        "co_publishers": list(
            CO_PUBLISHERS.objects.order_by(
                "catalogueentry_id", "administrativeentity__name"
            ).values_list("catalogueentry__title", "administrativeentity__name")
        ),
    }


def test_the_command_makes_the_counts_asked_for() -> None:
    call_command(
        "generate_scale_data",
        "--entities=8",
        "--entries=300",
        "--institutions=5",
        "--cases=200",
        "--complaints=50",
        "--requests=30",
        "--seed=3",
        stdout=None,
        stderr=None,
    )
    assert AdministrativeEntity.objects.count() == 8
    assert CatalogueEntry.objects.count() == 300
    assert PublicInstitution.objects.count() == 5
    assert FeeItem.objects.filter(status="published").count() >= 10
    assert ServiceCase.objects.count() == 200
    assert Complaint.objects.count() == 50
    assert InformationRequest.objects.count() == 30
    # Most entries are public; drafts and entries in review are not.
    published = CatalogueEntry.objects.filter(status="published").count()
    assert 240 <= published < 300
    assert CatalogueEntry.objects.filter(status="draft").exists()


def test_same_seed_same_records_other_seed_other_records() -> None:
    with transaction.atomic():
        generate(SMALL, seed=11)
        first = _fingerprint()
        transaction.set_rollback(True)
    with transaction.atomic():
        generate(SMALL, seed=11)
        again = _fingerprint()
        transaction.set_rollback(True)
    generate(SMALL, seed=12)
    other = _fingerprint()
    assert first == again
    assert first["co_publishers"]
    assert first["entries"] != other["entries"]
    assert first["co_publishers"] != other["co_publishers"]
    assert first["cases"] != other["cases"]


def test_index_numbers_are_valid_and_the_serials_continue_after_them() -> None:
    generate(SMALL, seed=5)
    listed = CatalogueEntry.objects.filter(status__in=["published", "withdrawn"])
    assert not listed.filter(index_no=None).exists()
    pattern = re.compile(r"^(?P<code>[0-9A-Z]{18})/(?P<year>\d{4})-(?P<serial>\d{5,})$")
    last: dict[tuple[int, int], int] = {}
    for publisher_id, code, index_no, published in listed.values_list(
        "publisher_id", "publisher__credit_code", "index_no", "published_date"
    ):
        match = pattern.match(index_no)
        assert match, index_no
        assert match["code"] == code
        assert int(match["year"]) == published.year
        key = (publisher_id, published.year)
        last[key] = max(last.get(key, 0), int(match["serial"]))
    serials = {(s.publisher_id, s.year): s.last_value for s in IndexNumberSerial.objects.all()}
    assert serials == last
    # Tracking numbers are unique and open with the documented password.
    complaint = Complaint.objects.first()
    assert complaint.tracking_password_check(TRACKING_PASSWORD)
    assert not complaint.tracking_password_check("wrong")
    # The clocks respect the models' order of dates (also checked by the database).
    assert not ServiceCase.objects.filter(due_date__lt=F("accepted_on")).exists()


def test_the_index_holds_exactly_the_tokens_the_search_code_would_make() -> None:
    """The generator tokenises clauses once; the result must equal tokenising each entry."""
    from django.db import connection

    generate(Sizes(entities=5, entries=120, institutions=0, cases=0, complaints=0, requests=0))
    rows = CatalogueEntry.objects.order_by("pk").values_list(*INDEXED_FIELDS)
    with connection.cursor() as cursor:
        for row in rows:
            expected = EntryTokens.from_row(row)
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT tsvector_to_array(document), tsvector_to_array(title_document)"
                    " FROM disclosure_catalogue_search WHERE entry_id = %s",
                    [row[0]],
                )
                document, title = cursor.fetchone()
                assert set(title) == set(expected.title)
                assert set(document) == set(expected.title + expected.summary + expected.body)
            else:
                cursor.execute(
                    "SELECT title, summary, body FROM disclosure_catalogue_fts WHERE rowid = %s",
                    [row[0]],
                )
                title, summary, body = cursor.fetchone()
                assert set(title.split()) == set(expected.title)
                assert set(summary.split()) == set(expected.summary)
                assert set(body.split()) == set(expected.body)


def test_public_pages_answer_on_generated_data(client) -> None:
    generate(SMALL, seed=2)
    entry = CatalogueEntry.objects.published().order_by("-published_date").first()
    entity = AdministrativeEntity.objects.announced().first()
    institution = PublicInstitution.objects.filter(is_active=True).first()
    item = ServiceItem.objects.filter(is_published=True).first()
    urls = [
        reverse("home"),
        reverse("disclosure:catalogue-list"),
        reverse("disclosure:catalogue-list") + "?q=%E6%8A%95%E8%AF%89",  # 投诉
        entry.get_absolute_url(),
        reverse("disclosure:entity-detail", kwargs={"pk": entity.pk}),
        reverse("disclosure:institution-detail", kwargs={"pk": institution.pk}),
        reverse("disclosure:fee-search") + "?q=%E4%BD%8F%E5%AE%BF",  # 住宿
        reverse("services:item-detail", kwargs={"pk": item.pk}),
        reverse("services:statistics"),
        reverse("complaints:complaint-ledger"),
        "/api/v1/disclosure/entries/",
        "/open311/v2/requests.json",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


@pytest.fixture
def generated_catalogue() -> None:
    generate(Sizes(entities=12, entries=3000, institutions=0, cases=0, complaints=0, requests=0))


def test_about_one_entry_in_fifty_is_co_published_by_other_publishers(
    generated_catalogue,
) -> None:
    # 3,000 entries, each co-published with probability 2 %: 60 expected (σ ≈ 7.7)
    per_entry: dict[int, list[int]] = {}
    for entry_id, publisher_id in CO_PUBLISHERS.objects.values_list(
        "catalogueentry_id", "administrativeentity_id"
    ):
        per_entry.setdefault(entry_id, []).append(publisher_id)
    assert 30 <= len(per_entry) <= 90
    sizes = [len(co) for co in per_entry.values()]
    assert set(sizes) == {1, 2}, "one or two co-publishers, both occur"
    assert sizes.count(1) > sizes.count(2)
    # never the entry's own publisher, always a publisher whose entries the catalogue lists
    own = dict(CatalogueEntry.objects.filter(pk__in=per_entry).values_list("pk", "publisher_id"))
    assert not [entry for entry, co in per_entry.items() if own[entry] in co]
    publishers = set(CatalogueEntry.objects.values_list("publisher_id", flat=True))
    assert {p for co in per_entry.values() for p in co} <= publishers
    # the generated counts say how many entries are co-published
    assert (
        len(per_entry)
        == CatalogueEntry.objects.filter(co_publishers__isnull=False).distinct().count()
    )


def test_a_publisher_filter_finds_its_co_published_entries_once(generated_catalogue) -> None:
    public = catalogue_public_queryset()
    entry = public.filter(co_publishers__isnull=False).order_by("-published_date", "pk").first()
    co_publisher = entry.co_publishers.order_by("pk").first()
    assert co_publisher.pk != entry.publisher_id

    found = catalogue_entry_list(filters=CatalogueFilters(publisher=co_publisher.pk))

    assert found.filter(pk=entry.pk).exists()
    own = set(public.filter(publisher=co_publisher).values_list("pk", flat=True))
    co_published = set(public.filter(co_publishers=co_publisher).values_list("pk", flat=True))
    assert co_published and not own & co_published
    ids = list(found.values_list("pk", flat=True))
    assert len(ids) == len(set(ids)) == len(own | co_published)


def _contains(word: str) -> Q:
    condition = Q()
    for field in ("title", "document_no", "keywords", "summary", "body"):
        condition |= Q(**{f"{field}__contains": word})
    return condition


@pytest.mark.parametrize("word", ["投诉", "收费", "环境", "营商环境"])
def test_search_finds_the_words_of_generated_entries(generated_catalogue, word: str) -> None:
    published = CatalogueEntry.objects.published()
    hits = set(catalogue_entry_search(published, word).values_list("pk", flat=True))
    truth = set(published.filter(_contains(word)).values_list("pk", flat=True))
    assert len(truth) >= 20, "the vocabulary must make the word common"
    assert hits <= truth, "every hit holds the word"
    # jieba's search mode finds a word wherever it is segmented as one (the experiment:
    # 99.8-100 %); a word made only across two words' boundary in a body may be missed.
    assert len(hits) >= 0.95 * len(truth)


def test_search_ranks_title_matches_first_then_newest(generated_catalogue) -> None:
    results = list(
        catalogue_entry_search(CatalogueEntry.objects.published(), "通知").values_list(
            "search_rank", "published_date", "title", "keywords", "document_no"
        )
    )
    ranks = [rank for rank, *_rest in results]
    assert 1 in ranks and 0 in ranks
    assert ranks == sorted(ranks, reverse=True), "title matches before body matches"
    for rank, _date, title, keywords, document_no in results:
        assert (rank == 1) == ("通知" in f"{title} {keywords} {document_no}")
    for tier in (0, 1):
        dates = [date for rank, date, *_rest in results if rank == tier]
        assert dates == sorted(dates, reverse=True), "newer before older among equals"


def test_search_finds_nothing_for_an_absent_word(generated_catalogue) -> None:
    assert not catalogue_entry_search(CatalogueEntry.objects.published(), "旋律").exists()


LIST_PAGES = [
    "/",
    "/catalogue/",
    "/catalogue/?q=%E5%85%B3%E4%BA%8E",  # 关于: in nearly every generated title, so 1+ hits
    "/complaints/",
    "/institutions/fees/?q=%E4%BD%8F%E5%AE%BF",  # 住宿
    "/statistics/",
    "/api/v1/disclosure/entries/",
    "/api/v1/disclosure/entities/",
    "/api/v1/services/items/",
    "/api/v1/complaints/ledger/",
    "/open311/v2/requests.json",
]


def _query_counts(client) -> dict[str, int]:  # noqa: ANN001
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for url in LIST_PAGES:
        client.get(url)  # warm caches that a first request fills
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(captured)
    return counts


def test_list_pages_cost_the_same_queries_with_few_and_many_records(client) -> None:
    """Issue 9: at most 10 queries a page, the same for a handful of rows and for many."""
    generate(Sizes(entities=3, entries=5, institutions=1, cases=5, complaints=3, requests=2))
    few = _query_counts(client)
    generate(
        Sizes(entities=10, entries=400, institutions=10, cases=300, complaints=120, requests=40),
        seed=9,
    )
    many = _query_counts(client)
    assert many == few
    assert max(many.values()) <= 10, many
