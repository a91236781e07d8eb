"""The complaints section leads to the supervisors and the rectification projects."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_the_complaints_section_links_to_supervision_and_rectification(client):
    html = client.get(reverse("complaints:complaint-ledger")).content.decode()

    assert reverse("complaints:supervisor-list") in html
    assert reverse("complaints:rectification-list") in html
