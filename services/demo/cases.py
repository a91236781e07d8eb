"""Demo: the service centre's first half of 2006, as case and consultation records.

The seed: 1-6月 咨询 75,095 件, 受理 60,351 件, 办结 59,388 件, 办结率 98% (98.4%). These figures
are not typed in anywhere: they are what the statistics count from the records built here.
- 60,351 cases accepted between 4 January and 30 June 2006; 59,388 of them completed by
  30 June; the other 963 were accepted on 29-30 June and completed in early July;
- 75,095 consultations as per-item, per-day counts;
- besides: applications withdrawn during correction (never accepted), a few expert-review
  pauses, a few refusals, overdue public-service cases and deemed approvals completed by the
  joint approval meeting; and, through the actions, a green-channel case and a full-agency
  case with sub-cases in two other departments (their query codes are printed).
Bulk-inserted in batches (with one history event per step) to stay fast; idempotent: nothing
is added when the half-year's cases exist.
"""

import datetime
import random
from collections import Counter
from functools import lru_cache
from typing import TextIO
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from services.actions.cases import (
    case_accept,
    case_complete,
    case_receive,
)
from services.models import (
    ConsultationCount,
    JointMeetingDecision,
    ServiceCase,
    ServiceCaseEvent,
    ServiceCasePause,
    ServiceItem,
    ServiceWindow,
)
from workdays.calendar import Deadline, Pause, add_workdays, is_workday

ACCEPTED = 60_351
COMPLETED = 59_388
CONSULTATIONS = 75_095
FIRST, LAST = datetime.date(2006, 1, 1), datetime.date(2006, 6, 30)
PREFIX = "XG2006-"
BATCH = 2_000
TZ = ZoneInfo("Asia/Shanghai")
WITHDRAWN_IN_CORRECTION = 140
PAUSED = 40
DEEMED = 9
REFUSED_SHARE = 0.004

S = ServiceCase.Status
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红春梅建国志海波宁"
FIRMS = ("贸易", "商贸", "餐饮", "科技", "建材", "服装", "广告", "物流", "文化", "酒店管理")
FIRM_WORDS = "星海港湾北方明珠胜利富丽天和鑫源华泰金桥惠民嘉禾东港西岗"

RESUMED = "专家评审完毕，恢复计时。"
DEEMED_NOTE = "视为同意，予以办结。"
HISTORY_NOTE = "演示数据批量载入"
EXAMPLE_CODE = "XG2006CX"  # the demo examples' query code (printed; demo data only)


def _official():  # noqa: ANN202
    """The service centre's demo clerk, with the case permissions (used for the examples)."""
    user, created = get_user_model().objects.get_or_create(
        username="fuwuzhongxin", defaults={"first_name": "服务中心窗口", "is_staff": True}
    )
    group, _created = Group.objects.get_or_create(name="行政服务中心窗口")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="services",
            codename__in=[
                "handle_servicecase",
                "decide_jointmeeting",
                "import_servicecase",
                "manage_serviceitem",
                "view_servicecase",
                "view_serviceitem",
            ],
        )
    )
    user.groups.add(group)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return get_user_model().objects.get(pk=user.pk)  # fresh permission cache


def _applicant(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.55:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))
        return ServiceCase.ApplicantType.PERSON, name
    firm = "".join(rng.sample(FIRM_WORDS, 2)) + rng.choice(FIRMS)
    kind = ServiceCase.ApplicantType.SME if rng.random() < 0.8 else "enterprise"
    return kind, f"大连{firm}有限公司"


@lru_cache(maxsize=4096)
def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def _insert(model: type[models.Model], rows: list[dict]) -> None:
    """Insert plain rows with one executemany per batch (the ORM's bulk_create spends most of
    the demo's time preparing 60,000 model instances). Fields a row leaves out get their
    default; datetimes and dates are adapted by the backend's own operations."""
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    defaults = {}
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            defaults[f.attname] = now
        else:
            defaults[f.attname] = f.get_default()  # "" for text, None for nullable fields
    adapt = {}
    for f in fields:
        if isinstance(f, models.DateTimeField):
            adapt[f.attname] = _cached_adapter(connection.ops.adapt_datetimefield_value)
        elif isinstance(f, models.DateField):
            adapt[f.attname] = _cached_adapter(connection.ops.adapt_datefield_value)
    names = [f.attname for f in fields]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - names from the model
        connection.ops.quote_name(model._meta.db_table),
        ", ".join(connection.ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH * 5):
            params = []
            for row in rows[start : start + BATCH * 5]:
                values = []
                for name in names:
                    value = row.get(name, defaults[name])
                    if value is not None and name in adapt:
                        value = adapt[name](value)
                    values.append(value)
                params.append(values)
            cursor.executemany(sql, params)


