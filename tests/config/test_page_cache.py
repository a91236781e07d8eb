"""The anonymous page cache: who is served from it, what is stored, and that nothing goes stale."""

import datetime
import io
import pickle
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from config import page_cache
from config.page_cache import HEADER
from disclosure.models import CatalogueEntry
from tests.config.test_settings import run_manage
from tests.factories.complaints import COMPLAINANT_MOBILE, COMPLAINANT_NAME, submit_complaint
from tests.factories.disclosure import CatalogueEntryFactory, UserFactory, publish_entry
from workdays.models import CalendarDay

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    return publish_entry(CatalogueEntryFactory(title="关于调整城市道路停车收费标准的通知"))


def _entry_url(entry: CatalogueEntry, prefix: str = "") -> str:
    return f"{prefix}/catalogue/entries/{entry.pk}/"


def _twice(client: Client, url: str, **extra) -> tuple:
    return client.get(url, **extra), client.get(url, **extra)


def _stored_pages() -> list[bytes]:
    """The content of every page in the (local-memory) cache."""
    pages = []
    for value in cache._cache.values():  # LocMemCache keeps pickled values
        try:
            stored = pickle.loads(value)  # noqa: S301 - our own test cache
        except Exception:  # noqa: S112 - not every cached value is a page
            continue
        if isinstance(stored, tuple) and len(stored) == 2 and isinstance(stored[0], bytes):
            pages.append(stored[0])
    return pages


# --- Served from the cache ---------------------------------------------------------------------


def test_the_second_anonymous_get_is_served_from_the_cache(client, entry):
    first, second = _twice(client, _entry_url(entry))

    assert (first.status_code, second.status_code) == (200, 200)
    assert (first[HEADER], second[HEADER]) == ("miss", "hit")
    assert second.content == first.content
    assert entry.title in second.content.decode()
    # What the inner middleware added is kept: the page is as framed and as protected.
    assert second["X-Frame-Options"] == first["X-Frame-Options"]
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize(
    "url",
    ["/", "/catalogue/", "/catalogue/feed/", "/sitemap.xml", "/open311/v2/services.json"],
)
def test_home_list_feed_sitemap_and_open311_are_cached(client, entry, url):
    first, second = _twice(client, url)

    assert first.status_code == 200
    assert second[HEADER] == "hit"
    assert second.content == first.content


def test_head_is_answered_from_the_get_page(client, entry):
    client.get(_entry_url(entry))

    assert client.head(_entry_url(entry))[HEADER] == "hit"


def test_query_strings_are_different_pages(client, entry):
    client.get("/catalogue/?q=停车")

    assert client.get("/catalogue/?q=收费")[HEADER] == "miss"
    assert client.get("/catalogue/?q=停车")[HEADER] == "hit"


def test_off_means_no_cache_and_no_header(client, entry, settings):
    settings.GONGKAI_PAGE_CACHE = False

    first, second = _twice(client, _entry_url(entry))

    assert HEADER not in first
    assert HEADER not in second


# --- Never served from or stored in the cache ---------------------------------------------------


def test_a_signed_in_official_is_never_served_a_cached_page(client, entry):
    client.get(_entry_url(entry))  # stored for anonymous readers
    client.force_login(UserFactory())

    first, second = _twice(client, _entry_url(entry))

    assert HEADER not in first
    assert HEADER not in second


def test_a_request_with_a_session_cookie_is_never_served_from_the_cache(client, entry):
    client.get(_entry_url(entry))
    client.cookies["sessionid"] = "anything"

    assert HEADER not in client.get(_entry_url(entry))


def test_a_request_with_credentials_is_never_served_from_the_cache(client, entry):
    client.get("/api/v1/disclosure/entries/")

    response = client.get("/api/v1/disclosure/entries/", HTTP_AUTHORIZATION="Basic eDp5")

    assert HEADER not in response


