"""The page cache's areas: a write gives up only the pages that can show it.

A complaint submitted every few milliseconds must not re-render the catalogue, the entity pages
and the service guides, which read no complaint table; a publication must still reach every
page that lists entries, and a write the cache cannot place gives every page up.
"""

import time
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache, caches
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

from complaints.models import Complaint
from config import page_cache
from config.page_cache import AREAS, HEADER
from tests.factories.complaints import COMPLAINANT_MOBILE, COMPLAINANT_NAME, submit_complaint
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    UserFactory,
    publish_entry,
)
from tests.factories.services import ServiceItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entity():
    return AdministrativeEntityFactory(name="西岗区市场监督管理局")


@pytest.fixture
def pages(entity) -> dict[str, str]:
    """One public page of each kind, keyed by what it is."""
    entry = publish_entry(CatalogueEntryFactory(title="关于调整城市道路停车收费标准的通知"))
    item = ServiceItemFactory(name="食品经营许可", entity=entity)
    return {
        "entry": f"/catalogue/entries/{entry.pk}/",
        "catalogue": "/catalogue/",
        "entity": f"/entities/{entity.pk}/",
        "guide": f"/services/items/{item.pk}/",
        "services": "/services/",
        "ledger": "/complaints/",
        "home": "/",
        "api_root": "/api/v1/",
        "entries_api": "/api/v1/disclosure/entries/",
    }


def _warm(client: Client, urls: dict[str, str]) -> None:
    """Each page rendered and stored, and proved stored (a hit)."""
    for name, url in urls.items():
        client.get(url)
        assert client.get(url)[HEADER] == "hit", name


def _served(client: Client, urls: dict[str, str]) -> dict[str, str]:
    return {name: client.get(url)[HEADER] for name, url in urls.items()}


def _complaint_form(entity_pk: int) -> dict:
    return {
        "entity": entity_pk,
        "category": "delay",
        "description": "窗口工作人员拖延办理，三次往返仍未受理。",
        "complainant_name": COMPLAINANT_NAME,
        "complainant_mobile": COMPLAINANT_MOBILE,
    }


# --- What a write gives up ----------------------------------------------------------------------


def test_a_complaint_submitted_leaves_the_catalogue_entities_and_guides_cached(
    client, pages, entity
):
    _warm(client, pages)

    # when: a citizen files a complaint about the entity through the public form (their own
    # session, so not through the reader's client)
    filed = Client().post("/complaints/new/", _complaint_form(entity.pk))

    # then
    assert filed.status_code == 302
    assert Complaint.objects.count() == 1
    assert _served(client, pages) == {
        "entry": "hit",
        "catalogue": "hit",
        "entity": "hit",
        "guide": "hit",
        "services": "hit",
        "entries_api": "hit",
        "ledger": "miss",  # lists the complaint
        "home": "miss",  # reads every part of the portal
        "api_root": "miss",  # a config view: depends on everything
    }


def test_the_ledger_shows_the_new_complaint_at_once(
    client, pages, entity, settings, django_capture_on_commit_callbacks
):
    settings.COMPLAINTS_LEDGER_REFRESH_SECONDS = 0  # the ledger's own tallies: no interval
    before = client.get(pages["ledger"])

    with django_capture_on_commit_callbacks(execute=True):  # the ledger's tallies follow commits
        complaint, _credentials = submit_complaint(entity=entity)

    after = client.get(pages["ledger"])
    assert complaint.tracking_no not in before.content.decode()
    assert after[HEADER] == "miss"
    assert complaint.tracking_no in after.content.decode()


def test_a_publication_reaches_the_catalogue_the_services_and_the_home_page(client, pages):
    draft = CatalogueEntryFactory(title="关于公布二〇二六年度行政事业性收费目录的通知")
    _warm(client, pages)

    publish_entry(draft)

    served = _served(client, pages)
    assert served == dict.fromkeys(pages, "miss")  # every page reads the catalogue's part
    assert draft.title in client.get(pages["catalogue"]).content.decode()


def test_a_service_item_added_leaves_the_catalogue_cached_and_reaches_the_guides(
    client, pages, entity
):
    _warm(client, pages)

    ServiceItemFactory(name="建设工程消防验收", entity=entity)

    served = _served(client, pages)
    assert {name: served[name] for name in ("entry", "catalogue", "entity", "entries_api")} == (
        dict.fromkeys(("entry", "catalogue", "entity", "entries_api"), "hit")
    )
    assert {name: served[name] for name in ("guide", "services", "ledger", "home", "api_root")} == (
        dict.fromkeys(("guide", "services", "ledger", "home", "api_root"), "miss")
    )
    assert "建设工程消防验收" in client.get(pages["services"]).content.decode()


