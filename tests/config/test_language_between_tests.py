"""A test's requests do not change the language the next test runs in.

LocaleMiddleware leaves the language of the last request it served active in the test's thread
(tests/conftest.py's `_default_language` puts the default back). The two tests below run in this
order: the first ends with an English page served, the second must still read Chinese.
"""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


def test_an_english_page_leaves_english_active_in_the_test(client) -> None:
    response = client.get("/en/")

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    # the middleware activated English in this thread and left it: what the next test must not see
    assert translation.get_language() == "en"


def test_the_next_test_reads_the_portals_default_language(client) -> None:
    # given the previous test's last page was in English
    # then this one reads Chinese: unprefixed links, Chinese messages
    assert translation.get_language() == settings.LANGUAGE_CODE == "zh-hans"
    assert reverse("home") == "/"
    assert gettext("Government information") != "Government information"
    assert '<html lang="zh-hans">' in client.get("/").content.decode()