def _insert_history(cases: list[dict], ids: dict[str, int]) -> None:
    """One history row per bulk-inserted case (what simple-history writes on a save), dated
    at the case's last step, so that the history of every demo case is complete."""
    now = timezone.now()
    rows = []
    for case in cases:
        last = case.get("completed_on") or case.get("withdrawn_on") or case["received_on"]
        rows.append(
            {
                **case,
                "id": ids[case["case_no"]],
                "created_at": now,
                "updated_at": now,
                "history_date": _at(last, 17),
                "history_type": "+",
                "history_change_reason": HISTORY_NOTE,
            }
        )
    _insert(ServiceCase.history.model, rows)


def _insert_history_of(queryset: models.QuerySet, *, day) -> None:  # noqa: ANN001
    """One history row for each bulk-inserted record of `queryset`, dated `day(row)`."""
    model = queryset.model
    names = [f.attname for f in model._meta.concrete_fields]
    rows = [
        {
            **row,
            "history_date": _at(day(row), 17),
            "history_type": "+",
            "history_change_reason": HISTORY_NOTE,
        }
        for row in queryset.values(*names)
    ]
    _insert(model.history.model, rows)


def _cached_adapter(function):  # noqa: ANN001, ANN202
    return lru_cache(maxsize=8192)(function)


def _examples(*, items: dict[str, ServiceItem], out: TextIO) -> int:
    """A green-channel case and a full-agency case with two sub-cases, through the actions."""
    clerk = _official()
    food, public_place = items.get("XK00102"), items.get("XK00101")
    hires, water = items.get("QT00402"), items.get("XK00201")
    if not all((food, public_place, hires, water)):
        return 0
    windows = {w.number: w for w in ServiceWindow.objects.all()}
    day = datetime.date(2006, 6, 12)
    green = case_receive(
        item=public_place,
        applicant_type="sme",
        applicant_name="大连星海餐饮有限公司",
        applicant_contact="0411-82800001",
        channel="window",
        window=windows.get("10"),
        green_channel=True,
        received_on=day,
        case_no=f"{PREFIX}LS-0001",
        query_code=EXAMPLE_CODE,
        by=clerk,
    ).case
    case_accept(case=green, on=day, by=clerk)
    case_complete(case=green, result="approved", on=day, by=clerk, note="绿色通道，当日办结。")
    parent = case_receive(
        item=food,
        applicant_type="sme",
        applicant_name="大连鑫源酒店管理有限公司",
        applicant_contact="0411-82800002",
        channel="agency",
        window=windows.get("10"),
        agent_name="卫生局窗口 孙建华",
        green_channel=True,
        received_on=day,
        case_no=f"{PREFIX}DL-0001",
        query_code=EXAMPLE_CODE,
        by=clerk,
    ).case
    case_accept(case=parent, on=day, by=clerk)
    subs = []
    for n, item in enumerate((hires, water), start=2):
        sub = case_receive(
            item=item,
            applicant_type="sme",
            applicant_name="大连鑫源酒店管理有限公司",
            channel="agency",
            parent=parent,
            received_on=day,
            case_no=f"{PREFIX}DL-000{n}",
            query_code=EXAMPLE_CODE,
            by=clerk,
            note="全程代理：由首个受理部门代办。",
        ).case
        case_accept(case=sub, on=day, by=clerk)
        subs.append(sub)
    case_complete(case=subs[0], result="approved", on=add_workdays(day, 1), by=clerk)
    case_complete(case=subs[1], result="approved", on=add_workdays(day, 2), by=clerk)
    case_complete(case=parent, result="approved", on=add_workdays(day, 2), by=clerk)
    # The actions stamp events with the time they ran; the examples happened in June 2006.
    hours = {S.RECEIVED: 9, S.ACCEPTED: 10, S.COMPLETED: 16}
    for case in ServiceCase.objects.filter(pk__in=[green.pk, parent.pk, *(s.pk for s in subs)]):
        for event in case.events.all():
            day = case.completed_on if event.to_status == S.COMPLETED else case.received_on
            event.at = _at(day, hours.get(event.to_status, 12))
            event.save(update_fields=["at"])
    out.write(
        f"services: example cases {green.case_no} (green channel) and {parent.case_no} "
        f"(full agency, 2 sub-cases); query code {EXAMPLE_CODE}\n"
    )
    return 4


