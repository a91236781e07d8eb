"""The API shell: /api/v1/, the OpenAPI schema and the offline Swagger UI."""

import pytest


@pytest.mark.django_db
def test_api_root_links_to_schema_and_docs(client):
    response = client.get("/api/v1/")

    assert response.status_code == 200
    body = response.json()
    assert body["schema"].endswith("/api/schema/")
    assert body["docs"].endswith("/api/docs/")


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Gongkai API"


@pytest.mark.django_db
def test_swagger_ui_is_served_offline_from_the_sidecar(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "drf_spectacular_sidecar/swagger-ui-dist" in html
    for cdn in ("cdn.jsdelivr", "unpkg.com", "cdnjs"):
        assert cdn not in html


def test_api_lists_are_paginated_by_default():
    from django.conf import settings

    assert settings.REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]
    assert settings.REST_FRAMEWORK["PAGE_SIZE"] == 20
