"""The home page lists the latest published information, at a fixed query cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from services.selectors.statistics import service_figures_headline
from tests.factories.disclosure import CatalogueEntryFactory, catalogue_reviewer, publish_entry


def _home_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get("/")
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.django_db
def test_home_lists_the_latest_published_entries_but_not_drafts(client):
    reviewer = catalogue_reviewer()
    published = publish_entry(
        CatalogueEntryFactory(title="关于公布学校收费项目标准的通知"), reviewer=reviewer
    )
    CatalogueEntryFactory(title="尚未审核的草稿")

    html = client.get("/").content.decode()

    assert published.title in html
    assert published.get_absolute_url() in html
    assert "尚未审核的草稿" not in html


@pytest.mark.django_db
def test_home_query_count_does_not_grow_with_entries(client):
    reviewer = catalogue_reviewer()
    publish_entry(CatalogueEntryFactory(), reviewer=reviewer)
    service_figures_headline()  # read once, then cached under the statistics' version
    one = _home_queries(client)

    for _ in range(19):
        publish_entry(CatalogueEntryFactory(), reviewer=reviewer)

    assert _home_queries(client) == one