def load(*, out: TextIO) -> None:
    """Build the half-year's records unless they exist; a second run adds nothing."""
    if ServiceCase.objects.filter(case_no__startswith=PREFIX).exists():
        out.write("services: the 2006 half-year's cases exist; nothing added\n")
        return
    items = {
        i.basic_code[:7]: i
        for i in ServiceItem.objects.filter(implementation_code__startswith="21020300")
    }
    if not items:
        return
    with transaction.atomic():
        examples = _examples(items=items, out=out)
        _bulk(
            items=list(items.values()),
            accepted=ACCEPTED - examples,
            completed=COMPLETED - examples,
            out=out,
        )
        _consultations(items=list(items.values()))


def _bulk(*, items: list[ServiceItem], accepted: int, completed: int, out: TextIO) -> None:
    rng = random.Random(2006)  # noqa: S311 - demo data, reproducible
    window_of = {}
    for window in ServiceWindow.objects.prefetch_related("items"):
        if window.number in ("01", "10"):
            continue
        for item in window.items.all():
            window_of.setdefault(item.pk, window.pk)
    days = []
    day = FIRST
    while day <= LAST:
        if is_workday(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    late_days = [d for d in days if d >= datetime.date(2006, 6, 29)]
    early_days = [d for d in days if d < datetime.date(2006, 6, 29)]
    weights = [rng.uniform(0.5, 2.0) for _ in items]
    carried = accepted - completed  # accepted on 29-30 June, completed in July

    plans = []  # [accepted_on, item]
    for n in range(accepted):
        item = rng.choices(items, weights)[0]
        on = rng.choice(late_days) if n < carried else rng.choice(early_days)
        plans.append([on, item])
    plans.sort(key=lambda plan: plan[0])
    mid_june = datetime.date(2006, 6, 15)
    paused = set(rng.sample([i for i, p in enumerate(plans) if p[0] < mid_june], PAUSED))
    deemed_candidates = [
        i
        for i, (on, item) in enumerate(plans)
        if item.deemed_approval and on < mid_june and i not in paused
    ]
    deemed = set(rng.sample(deemed_candidates, DEEMED))
    july = datetime.date(2006, 7, 3)
    cases: list[dict] = []
    meta: list[tuple | None] = []
    for n, (on, item) in enumerate(plans):
        applicant_type, name = _applicant(rng)
        channel = "online" if rng.random() < 0.15 else "window"
        received_on = add_workdays(on, -1) if channel == "online" and rng.random() < 0.5 else on
        received_on = max(received_on, datetime.date(2006, 1, 4))
        pauses: tuple[Pause, ...] = ()
        roll = rng.random()
        k = 0 if roll < 0.45 else 1 if roll < 0.76 else 2
        result, reason = ServiceCase.Result.APPROVED, ""
        deemed_on = overdue_on = None
        if n in paused:
            first = add_workdays(on, 1)
            pauses = (Pause(first, add_workdays(first, rng.randint(2, 4))),)
        if pauses:
            due = Deadline(start=on, workdays=item.committed_days, pauses=pauses).due_date
        else:
            due = add_workdays(on, item.committed_days)
        done = due if pauses else add_workdays(on, k)
        if on in late_days:
            done = max(done, july)  # completed in July: accepted, not completed, by 30 June
        elif n in deemed:
            deemed_on = overdue_on = add_workdays(due, 1)
            done = add_workdays(deemed_on, rng.randint(1, 2))
        elif not item.deemed_approval and on < mid_june and rng.random() < 0.012:
            overdue_on = add_workdays(due, 1)
            done = add_workdays(due, rng.randint(1, 3))
        if rng.random() < REFUSED_SHARE and deemed_on is None:
            result, reason = ServiceCase.Result.REFUSED, "申请材料与实际情况不符，不符合法定条件。"
        case_no = f"{PREFIX}{n + 1:06d}"
        cases.append(
            {
                "case_no": case_no,
                "tracking_no": case_no,
                "item_id": item.pk,
                "entity_id": item.entity_id,
                "window_id": window_of.get(item.pk) if channel == "window" else None,
                "applicant_type": applicant_type,
                "applicant_name": name,
                "applicant_contact": f"139{rng.randint(0, 99_999_999):08d}",
                "channel": channel,
                "status": S.COMPLETED,
                "committed_days": item.committed_days,
                "received_on": received_on,
                "accepted_on": on,
                "due_date": due,
                "overdue_on": overdue_on,
                "deemed_approved_on": deemed_on,
                "completed_on": done,
                "result": result,
                "result_reason": reason,
            }
        )
        meta.append((pauses, deemed_on))

    # Applications withdrawn while a correction was pending: received, never accepted.
    for n in range(WITHDRAWN_IN_CORRECTION):
        on = rng.choice(early_days)
        item = rng.choices(items, weights)[0]
        applicant_type, name = _applicant(rng)
        case_no = f"{PREFIX}W{n + 1:05d}"
        cases.append(
            {
                "case_no": case_no,
                "tracking_no": case_no,
                "item_id": item.pk,
                "entity_id": item.entity_id,
                "applicant_type": applicant_type,
                "applicant_name": name,
                "channel": "window",
                "status": S.WITHDRAWN,
                "committed_days": item.committed_days,
                "received_on": on,
                "correction_requested_on": on,
                "correction_items": "法定代表人身份证明；经营场所产权证明",
                "withdrawn_on": add_workdays(on, 3),
            }
        )
        meta.append(None)

    events: list[dict] = []
    pause_rows: list[dict] = []
    decisions: list[dict] = []
    _insert(ServiceCase, cases)
    ids = dict(ServiceCase.objects.filter(case_no__startswith=PREFIX).values_list("case_no", "id"))
    _insert_history(cases, ids)
    for case, extra in zip(cases, meta, strict=True):
        case_id = ids[case["case_no"]]
        events.append(
            {
                "case_id": case_id,
                "from_status": "",
                "to_status": S.RECEIVED,
                "at": _at(case["received_on"]),
                "note": "收件。",
            }
        )
        if extra is None:
            events.append(
                {
                    "case_id": case_id,
                    "from_status": S.RECEIVED,
                    "to_status": S.CORRECTION_REQUESTED,
                    "at": _at(case["correction_requested_on"], 10),
                    "note": case["correction_items"],
                }
            )
            events.append(
                {
                    "case_id": case_id,
                    "from_status": S.CORRECTION_REQUESTED,
                    "to_status": S.WITHDRAWN,
                    "at": _at(case["withdrawn_on"]),
                    "note": "申请人撤回申请。",
                }
            )
            continue
        pauses, deemed_on = extra
        events.append(
            {
                "case_id": case_id,
                "from_status": S.RECEIVED,
                "to_status": S.ACCEPTED,
                "at": _at(case["accepted_on"], 10),
            }
        )
        last = S.ACCEPTED
        for pause in pauses:
            pause_rows.append(
                {
                    "case_id": case_id,
                    "reason": "expert_review",
                    "first": pause.first,
                    "last": pause.last,
                    "note": "组织专家评审。",
                }
            )
            events.append(
                {
                    "case_id": case_id,
                    "from_status": S.ACCEPTED,
                    "to_status": S.SUSPENDED,
                    "at": _at(pause.first),
                    "note": "组织专家评审，暂停计时。",
                }
            )
            events.append(
                {
                    "case_id": case_id,
                    "from_status": S.SUSPENDED,
                    "to_status": S.ACCEPTED,
                    "at": _at(pause.last + datetime.timedelta(days=1)),
                    "note": RESUMED,
                }
            )
        if deemed_on is not None:
            events.append(
                {
                    "case_id": case_id,
                    "from_status": S.ACCEPTED,
                    "to_status": S.DEEMED_APPROVED,
                    "at": _at(deemed_on, 8),
                    "note": "在承诺时限内无正当理由未办结，视为同意，提交审批联席会议办结。",
                }
            )
            decisions.append(
                {
                    "case_id": case_id,
                    "meeting_date": case["completed_on"],
                    "minutes_no": f"西审联〔2006〕{len(decisions) + 1}号",
                    "note": DEEMED_NOTE,
                }
            )
            last = S.DEEMED_APPROVED
        events.append(
            {
                "case_id": case_id,
                "from_status": last,
                "to_status": S.COMPLETED,
                "at": _at(case["completed_on"], 16),
                "note": case["result_reason"],
            }
        )
    _insert(ServiceCaseEvent, events)
    _insert(ServiceCasePause, pause_rows)
    _insert(JointMeetingDecision, decisions)
    _insert_history_of(
        JointMeetingDecision.objects.filter(case__case_no__startswith=PREFIX),
        day=lambda row: row["meeting_date"],
    )
    out.write(
        f"services: {accepted:,} cases accepted in the first half of 2006 "
        f"({completed:,} completed by 30 June), {WITHDRAWN_IN_CORRECTION} withdrawn\n"
    )


def _consultations(*, items: list[ServiceItem]) -> None:
    """75,095 consultations as counts per item and working day of the half-year."""
    rng = random.Random(75095)  # noqa: S311 - demo data, reproducible
    days = []
    day = FIRST
    while day <= LAST:
        if is_workday(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    cells = [(item.pk, d) for item in items for d in days]
    counts = Counter(rng.choices(range(len(cells)), k=CONSULTATIONS))
    bulk_create_with_history(
        [
            ConsultationCount(item_id=cells[i][0], date=cells[i][1], count=c)
            for i, c in sorted(counts.items())
        ],
        ConsultationCount,
        batch_size=BATCH,
        default_change_reason=HISTORY_NOTE,
    )
