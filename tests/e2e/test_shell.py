"""The public shell in a real browser: both languages, large text, keyboard, accessibility."""

import pytest

from tests.e2e.conftest import VIEWPORTS, axe_serious_violations

pytestmark = pytest.mark.e2e

SECTIONS_ZH = ["政府信息公开", "办事服务", "公用事业单位", "效能投诉", "依申请公开", "数据统计"]
SECTIONS_EN = [
    "Government information",
    "Services",
    "Public institutions",
    "Efficiency complaints",
    "Information requests",
    "Statistics",
]
PAGES = {"home": "/", "home-en": "/en/", "404": "/no-such-page/"}


def nav_labels(page) -> list[str]:
    return [text.strip() for text in page.locator("nav.site-nav a").all_inner_texts()]


def test_home_in_chinese_then_english_by_clicking_the_switch(page, site_url, screenshot):
    # given the Chinese home page
    page.goto(site_url("/"))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "政务公开门户" in page.locator("h1").inner_text()
    assert nav_labels(page) == SECTIONS_ZH
    screenshot("home-zh-desktop")

    # when the reader clicks the language switch
    page.get_by_role("button", name="English").click()
    page.wait_for_url(site_url("/en/"))

    # then the same page is shown in English, and the switch offers Chinese back
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Open government portal" in page.locator("h1").inner_text()
    assert nav_labels(page) == SECTIONS_EN
    screenshot("home-en-desktop")
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url(site_url("/"))
    assert nav_labels(page) == SECTIONS_ZH


def test_switch_keeps_the_section_page(page, site_url):
    page.goto(site_url("/complaints/"))
    assert page.locator("nav.site-nav a[aria-current]").inner_text().strip() == "效能投诉"

    page.get_by_role("button", name="English").click()

    page.wait_for_url(site_url("/en/complaints/"))
    current = page.locator("nav.site-nav a[aria-current]").inner_text().strip()
    assert current == "Efficiency complaints"


def test_large_text_mode_enlarges_the_text_and_can_be_switched_off(page, site_url, screenshot):
    page.goto(site_url("/"))
    paragraph = page.locator(".hero-lead")

    def size() -> float:
        return float(paragraph.evaluate("node => getComputedStyle(node).fontSize")[:-2])

    normal = size()
    toggle = page.locator("form[action='/large-text/'] button")
    assert toggle.get_attribute("aria-pressed") == "false"

    toggle.click()
    page.wait_for_load_state()

    assert "large-text" in (page.locator("body").get_attribute("class") or "")
    assert size() >= normal * 1.2
    assert page.url == site_url("/")
    screenshot("home-large-text-desktop")
    page.locator("form[action='/large-text/'] button").click()
    page.wait_for_load_state()
    assert size() == normal


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, site_url):
    page.goto(site_url("/"))

    page.keyboard.press("Tab")

    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize("name", list(PAGES))
def test_pages_have_no_serious_accessibility_violations(page, site_url, screenshot, name):
    # Screenshots at both widths for review; axe once, at desktop width.
    path = PAGES[name]
    page.set_viewport_size(VIEWPORTS["mobile"])
    page.goto(site_url(path))
    screenshot(f"{name}-mobile")
    page.set_viewport_size(VIEWPORTS["desktop"])
    screenshot(f"{name}-desktop")

    report = axe_serious_violations(page)

    assert not report, f"axe found serious violations on {path}:\n{report}"
