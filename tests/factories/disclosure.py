"""Factories for the disclosure app (shared: entities engineer first, catalogue engineer after)."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone

from disclosure.models import AdministrativeEntity, Topic
from disclosure.models.entities import (
    DisclosureGuide,
    EnforcementOfficer,
    EnforcementPower,
    RandomInspectionItem,
)
from disclosure.validators import credit_code_check_character


def make_credit_code(number: int, prefix: str = "11210203") -> str:
    """A valid GB 32100 credit code: 8-char prefix (register, type, area) + 9 digits + check."""
    first17 = f"{prefix}{number:09d}"
    return first17 + credit_code_check_character(first17)


class UserFactory(factory.django.DjangoModelFactory):
    """A user; `perms=["disclosure.review_administrativeentity", ...]` grants permissions."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"official{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@xigang.example.gov.cn")
    is_staff = True

    @factory.post_generation
    def perms(self, create: bool, extracted: list[str] | None, **kwargs) -> None:
        for dotted in extracted or []:
            app_label, codename = dotted.split(".")
            self.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


class AdministrativeEntityFactory(factory.django.DjangoModelFactory):
    """An announced entity (the public can see it) with a valid credit code."""

    class Meta:
        model = AdministrativeEntity

    name = factory.Sequence(lambda n: f"西岗区测试局{n}")
    short_name = factory.Sequence(lambda n: f"测试局{n}")
    kind = AdministrativeEntity.Kind.ADMINISTRATIVE_ORGAN
    credit_code = factory.Sequence(lambda n: make_credit_code(n + 1))
    status = AdministrativeEntity.Status.ANNOUNCED
    announcement_start = factory.LazyFunction(timezone.localdate)
    announcement_end = factory.LazyFunction(
        lambda: timezone.localdate() + datetime.timedelta(days=15)
    )
    disclosure_office = "办公室"
    disclosure_office_phone = "0411-83630001"

    class Params:
        draft = factory.Trait(
            status=AdministrativeEntity.Status.DRAFT,
            announcement_start=None,
            announcement_end=None,
        )


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"主题{n}")
    code = factory.Sequence(lambda n: f"topic-{n}")


class DisclosureGuideFactory(factory.django.DjangoModelFactory):
    """A published guide version (use status="draft", published_at=None for a draft)."""

    class Meta:
        model = DisclosureGuide

    entity = factory.SubFactory(AdministrativeEntityFactory)
    version = factory.Sequence(lambda n: n + 1)
    body = "<p>本指南说明如何获取政府信息。</p>"
    status = DisclosureGuide.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: datetime.datetime.now(tz=datetime.UTC))


class EnforcementPowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnforcementPower

    entity = factory.SubFactory(AdministrativeEntityFactory)
    name = factory.Sequence(lambda n: f"行政处罚事项{n}")
    legal_basis = "《中华人民共和国行政处罚法》"


class EnforcementOfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnforcementOfficer

    entity = factory.SubFactory(AdministrativeEntityFactory)
    name = factory.Sequence(lambda n: f"执法员{n}")
    certificate_no = factory.Sequence(lambda n: f"21020306{n:06d}")
    category = "卫生"


class RandomInspectionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RandomInspectionItem

    entity = factory.SubFactory(AdministrativeEntityFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    item = "公共场所卫生监督检查"
    inspecting_body = "西岗区卫生局"
    basis = "《公共场所卫生管理条例》"
    method = "双随机抽查"
    content = "卫生许可证、从业人员健康证明"


# --- Catalogue (catalogue engineer) -------------------------------------------------------------

from disclosure.models import CatalogueEntry  # noqa: E402

CATALOGUE_AUTHOR_PERMS = ("disclosure.add_catalogueentry", "disclosure.change_catalogueentry")
CATALOGUE_REVIEWER_PERMS = (
    "disclosure.change_catalogueentry",
    "disclosure.review_catalogueentry",
    "disclosure.publish_catalogueentry",
    "disclosure.withdraw_catalogueentry",
)


class CatalogueEntryFactory(factory.django.DjangoModelFactory):
    """A draft entry, written directly (no event); `publish_entry` takes it through the workflow."""

    class Meta:
        model = CatalogueEntry

    title = factory.Sequence(lambda n: f"关于规范学校收费管理的通知（{n}）")
    summary = "规范中小学收费行为，公开收费项目和标准，设立投诉电话。"
    body = "<p>各中小学：为规范收费行为，现将有关事项通知如下。</p>"
    publisher = factory.SubFactory(AdministrativeEntityFactory)
    document_no = factory.Sequence(lambda n: f"西教发〔2006〕{n}号")
    formed_date = datetime.date(2006, 7, 3)
    topic = factory.SubFactory(TopicFactory)
    genre = CatalogueEntry.Genre.NOTICE
    keywords = "收费 公示"
    disclosure_mode = CatalogueEntry.DisclosureMode.PROACTIVE
    status = CatalogueEntry.Status.DRAFT
    author = factory.SubFactory(UserFactory, perms=list(CATALOGUE_AUTHOR_PERMS))
    publication_due = factory.LazyAttribute(
        lambda entry: _publication_due(entry.formed_date, entry.disclosure_mode)
    )


def _publication_due(formed_date: datetime.date, disclosure_mode: str) -> datetime.date | None:
    from disclosure.actions.catalogue import publication_due_for

    return publication_due_for(formed_date=formed_date, disclosure_mode=disclosure_mode)


def catalogue_reviewer(**kwargs: object) -> object:
    """An official who may review, publish and withdraw catalogue entries."""
    return UserFactory(perms=list(CATALOGUE_REVIEWER_PERMS), **kwargs)


def publish_entry(
    entry: CatalogueEntry,
    *,
    reviewer: object | None = None,
    published_date: datetime.date | None = None,
) -> CatalogueEntry:
    """Take a draft through submit and publish with the real actions; returns it refreshed."""
    from disclosure.actions.catalogue import (
        catalogue_entry_publish,
        catalogue_entry_submit_for_review,
    )

    reviewer = reviewer or catalogue_reviewer()
    catalogue_entry_submit_for_review(entry=entry, by=reviewer)
    catalogue_entry_publish(
        entry=entry, by=reviewer, published_date=published_date or entry.formed_date
    )
    entry.refresh_from_db()
    return entry


# --- Public institutions (institutions engineer) ---
from decimal import Decimal  # noqa: E402

from disclosure.models.institutions import (  # noqa: E402
    DisclosureItemKind,
    FeeItem,
    InstitutionDisclosure,
    PublicInstitution,
    Sector,
    SectorRequirement,
)

INSTITUTION_KEEPER_PERMS = (
    "disclosure.add_publicinstitution",
    "disclosure.change_publicinstitution",
    "disclosure.change_institutiondisclosure",
    "disclosure.publish_institutiondisclosure",
    "disclosure.add_feeitem",
    "disclosure.change_feeitem",
    "disclosure.publish_feeitem",
)


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"测试类别{n}")
    field = Sector.Field.EDUCATION


class DisclosureItemKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisclosureItemKind
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"item-{n}")
    name = factory.Sequence(lambda n: f"公开事项{n}")


class SectorRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SectorRequirement

    sector = factory.SubFactory(SectorFactory)
    kind = factory.SubFactory(DisclosureItemKindFactory)
    review_interval_days = 365


class PublicInstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicInstitution

    name = factory.Sequence(lambda n: f"西岗区测试幼儿园{n}")
    sector = factory.SubFactory(SectorFactory)
    supervising_department = factory.SubFactory(AdministrativeEntityFactory)
    address = "大连市西岗区测试街1号"
    hours = "周一至周五 7:30—17:30"
    phone = "0411-83600000"
    supervision_phone = "0411-83600001"


class InstitutionDisclosureFactory(factory.django.DjangoModelFactory):
    """A published item, last updated today, next review in a year (written directly)."""

    class Meta:
        model = InstitutionDisclosure

    institution = factory.SubFactory(PublicInstitutionFactory)
    kind = factory.SubFactory(DisclosureItemKindFactory)
    content = "<p>本单位依法公开办事制度。</p>"
    last_updated = factory.LazyFunction(timezone.localdate)
    next_review_due = factory.LazyAttribute(
        lambda item: item.last_updated + datetime.timedelta(days=365)
    )
    status = InstitutionDisclosure.Status.PUBLISHED


class FeeItemFactory(factory.django.DjangoModelFactory):
    """A published fee in force, with a legal basis (written directly)."""

    class Meta:
        model = FeeItem

    institution = factory.SubFactory(PublicInstitutionFactory)
    name = factory.Sequence(lambda n: f"保育教育费{n}")
    category = FeeItem.Category.TUITION
    amount_min = Decimal("450.00")
    unit = FeeItem.Unit.PER_MONTH
    legal_basis = "辽价发〔2005〕88号"
    valid_from = datetime.date(2006, 9, 1)
    status = FeeItem.Status.PUBLISHED


def institution_keeper(**kwargs: object) -> object:
    """An official who may keep institutions' items and fees (scope comes from memberships)."""
    return UserFactory(perms=list(INSTITUTION_KEEPER_PERMS), **kwargs)


# --- Information requests and annual reports (requests engineer) ---


def make_resident_id(birth: str = "19800101", serial: str = "123", area: str = "210203") -> str:
    """A valid 18-digit resident identity number (GB 11643 check character)."""
    from disclosure.validators import resident_id_check_character

    first17 = f"{area}{birth}{serial}"
    return first17 + resident_id_check_character(first17)


def request_data(**overrides: object) -> dict:
    """The fields of a valid application by a natural person (override any)."""
    data = {
        "applicant_type": "natural_person",
        "applicant_name": "王晓明",
        "id_type": "resident_id",
        "id_number": make_resident_id(),
        "contact_phone": "13800000000",
        "contact_email": "",
        "contact_address": "",
        "info_title": "西岗区2025年老旧小区改造计划",
        "info_document_no": "",
        "info_description": "",
        "delivery_form": "email",
        "channel": "in_person",
    }
    data.update(overrides)
    return data


def request_handler(**kwargs: object) -> object:
    """An official who may handle requests, approve extensions and publish reports."""
    return UserFactory(
        perms=[
            "disclosure.handle_informationrequest",
            "disclosure.approve_extension_informationrequest",
            "disclosure.publish_annualreport",
        ],
        **kwargs,
    )


def make_request(
    *,
    entity: object = None,
    received: datetime.date | None = None,
    by: object = None,
    **overrides: object,
) -> object:
    """A submitted request (through the action), received on `received` when given."""
    from disclosure.actions.requests import request_receive, request_submit

    entity = entity or AdministrativeEntityFactory()
    submitted_on = received or timezone.localdate()
    submitted_at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(9, 0)))
    request, _credentials = request_submit(
        entity=entity, data=request_data(**overrides), submitted_at=submitted_at
    )
    if received is not None:
        request = request_receive(request=request, by=by or request_handler(), on=received)
    return request