def test_a_write_to_a_core_table_gives_every_page_up(client, pages):
    _warm(client, pages)

    UserFactory()  # auth_user: a table of no part of the portal

    assert _served(client, pages) == dict.fromkeys(pages, "miss")


def test_raw_sql_on_a_table_of_no_part_gives_every_page_up(client, pages):
    _warm(client, pages)
    user_table = get_user_model()._meta.db_table

    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {user_table} SET first_name = %s WHERE id = -1", ["无"])  # noqa: S608

    assert _served(client, pages) == dict.fromkeys(pages, "miss")


def test_bump_without_an_area_gives_every_page_up(client, pages):
    _warm(client, pages)

    page_cache.bump()

    assert _served(client, pages) == dict.fromkeys(pages, "miss")


def test_bump_of_one_area_gives_up_its_pages_and_those_above(client, pages):
    _warm(client, pages)

    page_cache.bump("services")

    served = _served(client, pages)
    assert (served["catalogue"], served["entity"]) == ("hit", "hit")
    assert (served["guide"], served["ledger"], served["home"]) == ("miss", "miss", "miss")


def test_bump_refuses_an_area_that_does_not_exist():
    with pytest.raises(ValueError, match="no such area"):
        page_cache.bump("complaint")


def test_a_transaction_bumps_on_commit_every_area_it_wrote(django_capture_on_commit_callbacks):
    entity = AdministrativeEntityFactory()
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        submit_complaint(entity=entity)
        ServiceItemFactory(entity=entity)
        during = page_cache.area_versions()

    bumps = [c for c in callbacks if c.__module__ == page_cache.__name__]
    assert len(bumps) == 1
    bumps[0]()
    after = page_cache.area_versions()
    changed = {area for area in AREAS if after[area] != during[area]}
    assert changed == {"services", "complaints"}


# --- Which pages depend on what -----------------------------------------------------------------


