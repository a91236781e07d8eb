"""Demo information requests and the district's annual report for the demo year. Idempotent.

About thirty applications, all through the actions, covering every outcome group of Table 三
(disclosed, partly, withheld, cannot provide, not handled, other), corrections, consultations,
an extension, fees paid and lapsed, appeals, and requests spanning the year's ends so that the
carried-over rows of the demo year's report are non-zero. Applicants' names are invented.
"""

import datetime
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from disclosure.actions import reports as report_actions
from disclosure.actions import requests as actions
from disclosure.models import AdministrativeEntity, InformationRequest
from disclosure.models.reports import AnnualReport
from disclosure.validators import resident_id_check_character
from workdays.calendar import add_workdays

DEMO_YEAR = 2025
MARKER = "【演示】"

ENTITIES = (
    "西岗区人民政府办公室",
    "西岗区教育局",
    "西岗区卫生局",
    "西岗区财政局",
    "西岗区组织人事局",
)
NAMES = (
    "张建国",
    "李秀英",
    "王海涛",
    "刘晓燕",
    "陈志强",
    "杨丽华",
    "赵文博",
    "黄美玲",
    "周子健",
    "吴雅琴",
    "徐立新",
    "孙佳慧",
    "马国栋",
    "朱晓梅",
    "胡振华",
)
ORGANISATIONS = {
    "commercial": "大连西岗恒信商贸有限公司",
    "research": "大连某大学公共管理研究所",
    "public_interest": "大连市西岗区阳光助老服务中心",
    "legal_service": "辽宁正和律师事务所",
    "other_org": "西岗区香炉礁街道某社区居民委员会",
}
TOPICS = (
    "2025年西岗区老旧小区改造项目清单及资金安排",
    "西岗区义务教育阶段学校划片范围",
    "社区卫生服务中心药品价格公示",
    "西岗区2024年财政决算报告",
    "2025年公务员招录职位及录用结果",
    "某路段道路拓宽工程征收补偿方案",
    "西岗区行政事业性收费项目目录",
    "某餐饮企业食品安全检查记录",
)

# (entity, applicant type, received (month, day, year offset), flow, outcome, appeal)
W = "withheld_"
SCENARIOS: tuple[tuple[int, str, tuple[int, int, int], str, str, str], ...] = (
    # received in December of the year before, concluded in the demo year: carried in
    (0, "natural_person", (12, 20, -1), "reply", "disclosed", ""),
    (1, "commercial", (12, 22, -1), "consult", "partly_disclosed", ""),
    (2, "natural_person", (12, 26, -1), "extend", W + "process", "reconsideration:upheld"),
    # the demo year
    (0, "natural_person", (1, 13, 0), "direct", "disclosed", ""),
    (0, "natural_person", (2, 17, 0), "reply", "disclosed", ""),
    (1, "research", (3, 3, 0), "reply", "disclosed", ""),
    (3, "natural_person", (3, 18, 0), "fee_paid", "disclosed", ""),
    (4, "legal_service", (4, 7, 0), "reply", "partly_disclosed", ""),
    (0, "natural_person", (4, 21, 0), "reply", W + "state_secret", ""),
    (3, "commercial", (5, 12, 0), "reply", W + "prohibited", ""),
    (0, "natural_person", (5, 26, 0), "reply", W + "security", ""),
    (1, "commercial", (6, 9, 0), "consult", W + "third_party", "litigation_direct:upheld"),
    (4, "natural_person", (6, 23, 0), "reply", W + "internal", ""),
    (2, "public_interest", (7, 7, 0), "reply", W + "enforcement_file", ""),
    (2, "natural_person", (7, 21, 0), "reply", W + "inquiry", ""),
    (3, "natural_person", (8, 4, 0), "reply", "unavailable_not_held", "reconsideration:corrected"),
    (0, "other_org", (8, 18, 0), "reply", "unavailable_needs_creation", ""),
    (1, "natural_person", (9, 1, 0), "correction", "unavailable_unclear", ""),
    (0, "natural_person", (9, 15, 0), "direct", "not_handled_petition", ""),
    (0, "natural_person", (9, 22, 0), "reply", "not_handled_repeat", ""),
    (2, "research", (10, 13, 0), "reply", "not_handled_publication", ""),
    (
        3,
        "natural_person",
        (10, 20, 0),
        "reply",
        "not_handled_excessive",
        "litigation_after:pending",
    ),
    (4, "legal_service", (10, 27, 0), "reply", "not_handled_confirmation", ""),
    (1, "natural_person", (11, 3, 0), "abandon", "", ""),
    (3, "commercial", (11, 10, 0), "fee_lapse", "", ""),
    (0, "public_interest", (11, 17, 0), "reply", "other", ""),
    (1, "natural_person", (11, 24, 0), "correction", "disclosed", ""),
    # received late in the demo year, still open at its end: carried out
    (2, "natural_person", (12, 15, 0), "reply", "disclosed", ""),
    (0, "commercial", (12, 22, 0), "consult", "partly_disclosed", ""),
    (4, "natural_person", (12, 29, 0), "open", "", ""),
)


