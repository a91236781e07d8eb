"""Factories for the complaints app (complaints A first: complaints; B appends supervision)."""

import datetime

import factory
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.actions.complaints import (
    complaint_assign,
    complaint_investigate,
    complaint_register,
    complaint_submit,
)
from complaints.models import Complaint
from complaints.selectors.ledger_cache import ledger_cache_bump
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory

COMPLAINANT_NAME = "王秘密"
COMPLAINANT_MOBILE = "13998765432"
COMPLAINANT_EMAIL = "secret.person@example.com"


def submit_complaint(**kwargs) -> tuple[Complaint, object]:
    """A complaint filed through the action (named by default), and its credentials."""
    values = {
        "category": Complaint.Category.DELAY,
        "description": "窗口工作人员拖延办理，三次往返仍未受理。",
        "complainant_name": COMPLAINANT_NAME,
        "complainant_mobile": COMPLAINANT_MOBILE,
        "complainant_email": COMPLAINANT_EMAIL,
    }
    values.update(kwargs)
    if not any(values.get(k) for k in ("entity", "window", "item", "case", "institution")):
        values["entity"] = AdministrativeEntityFactory()
    return complaint_submit(**values)


def complaint_to_investigating(complaint: Complaint, handler: object) -> Complaint:
    """`complaint` taken through the actions to investigating: registered, assigned to
    `handler` and under investigation."""
    complaint_register(complaint=complaint, by=handler)
    complaint_assign(complaint=complaint, by=handler, investigator=handler)
    complaint_investigate(complaint=complaint, by=handler)
    return complaint


def complaint_handler(**kwargs) -> object:
    """An official of the supervision bureau who handles complaints and may see identities."""
    return UserFactory(
        perms=["complaints.handle_complaint", "complaints.reveal_complainant"], **kwargs
    )


def complaint_supervisor(**kwargs) -> object:
    return UserFactory(
        perms=[
            "complaints.handle_complaint",
            "complaints.reveal_complainant",
            "complaints.supervise_complaints",
        ],
        **kwargs,
    )


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A submitted complaint created directly (use `submit_complaint` for the real path)."""

    class Meta:
        model = Complaint

    tracking_no = factory.Sequence(lambda n: f"TS-20260105-F{n:05d}")
    entity = factory.SubFactory(AdministrativeEntityFactory)
    category = Complaint.Category.DELAY
    description = "办事拖拉"
    complainant_name = COMPLAINANT_NAME
    complainant_mobile = COMPLAINANT_MOBILE
    received_on = factory.LazyFunction(timezone.localdate)
    stage_started_on = factory.LazyAttribute(lambda c: c.received_on)
    stage_workdays = 5
    stage_due_on = factory.LazyAttribute(lambda c: c.received_on + datetime.timedelta(days=7))


def ledger_get_queries(client: Client, url: str, *, cold: bool) -> int:
    """The queries of one GET of a ledger or statistics page; `cold`: with the ledger's cached
    tallies dropped first."""
    if cold:
        ledger_cache_bump()  # the factories write past the actions, which would bump it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# --- Supervision (part B) ---------------------------------------------------------------------
import datetime as _dt  # noqa: E402

import factory as _factory  # noqa: E402

from complaints.models.supervision import (  # noqa: E402
    InspectionVisit,
    RectificationProject,
    Supervisor,
    VisitFinding,
)
from tests.factories.disclosure import AdministrativeEntityFactory as _EntityFactory  # noqa: E402


class SupervisorFactory(_factory.django.DjangoModelFactory):
    """An active invited supervisor whose term covers 2020-2030, with private contacts."""

    class Meta:
        model = Supervisor

    name = _factory.Sequence(lambda n: f"监督员{n}")
    role = Supervisor.Role.SUPERVISOR
    kind = Supervisor.Kind.RESIDENT
    affiliation = _factory.Sequence(lambda n: f"西岗区社区居民代表{n}")
    term_start = _dt.date(2020, 1, 1)
    term_end = _dt.date(2030, 12, 31)
    phone = _factory.Sequence(lambda n: f"1390411{n:04d}")
    email = _factory.Sequence(lambda n: f"private{n}@example.com")
    address = "西岗区秘密街1号"


class InspectionVisitFactory(_factory.django.DjangoModelFactory):
    """A draft unannounced visit to a department by a supervisor."""

    class Meta:
        model = InspectionVisit

    supervisor = _factory.SubFactory(SupervisorFactory)
    kind = InspectionVisit.Kind.UNANNOUNCED
    visited_on = _dt.date(2024, 5, 10)
    entity = _factory.SubFactory(_EntityFactory)
    topic = "窗口服务暗访"
    summary = "窗口工作人员在岗，服务规范。"
    private_notes = "PRIVATE-NOTE 线索来源"
    score = 90
    status = InspectionVisit.Status.DRAFT


class VisitFindingFactory(_factory.django.DjangoModelFactory):
    class Meta:
        model = VisitFinding

    visit = _factory.SubFactory(InspectionVisitFactory)
    description = "窗口人员脱岗十分钟"
    severity = VisitFinding.Severity.MINOR
    responsible_entity = _factory.SubFactory(_EntityFactory)


class RectificationProjectFactory(_factory.django.DjangoModelFactory):
    """A planned project of 20 working days (the due date is set directly, not computed)."""

    class Meta:
        model = RectificationProject

    number = _factory.Sequence(lambda n: f"ZG2024-{n + 1:03d}")
    title = _factory.Sequence(lambda n: f"整改项目{n}")
    problem = "窗口服务态度生硬"
    source = RectificationProject.Source.SURVEY
    responsible_entity = _factory.SubFactory(_EntityFactory)
    responsible_leader = "副局长 王某"
    plan = "制定整改计划"
    measures = "加强培训"
    start_date = _dt.date(2024, 3, 1)
    workdays = 20
    due_date = _dt.date(2024, 3, 29)
    status = RectificationProject.Status.PLANNED
