"""A publisher's latest entries from one index walk: (publisher, status, published_date desc,
id desc) replaces (publisher, status), which it covers as a prefix.

Without it an entity page or feed read every published entry of the publisher and sorted them
(about a thousand heap pages for a typical publisher at a million entries). The new index is
built before the old one is dropped, so the publisher filter is never without an index.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("disclosure", "0015_catalogue_facet_totals"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="catalogueentry",
            index=models.Index(
                fields=["publisher", "status", "-published_date", "-id"],
                name="entry_publisher_latest",
            ),
        ),
        migrations.RemoveIndex(
            model_name="catalogueentry",
            name="entry_publisher_status",
        ),
    ]