def _official():  # noqa: ANN202
    """The district's disclosure officer (no usable password) who handles the demo requests."""
    group, _created = Group.objects.get_or_create(name="依申请公开办理")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="disclosure",
            codename__in=(
                "handle_informationrequest",
                "approve_extension_informationrequest",
                "publish_annualreport",
            ),
        )
    )
    user, created = get_user_model().objects.get_or_create(
        username="demo-ysq", defaults={"first_name": "信息公开办", "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(group)
    return get_user_model().objects.get(pk=user.pk)


def _resident_id(n: int) -> str:
    first17 = f"210203{1960 + n % 40:04d}{1 + n % 12:02d}{1 + n % 28:02d}{100 + n:03d}"
    return first17 + resident_id_check_character(first17)


def _run(n: int, scenario, entities, by) -> None:  # noqa: ANN001
    entity_index, applicant_type, (month, day, offset), flow, outcome, appeal = scenario
    received = datetime.date(DEMO_YEAR + offset, month, day)
    person = applicant_type == "natural_person"
    data = {
        "applicant_type": applicant_type,
        "applicant_name": NAMES[n % len(NAMES)] if person else ORGANISATIONS[applicant_type],
        "id_type": "resident_id" if person else "credit_code",
        "id_number": _resident_id(n) if person else f"91210203MA0DEMO{n:03d}",
        "contact_phone": f"1390411{n:04d}",
        "info_title": TOPICS[n % len(TOPICS)],
        "info_description": f"{MARKER}申请获取上述信息的电子版本。",
        "delivery_form": "email" if n % 3 else "paper",
        "channel": ("in_person", "online", "registered_post", "ordinary_post", "fax")[n % 5],
    }
    submitted_at = timezone.make_aware(datetime.datetime.combine(received, datetime.time(10)))
    request, _credentials = actions.request_submit(
        entity=entities[entity_index], data=data, submitted_at=submitted_at
    )
    request = actions.request_receive(request=request, by=by, on=received)

    def day(k: int) -> datetime.date:
        return add_workdays(received, k)

    if flow == "open":
        return
    if flow == "direct":
        actions.request_reply(request=request, by=by, outcome=outcome, on=received)
        return
    if flow in ("correction", "abandon"):
        request = actions.request_correction_ask(
            request=request,
            by=by,
            items="请写明所需信息的名称或文号",
            on=day(3),
            period_workdays=10,
        )
        if flow == "abandon":
            actions.request_abandon(request=request, by=by, on=add_workdays(day(3), 11))
            return
        request = actions.request_correction_receive(request=request, by=by, on=day(8))
        actions.request_reply(request=request, by=by, outcome=outcome, on=day(20))
        return
    request = actions.request_review_start(request=request, by=by)
    if flow == "consult":
        consultation = actions.request_consultation_open(
            request=request, by=by, kind="third_party", party="相关第三方企业", on=day(5)
        )
        if received.year == DEMO_YEAR and received.month == 12:
            return  # still consulting at the year's end
        actions.request_consultation_answer(
            consultation=consultation,
            by=by,
            answer="不同意公开涉及商业秘密的部分",
            on=day(12),
            objects_to_disclosure=True,
        )
        request.refresh_from_db()
        reply_on = day(24)
    elif flow == "extend":
        request = actions.request_extend(
            request=request, by=by, workdays=15, approved_by_name="刘主任", on=day(18)
        )
        reply_on = day(30)
    elif flow in ("fee_paid", "fee_lapse"):
        request = actions.request_fee_notify(
            request=request, by=by, method="by_volume", pages=160, on=day(6)
        )
        if flow == "fee_lapse":
            actions.request_fee_lapse(request=request, by=by, on=day(27))
            return
        request = actions.request_fee_pay(request=request, by=by, on=day(12))
        reply_on = day(22)
    else:
        reply_on = day(12 + n % 6)
    if reply_on > timezone.localdate():
        return
    request = actions.request_reply(request=request, by=by, outcome=outcome, on=reply_on)
    if appeal:
        kind, result = appeal.split(":")
        record = actions.request_appeal_record(
            request=request,
            by=by,
            kind=kind,
            filed_date=add_workdays(reply_on, 20),
            body="大连市西岗区人民政府" if kind == "reconsideration" else "大连市西岗区人民法院",
        )
        if result != "pending":
            actions.request_appeal_decide(
                appeal=record, by=by, result=result, on=add_workdays(reply_on, 60)
            )


def load(*, out: TextIO) -> None:
    """Load the demo requests once, then generate and publish the demo year's report."""
    by = _official()
    entities = [AdministrativeEntity.objects.filter(name=name).first() for name in ENTITIES]
    if any(entity is None for entity in entities):
        out.write("requests: demo entities missing, skipped\n")
        return
    if InformationRequest.objects.filter(info_description__startswith=MARKER).exists():
        out.write("requests: demo requests already loaded\n")
    else:
        for n, scenario in enumerate(SCENARIOS):
            _run(n, scenario, entities, by)
        out.write(f"requests: {len(SCENARIOS)} demo information requests\n")
    report = report_actions.report_generate(entity=None, year=DEMO_YEAR, by=by)
    if report.status == AnnualReport.Status.DRAFT:
        report = report_actions.report_inputs_update(
            report=report,
            by=by,
            values={
                "section_overview": (
                    f"{DEMO_YEAR}年，西岗区坚持以公开为常态、不公开为例外，依法办理政府信息公开申请，"
                    "按照《中华人民共和国政府信息公开条例》的规定编制本年度报告。"
                ),
                "licensing_decisions": 1268,
                "penalty_decisions": 214,
                "coercion_decisions": 9,
                "fees_collected": Decimal("36.5200"),
                "section_problems": "依申请公开答复文书规范化程度有待提高，下一步将加强业务培训。",
                "section_other": "本年度收取信息处理费的情况见表三相关说明；无其他需要报告的事项。",
            },
        )
        report_actions.report_publish(report=report, by=by)
        out.write(f"requests: annual report {DEMO_YEAR} published\n")
