"""In the admin, a department officer sees and changes only their own entity's records."""

import pytest
from django.urls import reverse

from disclosure.models import EntityMembership
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    UserFactory,
)

ENTRY_PERMS = ["disclosure.view_catalogueentry", "disclosure.change_catalogueentry"]


@pytest.fixture
def bureaus():
    return {
        "education": AdministrativeEntityFactory(name="西岗区教育局"),
        "health": AdministrativeEntityFactory(name="西岗区卫生局"),
    }


@pytest.fixture
def education_officer(bureaus):
    officer = UserFactory(
        perms=[*ENTRY_PERMS, "disclosure.view_administrativeentity"], username="jiaoyu"
    )
    EntityMembership.objects.create(user=officer, entity=bureaus["education"])
    return officer


@pytest.mark.django_db
def test_education_officer_lists_only_education_entries(client, bureaus, education_officer):
    CatalogueEntryFactory(title="教育局收费公示草稿", publisher=bureaus["education"])
    CatalogueEntryFactory(title="卫生局药品价格草稿", publisher=bureaus["health"])
    client.force_login(education_officer)

    html = client.get(reverse("admin:disclosure_catalogueentry_changelist")).content.decode()

    assert "教育局收费公示草稿" in html
    assert "卫生局药品价格草稿" not in html


@pytest.mark.django_db
def test_education_officer_cannot_open_a_health_draft(client, bureaus, education_officer):
    health_draft = CatalogueEntryFactory(publisher=bureaus["health"])
    client.force_login(education_officer)

    response = client.get(reverse("admin:disclosure_catalogueentry_change", args=[health_draft.pk]))

    # The admin redirects away from an object outside the queryset, showing nothing of it.
    assert response.status_code in (302, 404)
    assert health_draft.title not in response.content.decode()


@pytest.mark.django_db
def test_education_officer_may_only_choose_their_entity_as_publisher(
    client, bureaus, education_officer
):
    client.force_login(education_officer)

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "disclosure", "model_name": "catalogueentry", "field_name": "publisher"},
    )

    assert response.status_code == 200
    names = [result["text"] for result in response.json()["results"]]
    assert names == ["西岗区教育局"]


@pytest.mark.django_db
def test_entity_list_in_the_admin_is_scoped(client, bureaus, education_officer):
    client.force_login(education_officer)

    html = client.get(reverse("admin:disclosure_administrativeentity_changelist")).content.decode()

    assert "西岗区教育局" in html
    assert "西岗区卫生局" not in html