@pytest.mark.parametrize(
    "url", ["/complaints/new/", "/requests/new/", "/complaints/track/", "/requests/track/"]
)
def test_form_and_tracking_pages_are_never_cached(client, url):
    first, second = _twice(client, url)

    assert first.status_code == 200
    assert second.get(HEADER) != "hit"
    assert "csrfmiddlewaretoken" in second.content.decode()


def test_a_page_with_a_csrf_token_is_not_stored(client):
    # The requests index carries a tracking form: its token is the reader's own.
    first, second = _twice(client, "/requests/")

    assert "csrfmiddlewaretoken" in first.content.decode()
    assert (first[HEADER], second[HEADER]) == ("miss", "miss")


def test_a_page_carries_no_csrf_token_from_the_header_forms(client, entry):
    # The language and large-text switches post without a token, so any page can be cached.
    html = client.get(_entry_url(entry)).content.decode()

    assert "csrfmiddlewaretoken" not in html


def test_the_officials_admin_and_workspace_are_never_cached(client, settings):
    for url in (f"/{settings.GONGKAI_ADMIN_PATH}login/", "/officials/queue/"):
        first, second = _twice(client, url)
        assert HEADER not in first
        assert HEADER not in second


def test_a_tracking_result_and_personal_data_are_never_stored(client):
    complaint, credentials = submit_complaint()
    client.get("/complaints/")  # the public ledger (numbers, dates, states) is stored
    client.post(
        "/complaints/track/", {"number": complaint.tracking_no, "password": credentials.password}
    )
    detail = f"/complaints/track/{complaint.tracking_no}/"

    first, second = _twice(client, detail)
    anonymous = Client().get(detail)

    timeline = 'id="timeline-heading"'  # the complaint's own record, for the proved reader only
    assert timeline in first.content.decode()
    assert HEADER not in second
    assert timeline not in anonymous.content.decode()
    assert HEADER not in anonymous
    for page in _stored_pages():
        text = page.decode()
        assert timeline not in text
        assert COMPLAINANT_NAME not in text
        assert COMPLAINANT_MOBILE not in text


# --- Variants do not mix ------------------------------------------------------------------------


def test_chinese_and_english_pages_do_not_mix(client, entry):
    client.get(_entry_url(entry))
    client.get(_entry_url(entry, "/en"))

    chinese = client.get(_entry_url(entry))
    english = client.get(_entry_url(entry, "/en"))

    assert (chinese[HEADER], english[HEADER]) == ("hit", "hit")
    assert chinese["Content-Language"] == "zh-hans"
    assert english["Content-Language"] == "en"
    assert 'lang="zh-hans"' in chinese.content.decode()
    assert 'lang="en"' in english.content.decode()


def test_open311_json_and_xml_do_not_mix(client):
    client.get("/open311/v2/services.json")
    client.get("/open311/v2/services.xml")

    json_page = client.get("/open311/v2/services.json")
    xml_page = client.get("/open311/v2/services.xml")

    assert (json_page[HEADER], xml_page[HEADER]) == ("hit", "hit")
    assert json_page["Content-Type"].startswith("application/json")
    assert "xml" in xml_page["Content-Type"]


def test_the_api_keys_on_the_accept_header(client, entry):
    url = "/api/v1/disclosure/entries/"
    client.get(url, HTTP_ACCEPT="application/json")

    other = client.get(url, HTTP_ACCEPT="application/json; indent=4")
    again = client.get(url, HTTP_ACCEPT="application/json")

    assert other[HEADER] == "miss"
    assert b"\n    " in other.content  # indented: not the compact page stored first
    assert again[HEADER] == "hit"


def test_large_text_readers_get_their_own_page(client, entry):
    client.get(_entry_url(entry))
    client.cookies["gongkai_large_text"] = "1"

    response = client.get(_entry_url(entry))

    assert response[HEADER] == "miss"
    assert '<body class="large-text' in response.content.decode()


def test_a_new_day_is_a_new_page(client, entry):
    client.get(_entry_url(entry))
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with mock.patch.object(timezone, "localdate", return_value=tomorrow):
        next_day = client.get(_entry_url(entry))

    assert next_day[HEADER] == "miss"
    assert client.get(_entry_url(entry))[HEADER] == "hit"


