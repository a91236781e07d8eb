"""Department scoping: an official keeps the records of their entity and its units only."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission, User

from disclosure.models import AdministrativeEntity, EntityMembership
from disclosure.selectors.memberships import entity_ids_for_official
from disclosure.validators import credit_code_check_character


def make_entity(name: str, serial: int, parent=None) -> AdministrativeEntity:
    first17 = f"1121020300{serial:07d}"
    return AdministrativeEntity.objects.create(
        name=name,
        kind=AdministrativeEntity.Kind.ADMINISTRATIVE_ORGAN,
        credit_code=first17 + credit_code_check_character(first17),
        parent=parent,
    )


@pytest.fixture
def district():
    root = make_entity("西岗区人民政府", 1)
    education = make_entity("西岗区教育局", 2, parent=root)
    school = make_entity("西岗区第一中学", 3, parent=education)
    health = make_entity("西岗区卫生局", 4, parent=root)
    return {"root": root, "education": education, "school": school, "health": health}


@pytest.mark.django_db
def test_an_education_officer_keeps_the_bureau_and_its_units_not_health(district):
    officer = User.objects.create_user("jiaoyu", password="x-long-password-1")
    EntityMembership.objects.create(user=officer, entity=district["education"])

    scope = entity_ids_for_official(officer)

    assert scope == {district["education"].pk, district["school"].pk}
    assert district["health"].pk not in scope


@pytest.mark.django_db
def test_an_official_without_membership_keeps_nothing(district):
    officer = User.objects.create_user("nobody", password="x-long-password-1")

    assert entity_ids_for_official(officer) == set()
    assert entity_ids_for_official(AnonymousUser()) == set()


@pytest.mark.django_db
def test_a_district_administrator_keeps_every_entity(district):
    admin = User.objects.create_user("quzhengfu", password="x-long-password-1")
    admin.user_permissions.add(Permission.objects.get(codename="act_for_all_entities"))
    admin = User.objects.get(pk=admin.pk)  # drop the permission cache

    assert entity_ids_for_official(admin) is None


@pytest.mark.django_db
def test_an_inactive_official_keeps_nothing(district):
    officer = User.objects.create_user("left", password="x-long-password-1", is_active=False)
    EntityMembership.objects.create(user=officer, entity=district["education"])

    assert entity_ids_for_official(officer) == set()
