"""The public shell: home page, section placeholders, large-text mode and error pages."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import path

from config import views
from config.context_processors import LARGE_TEXT_COOKIE, SECTIONS

SECTION_LABELS_ZH = "政府信息公开 办事服务 公用事业单位 效能投诉 依申请公开 数据统计".split()


def boom(request):
    """A view that fails, for the 500 page test."""
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom)]
handler500 = "config.views.server_error"


@pytest.mark.django_db
def test_home_has_landmarks_skip_link_and_the_six_sections(client):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert html.index("skip-link") < html.index("<header")
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert re.findall(r"<a href=\"[^\"]+\"[^>]*>([^<]+)</a>", nav) == SECTION_LABELS_ZH
    assert 'action="/catalogue/" method="get"' in html
    assert 'for="home-search"' in html
    assert settings.GONGKAI_DISTRICT_NAME in html
    assert settings.GONGKAI_CONTACT_PHONE in html
    assert 'href="/api/docs/"' in html
    assert 'href="/admin/login/"' in html


@pytest.mark.django_db
def test_home_in_english_links_sections_under_the_prefix(client):
    html = client.get("/en/").content.decode()

    assert 'href="/en/catalogue/"' in html
    assert 'action="/en/catalogue/"' in html
    assert settings.GONGKAI_DISTRICT_NAME_EN.replace("'", "&#x27;") in html


@pytest.mark.django_db
@pytest.mark.parametrize("section", [section.slug for section in SECTIONS])
def test_every_nav_link_answers_and_marks_its_section_current(client, section):
    response = client.get(f"/{section}/")

    assert response.status_code == 200
    assert response.content.decode().count('aria-current="page"') >= 1


@pytest.mark.django_db
def test_large_text_toggle_sets_the_cookie_and_goes_back(client):
    response = client.post("/large-text/", {"large_text": "on", "next": "/en/services/"})

    assert response.status_code == 302
    assert response["Location"] == "/en/services/"
    cookie = response.cookies[LARGE_TEXT_COOKIE]
    assert cookie.value == "1"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    html = client.get("/").content.decode()
    assert '<body class="large-text' in html
    assert 'aria-pressed="true"' in html


@pytest.mark.django_db
def test_large_text_toggle_switches_off(client):
    client.cookies[LARGE_TEXT_COOKIE] = "1"

    response = client.post("/large-text/", {"large_text": "off", "next": "/"})

    assert response.cookies[LARGE_TEXT_COOKIE].value == ""
    assert 'class="large-text' not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "next_url", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"]
)
def test_large_text_toggle_refuses_an_off_site_next(client, next_url):
    response = client.post("/large-text/", {"large_text": "on", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_large_text_toggle_needs_post(client):
    assert client.get("/large-text/?large_text=on").status_code == 405


@pytest.mark.django_db
def test_404_page_is_styled_with_search_and_a_way_home(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "页面未找到" in html
    assert "/static/css/site.css" in html
    assert '<nav class="site-nav"' in html
    assert 'name="q"' in html
    assert "返回首页" in html


@pytest.mark.parametrize("name", ["500.html", "503.html"])
def test_error_pages_are_standalone(name):
    templates = Path(settings.BASE_DIR) / "templates"
    page = (templates / name).read_text(encoding="utf-8")
    skeleton = (templates / "error_standalone.html").read_text(encoding="utf-8")

    assert page.startswith('{% extends "error_standalone.html" %}')
    for source in (page.split("\n", 1)[1], skeleton):
        for forbidden in ("{% extends", "{% static", "{% url", "{% include"):
            assert forbidden not in source
    assert 'href="/static/css/site.css"' in skeleton


def test_500_handler_renders_without_the_database():
    # No django_db mark: pytest-django makes any query here an error.
    response = views.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    html = response.content.decode()
    assert "服务器错误" in html
    assert '<a class="skip-link" href="#main">' in html


@pytest.mark.urls("tests.config.test_shell")
def test_a_failing_view_gets_the_500_page(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()