def _app_views(patterns: list, app: str | None = None):
    """(app whose URLconf holds it, view) for every URL, down the whole URL tree."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            module = pattern.urlconf_module
            name = module if isinstance(module, str) else getattr(module, "__name__", "")
            top = name.split(".", 1)[0]
            yield from _app_views(pattern.url_patterns, top if top in AREAS else app)
        elif isinstance(pattern, URLPattern):
            yield app, pattern


def test_every_view_of_a_part_is_placed_in_its_part():
    # A decorator that hides a view's module (no functools.wraps) would move its pages into
    # another part, and a write there would leave them stale.
    placed = [
        (app, str(pattern.pattern), page_cache.view_areas(pattern.callback))
        for app, pattern in _app_views(get_resolver().url_patterns)
        if app is not None
    ]

    assert {app for app, _route, _areas in placed} >= {"disclosure", "services", "complaints"}
    misplaced = [
        (app, route, areas)
        for app, route, areas in placed
        if areas != AREAS[: AREAS.index(app) + 1]
    ]
    assert misplaced == []


def _unplaceable_view(request):  # noqa: ANN001, ANN202 - a view of no part of the portal
    raise AssertionError("not called")


def test_a_page_whose_view_is_of_no_part_depends_on_every_part():
    assert page_cache.view_areas(_unplaceable_view) == AREAS


@pytest.mark.parametrize(
    ("url", "areas"),
    [
        ("/", AREAS),
        ("/en/", AREAS),
        ("/api/v1/", AREAS),
        ("/api/schema/", AREAS),
        ("/no/such/page/", AREAS),
        ("/catalogue/", ("workdays", "disclosure")),
        ("/en/catalogue/", ("workdays", "disclosure")),
        ("/sitemap.xml", ("workdays", "disclosure")),
        ("/catalogue/feed/", ("workdays", "disclosure")),
        ("/api/v1/disclosure/entries/", ("workdays", "disclosure")),
        ("/api/v1/workdays/days/", ("workdays",)),
        ("/services/", ("workdays", "disclosure", "services")),
        ("/statistics/", ("workdays", "disclosure", "services")),
        ("/api/v1/services/items/", ("workdays", "disclosure", "services")),
        ("/complaints/", AREAS),
        ("/open311/v2/services.json", AREAS),
        ("/api/v1/complaints/ledger/", AREAS),
    ],
)
def test_a_page_depends_on_its_part_and_the_parts_below(rf, url, areas):
    with translation.override("en" if url.startswith("/en/") else "zh-hans"):
        assert page_cache.page_areas(rf.get(url)) == areas


def test_a_complaint_write_gives_up_open311_and_the_home_page_but_not_the_sitemap(
    client, pages, entity
):
    urls = {"open311": "/open311/v2/services.json", "sitemap": "/sitemap.xml", "home": "/"}
    _warm(client, urls)

    submit_complaint(entity=entity)

    assert _served(client, urls) == {"open311": "miss", "sitemap": "hit", "home": "miss"}


# --- Which area a write is in ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "areas"),
    [
        ('INSERT INTO "complaints_complaint" ("a") VALUES (%s)', ("complaints",)),
        ('UPDATE "complaints_historicalcomplaint" SET "a" = %s', ("complaints",)),
        ('INSERT INTO "disclosure_catalogue_search" ("a") VALUES (%s)', ("disclosure",)),
        ("DELETE FROM services_servicecase WHERE id = %s", ("services",)),
        ('INSERT OR REPLACE INTO "workdays_calendarday" ("a") VALUES (%s)', ("workdays",)),
        ('UPDATE "auth_user" SET "last_login" = %s', AREAS),
        ('INSERT INTO "django_admin_log" ("a") VALUES (%s)', AREAS),
        ('INSERT INTO "workspace_savedfilter" ("a") VALUES (%s)', AREAS),
        ('INSERT INTO "complaintsarchive" ("a") VALUES (%s)', AREAS),
        ('ALTER TABLE "disclosure_topic" ADD COLUMN "b" int', AREAS),
        ("UPDATE complaints_complaint SET a = 1; UPDATE disclosure_topic SET b = 2", AREAS),
        ("WITH moved AS (UPDATE complaints_complaint SET a = 1 RETURNING id) SELECT 1", AREAS),
        (b"UPDATE complaints_complaint SET a = 1", AREAS),
        ('INSERT INTO "django_session" ("a") VALUES (%s)', ()),
        ('DELETE FROM "axes_accessattempt"', ()),
        ('SELECT "a" FROM "complaints_complaint"', ()),
        ("WITH x AS (SELECT 1) SELECT * FROM x", ()),
        ("UPDATE complaints_complaint SET a = 1;", ("complaints",)),
    ],
)
def test_a_write_is_placed_by_its_table(sql, areas):
    assert page_cache.written_areas(sql) == areas


# --- One read of the versions, and the settle window per page ------------------------------------


def test_a_hit_reads_the_versions_in_one_request_to_the_cache(client, pages):
    # One MGET on Redis: the page's versions are not read one by one (locmem's get_many loops).
    backend = caches["default"]
    client.get(pages["guide"])

    with mock.patch.object(backend, "get_many", wraps=backend.get_many) as get_many:
        response = client.get(pages["guide"])

    assert response[HEADER] == "hit"
    version_reads = [c for c in get_many.call_args_list if "pagecache:version:" in str(c)]
    assert len(version_reads) == 1
    assert sorted(version_reads[0].args[0]) == sorted(
        f"pagecache:version:{area}" for area in ("workdays", "disclosure", "services")
    )


def _settled_versions() -> None:
    """Every area's version two minutes old, as on a portal where nothing was written lately."""
    old = f"{time.time_ns() - 120 * 10**9:x}.00000000"
    cache.set_many({f"pagecache:version:{area}": old for area in AREAS}, timeout=None)


def test_the_settle_window_holds_back_only_the_pages_of_the_part_just_written(
    client, pages, entity, settings
):
    settings.GONGKAI_PAGE_CACHE_SETTLE_SECONDS = 60  # the replica's lag, say
    _settled_versions()
    urls = {"catalogue": pages["catalogue"], "ledger": pages["ledger"]}
    _warm(client, urls)

    submit_complaint(entity=entity)

    first, second = _served(client, urls), _served(client, urls)
    assert first == {"catalogue": "hit", "ledger": "miss"}
    assert second == {"catalogue": "hit", "ledger": "miss"}  # not stored within the window


def test_an_area_whose_version_the_cache_lost_gives_its_pages_up(client, pages):
    _warm(client, pages)

    cache.delete("pagecache:version:services")  # evicted by Redis, say

    served = _served(client, pages)
    assert (served["catalogue"], served["guide"], served["home"]) == ("hit", "miss", "miss")
    assert _served(client, pages)["guide"] == "hit"  # a new version, kept
