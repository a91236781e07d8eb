"""An entry's body is shown sanitised even if a script reached the table without the actions."""

import pytest

from disclosure.models import CatalogueEntry
from tests.factories.disclosure import CatalogueEntryFactory, catalogue_reviewer, publish_entry


@pytest.mark.django_db
def test_a_script_written_straight_into_the_table_is_not_served(client):
    entry = publish_entry(CatalogueEntryFactory(), reviewer=catalogue_reviewer())
    CatalogueEntry.objects.filter(pk=entry.pk).update(
        body='<p>收费公示</p><script>alert(1)</script><img src=x onerror="alert(2)">'
    )

    html = client.get(entry.get_absolute_url()).content.decode()

    assert "<p>收费公示</p>" in html
    assert "<script>alert(1)" not in html
    assert "onerror" not in html