# --- Invalidation -------------------------------------------------------------------------------


def test_a_publication_shows_at_once_on_the_catalogue_and_its_page(client):
    draft = CatalogueEntryFactory(title="关于公布二〇二六年度行政事业性收费目录的通知")
    _twice(client, "/catalogue/")
    assert client.get(_entry_url(draft)).status_code == 404

    publish_entry(draft)

    listing = client.get("/catalogue/")
    page = client.get(_entry_url(draft))
    assert listing[HEADER] == "miss"
    assert draft.title in listing.content.decode()
    assert page.status_code == 200


def test_a_queryset_update_invalidates_at_once(client, entry):
    _twice(client, _entry_url(entry))

    CatalogueEntry.objects.filter(pk=entry.pk).update(title="更正后的标题")

    response = client.get(_entry_url(entry))
    assert response[HEADER] == "miss"
    assert "更正后的标题" in response.content.decode()


def test_raw_sql_invalidates_too(client, entry):
    _twice(client, _entry_url(entry))

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {CatalogueEntry._meta.db_table} SET title = %s WHERE id = %s",  # noqa: S608
            ["原始语句改的标题", entry.pk],
        )

    assert "原始语句改的标题" in client.get(_entry_url(entry)).content.decode()


def test_a_rolled_back_write_leaves_no_stale_page(client, entry):
    _twice(client, _entry_url(entry))

    with pytest.raises(RuntimeError), transaction.atomic():
        CatalogueEntry.objects.filter(pk=entry.pk).update(title="未提交的标题")
        inside = client.get(_entry_url(entry))  # this connection sees its own write
        raise RuntimeError("rolled back")

    after = client.get(_entry_url(entry))
    again = client.get(_entry_url(entry))
    assert "未提交的标题" in inside.content.decode()
    assert "未提交的标题" not in after.content.decode()
    assert entry.title in after.content.decode()
    assert again[HEADER] == "hit"
    assert "未提交的标题" not in again.content.decode()


def test_a_transaction_bumps_again_on_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        CatalogueEntryFactory()
        CatalogueEntryFactory()
        during = page_cache.current_version()

    bumps = [c for c in callbacks if c.__module__ == page_cache.__name__]
    assert len(bumps) == 1  # one bump on commit per transaction, however many statements
    bumps[0]()
    assert page_cache.current_version() != during


def test_session_and_lockout_writes_keep_the_pages(client, entry):
    before = page_cache.current_version()

    session = SessionStore()
    session["seen"] = True
    session.save()

    assert page_cache.current_version() == before


def test_a_management_command_that_writes_gives_the_pages_up(client, entry):
    CalendarDay.objects.all().delete()  # so that load_calendar has days to write
    client.get("/")

    call_command("load_calendar", stdout=io.StringIO())  # another process, in production

    assert client.get("/")[HEADER] == "miss"


def test_bump_gives_up_every_page(client, entry):
    client.get(_entry_url(entry))

    page_cache.bump()

    assert client.get(_entry_url(entry))[HEADER] == "miss"


def test_nothing_is_stored_while_a_write_may_not_have_reached_a_replica(client, entry, settings):
    settings.GONGKAI_PAGE_CACHE_SETTLE_SECONDS = 60  # the replica's lag, say

    first, second = _twice(client, _entry_url(entry))

    assert (first[HEADER], second[HEADER]) == ("miss", "miss")


# --- Configuration ------------------------------------------------------------------------------


def test_production_refuses_the_cache_without_a_shared_cache_backend():
    result = run_manage(
        "check",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x" * 60,
        DJANGO_ALLOWED_HOSTS="gongkai.example.gov.cn",
        GONGKAI_PAGE_CACHE="1",
    )

    assert result.returncode == 2
    assert result.stderr.strip().startswith("Configuration error: GONGKAI_PAGE_CACHE:")
