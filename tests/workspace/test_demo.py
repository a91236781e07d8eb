"""The workspace's demo step: officials per role, the demo administrator in its group."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings

from disclosure.models.memberships import EntityMembership
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from workspace.demo import OFFICIALS
from workspace.roles import roles_of

pytestmark = pytest.mark.django_db


@override_settings(DEMO_MODE=True)
def test_demo_officials_get_their_role_and_department_and_rerun_adds_nothing() -> None:
    education = AdministrativeEntityFactory(name="西岗区教育局")
    demo = UserFactory(username="demo", is_superuser=True)
    out = io.StringIO()
    call_command("load_demo_officials", stdout=out)
    call_command("load_demo_officials", stdout=out)
    users = get_user_model().objects
    assert users.filter(username__in=[row[0] for row in OFFICIALS]).count() == len(OFFICIALS)
    officer = users.get(username="jiaoyuju")
    assert [role.key for role in roles_of(officer)] == ["department_officer"]
    assert list(EntityMembership.objects.filter(user=officer).values_list("entity", flat=True)) == [
        education.pk
    ]
    assert officer.check_password("gongkai-demo-2026")
    assert [role.key for role in roles_of(users.get(pk=demo.pk))] == ["district_administrator"]
    assert [role.key for role in roles_of(users.get(username="shenji"))] == ["auditor"]


@override_settings(DEMO_MODE=False)
def test_outside_demo_mode_the_officials_cannot_sign_in() -> None:
    call_command("load_demo_officials", stdout=io.StringIO())
    officer = get_user_model().objects.get(username="jiaoyuju")
    assert not officer.has_usable_password()
