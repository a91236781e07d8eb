"""Languages: unprefixed URLs are Chinese, /en/ is English, the switch keeps the page, and the
Chinese catalogue is complete."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.config.pofile import read_po

ZH_PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def switch_form(html: str) -> dict[str, str]:
    """The hidden fields of the language-switch form in a page."""
    form = re.search(r'<form[^>]*action="/i18n/setlang/"[^>]*>(.*?)</form>', html, re.S)
    assert form, "no language-switch form on the page"
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(1)))


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["en", "en-US,en;q=0.9", "zh-CN,zh;q=0.9"])
def test_unprefixed_home_is_chinese_whatever_the_browser_prefers(client, accept):
    response = client.get("/", headers={"accept-language": accept})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "政府信息公开" in html


@pytest.mark.django_db
@pytest.mark.parametrize("accept", ["zh-CN,zh;q=0.9", "zh-hans", "en"])
def test_en_home_is_english_whatever_the_browser_prefers(client, accept):
    response = client.get("/en/", headers={"accept-language": accept})

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Government information" in html
    assert "政府信息公开" not in html


@pytest.mark.django_db
def test_a_language_cookie_does_not_change_an_unprefixed_page(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    assert "政府信息公开" in client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "language", "landing"),
    [
        ("/", "en", "/en/"),
        ("/en/", "zh-hans", "/"),
        ("/services/", "en", "/en/services/"),
        ("/en/complaints/?page=2", "zh-hans", "/complaints/?page=2"),
    ],
)
def test_language_switch_lands_on_the_same_page_in_the_other_language(
    client, start, language, landing
):
    # given the switch form on a page
    fields = switch_form(client.get(start).content.decode())
    assert fields["language"] == language

    # when it is posted as the browser would
    response = client.post("/i18n/setlang/", fields)

    # then the reader lands on the same page in the other language, which remembers the choice
    assert response.status_code == 302
    assert response["Location"] == landing
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    followed = client.get(landing).content.decode()
    expected_lang = "en" if language == "en" else "zh-hans"
    assert f'<html lang="{expected_lang}">' in followed


def test_chinese_catalogue_has_no_untranslated_or_fuzzy_entries():
    entries = read_po(ZH_PO)
    assert entries, f"{ZH_PO} has no entries: run `make messages`"

    problems = [
        f"{'fuzzy' if entry.fuzzy else 'untranslated'}: {entry.msgid!r} "
        f"({', '.join(entry.references[:2]) or 'no reference'})"
        for entry in entries
        if entry.fuzzy or not entry.translated
    ]

    assert not problems, (
        f"{len(problems)} of {len(entries)} messages in {ZH_PO.name} need a Chinese translation "
        "(edit the .po, then `make messages`):\n" + "\n".join(problems)
    )


def test_compiled_catalogue_matches_its_source():
    """The committed .mo holds every translation of the .po (a fresh machine needs no gettext)."""
    mo = ZH_PO.with_suffix(".mo")
    assert mo.exists(), "run `make messages` to compile the translations"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = [
        entry.msgid
        for entry in read_po(ZH_PO)
        if entry.translated
        and not entry.fuzzy
        and not entry.msgid_plural
        and (
            compiled.pgettext(entry.msgctxt, entry.msgid)
            if entry.msgctxt
            else compiled.gettext(entry.msgid)
        )
        != entry.msgstr[0]
    ]

    assert stale == [], "the .mo is out of date: run `make messages`"


SHELL_SOURCES = (
    "config/",
    "templates/base.html",
    "templates/home.html",
    "templates/404.html",
    "templates/500.html",
    "templates/includes/",
)


def test_the_public_shell_is_fully_translated():
    """The shell's own messages, apart from the apps' (which the test above also covers)."""
    shell = [
        entry
        for entry in read_po(ZH_PO)
        if any(reference.startswith(SHELL_SOURCES) for reference in entry.references)
    ]

    assert len(shell) > 40
    assert [entry.msgid for entry in shell if entry.fuzzy or not entry.translated] == []
