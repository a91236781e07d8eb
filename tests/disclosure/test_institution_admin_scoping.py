"""In the admin, an institution's own account and its supervising department keep its fees only."""

import pytest
from django.urls import reverse

from disclosure.models import EntityMembership, InstitutionMembership
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    FeeItemFactory,
    PublicInstitutionFactory,
    institution_keeper,
)

FEES = "admin:disclosure_feeitem_changelist"


@pytest.fixture
def district():
    education = AdministrativeEntityFactory(name="西岗区教育局")
    health = AdministrativeEntityFactory(name="西岗区卫生局")
    kindergarten = PublicInstitutionFactory(
        name="西岗区中心幼儿园", supervising_department=education
    )
    school = PublicInstitutionFactory(name="西岗区第一小学", supervising_department=education)
    clinic = PublicInstitutionFactory(name="西岗区社区卫生服务中心", supervising_department=health)
    FeeItemFactory(institution=kindergarten, name="幼儿园保育教育费")
    FeeItemFactory(institution=school, name="小学课后服务费")
    FeeItemFactory(institution=clinic, name="社区门诊诊查费")
    return {"education": education, "kindergarten": kindergarten, "clinic": clinic}


def _fee_list(client, user) -> str:
    client.force_login(user)
    return client.get(reverse(FEES)).content.decode()


@pytest.mark.django_db
def test_an_institution_account_sees_only_its_own_fees(client, district):
    account = institution_keeper(username="zxyey")
    InstitutionMembership.objects.create(user=account, institution=district["kindergarten"])

    html = _fee_list(client, account)

    assert "幼儿园保育教育费" in html
    assert "小学课后服务费" not in html
    assert "社区门诊诊查费" not in html


@pytest.mark.django_db
def test_the_supervising_department_sees_all_its_institutions_fees(client, district):
    officer = institution_keeper(username="jiaoyuju")
    EntityMembership.objects.create(user=officer, entity=district["education"])

    html = _fee_list(client, officer)

    assert "幼儿园保育教育费" in html
    assert "小学课后服务费" in html
    assert "社区门诊诊查费" not in html


@pytest.mark.django_db
def test_another_departments_fee_cannot_be_opened(client, district):
    officer = institution_keeper(username="jiaoyuju2")
    EntityMembership.objects.create(user=officer, entity=district["education"])
    clinic_fee = district["clinic"].fees.get()
    client.force_login(officer)

    response = client.get(reverse("admin:disclosure_feeitem_change", args=[clinic_fee.pk]))

    assert response.status_code in (302, 404)
    assert "社区门诊诊查费" not in response.content.decode()
