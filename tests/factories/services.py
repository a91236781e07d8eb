"""Factories for the services app (services A first: items, windows, cases; B appends)."""

import datetime

import factory

from services.actions.summaries import summary_add_case
from services.models import (
    ConsultationCount,
    ServiceCase,
    ServiceItem,
    ServiceMaterial,
    ServiceWindow,
)
from tests.factories.disclosure import AdministrativeEntityFactory


class ServiceItemFactory(factory.django.DjangoModelFactory):
    """A licensing item with the seed's commitment: statutory 10, committed 2 working days."""

    class Meta:
        model = ServiceItem

    basic_code = factory.Sequence(lambda n: f"XK{n:05d}000")
    implementation_code = factory.Sequence(lambda n: f"21020321XK{n:05d}000")
    name = factory.Sequence(lambda n: f"测试许可事项{n}")
    kind = ServiceItem.Kind.LICENSING
    entity = factory.SubFactory(AdministrativeEntityFactory)
    statutory_days = 10
    committed_days = 2
    deemed_approval = True


class ServiceMaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceMaterial

    item = factory.SubFactory(ServiceItemFactory)
    name = factory.Sequence(lambda n: f"申请材料{n}")
    form = ServiceMaterial.Form.ORIGINAL


class ServiceWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceWindow
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"{n + 1:02d}")
    name = factory.Sequence(lambda n: f"综合窗口{n}")

    @factory.post_generation
    def items(self, create: bool, extracted: list | None, **kwargs) -> None:
        if create and extracted:
            self.items.set(extracted)


class ServiceCaseFactory(factory.django.DjangoModelFactory):
    """A received case, created directly (tests of the actions move it through them)."""

    class Meta:
        model = ServiceCase

    case_no = factory.Sequence(lambda n: f"BJ-20260105-T{n:05d}")
    tracking_no = factory.LazyAttribute(lambda case: case.case_no)
    item = factory.SubFactory(ServiceItemFactory)
    entity = factory.LazyAttribute(lambda case: case.item.entity)
    applicant_type = ServiceCase.ApplicantType.PERSON
    applicant_name = factory.Sequence(lambda n: f"申请人{n}")
    applicant_contact = "13900000000"
    channel = ServiceCase.Channel.WINDOW
    committed_days = factory.LazyAttribute(lambda case: case.item.committed_days)
    received_on = datetime.date(2026, 1, 5)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):  # noqa: ANN001, ANN206
        """Store the case whole and count it in the statistics' summary, as an import would."""
        case = super()._create(model_class, *args, **kwargs)
        summary_add_case(case=case)
        return case


class ConsultationCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsultationCount

    item = factory.SubFactory(ServiceItemFactory)
    date = datetime.date(2006, 3, 1)
    count = 10
