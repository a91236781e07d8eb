"""The Content Security Policy breaks nothing: pages and Swagger UI run with no violations."""

import pytest


@pytest.mark.parametrize("path", ["/", "/catalogue/", "/api/docs/"])
def test_pages_run_under_the_policy_without_violations(page, site_url, path):
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )

    page.goto(site_url(path))
    page.wait_for_load_state("networkidle")

    assert violations == []


def test_swagger_ui_renders_the_api_from_the_sidecar(page, site_url):
    page.goto(site_url("/api/docs/"))

    title = page.locator(".swagger-ui .info .title")
    title.wait_for()
    assert "Gongkai API" in title.inner_text()
