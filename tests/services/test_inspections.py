"""Annual inspections: constraints, the public list, and the services admin pages load."""

import pytest
from django.db import IntegrityError, transaction

from services.models import AnnualInspectionItem
from tests.factories.disclosure import UserFactory

pytestmark = pytest.mark.django_db


def _item(**kw):
    values = {
        "year": 2006,
        "unit": "西岗区卫生局",
        "name": "年检",
        "legal_basis": "依据",
        "status": "kept",
    }
    values.update(kw)
    return AnnualInspectionItem.objects.create(**values)


def test_one_item_per_unit_and_year_and_a_fee_needs_its_basis():
    _item()
    with pytest.raises(IntegrityError), transaction.atomic():
        _item()
    with pytest.raises(IntegrityError), transaction.atomic():
        _item(name="收费年检", is_free=False, fee="50元")
    _item(name="收费年检", is_free=False, fee="50元", fee_basis="收费依据")
    _item(year=2007)
    assert AnnualInspectionItem.objects.of_year(2006).count() == 2


def test_public_list_counts_by_status(client):
    _item(name="甲")
    _item(name="乙", status="cancelled")
    _item(name="丙", unit="西岗区教育局", status="added")
    response = client.get("/services/annual-inspections/")
    assert response.status_code == 200
    assert response.context["counts"] == {"kept": 1, "cancelled": 1, "added": 1}
    assert response.context["units"] == 2


@pytest.mark.parametrize(
    "model",
    [
        "rating",
        "rectificationtask",
        "ratingappeal",
        "ratingsettings",
        "windowmonthlyscore",
        "annualinspectionitem",
    ],
)
def test_admin_changelists_load(client, model):
    admin = UserFactory(is_superuser=True, username="svcadmin")
    client.force_login(admin)
    assert client.get(f"/admin/services/{model}/").status_code == 200
