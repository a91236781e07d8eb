"""Security headers, security.txt, no inline scripts, and a 503 page when the database is down."""

import re
from unittest import mock

import pytest
from django.db import OperationalError

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_scripts(client):
    policy = client.get("/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/", "/en/", "/catalogue/", "/entities/", "/api/docs/", "/x-404/"]
)
def test_no_page_has_an_inline_script(client, path):
    html = client.get(path).content.decode()

    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html)


@pytest.mark.django_db
def test_headers_forbid_framing_and_sniffing(client):
    response = client.get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_security_txt_names_a_contact_and_a_future_expiry(client):
    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"].startswith("mailto:")
    assert fields["Expires"] > "2026"
    assert fields["Preferred-Languages"] == "zh, en"


@pytest.mark.django_db
def test_a_database_outage_gives_the_503_page_not_a_traceback(client):
    client.raise_request_exception = False
    with mock.patch(
        "config.views.catalogue_entries_latest",
        side_effect=OperationalError("connection refused"),
    ):
        response = client.get("/")

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    html = response.content.decode()
    assert "Traceback" not in html
    assert "connection refused" not in html
    assert 'class="page-error"' in html


@pytest.mark.django_db
def test_any_other_failure_gives_the_500_page(client):
    client.raise_request_exception = False
    with mock.patch("config.views.catalogue_entries_latest", side_effect=RuntimeError("boom")):
        response = client.get("/")

    assert response.status_code == 500
    assert "boom" not in response.content.decode()


def test_no_template_has_inline_styles_or_scripts():
    """The policy blocks inline <style>, style="…" and inline <script>: none may be written."""
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for template in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html")):
        source = template.read_text(encoding="utf-8")
        if "<style" in source or re.search(r"\sstyle=", source) or INLINE_SCRIPT.search(source):
            offenders.append(str(template.relative_to(settings.BASE_DIR)))

    assert offenders == []
