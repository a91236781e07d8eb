"""The seed's efficiency complaints of the first half of 2006, through the actions. Idempotent.

The seed: "上半年，接待效能投诉 5 件，我们逐个进行了深入的调查，并立案处理。目前已调查处理完毕
4 件，1 件正在调查当中。对存在一定问题但尚不构成违纪处理的单位和个人进行了批评和训诫". So: five
complaints registered; four concluded (criticism or admonishment) and replied; one under
investigation. Complainants' names are invented.
"""

import datetime
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from complaints.actions.complaints import (
    complaint_assign,
    complaint_close,
    complaint_conclude,
    complaint_investigate,
    complaint_rate,
    complaint_register,
    complaint_reply,
    complaint_submit,
)
from complaints.models import Complaint, ComplaintEvent
from disclosure.models import AdministrativeEntity
from disclosure.tracking import tracking_password_hash
from services.models import ServiceWindow

DEMO_PASSWORD = "XG2006TS"  # noqa: S105 - the demo complaints' query password (printed; demo data only)

# number, received, category, department, window, description, place, complainant, mobile,
# concluded as (finding, measures, conclusion, reply, rating) or None (under investigation)
COMPLAINTS = (
    (
        "TS-20060215-XG0001",
        datetime.date(2006, 2, 15),
        Complaint.Category.DELAY,
        "西岗区卫生局",
        "03",
        "2月上旬申请公共场所卫生许可证，材料齐全，窗口承诺2个工作日办结，但一周后仍告知"
        "“负责人不在，再等等”，往返三次未办结。",
        "区行政服务中心卫生局窗口",
        "赵立新",
        "13904110231",
        (
            Complaint.Finding.SUBSTANTIATED,
            [Complaint.Measure.CRITICISM],
            "经调查，该窗口工作人员未按承诺时限办结，且未履行一次性告知义务，反映情况属实。"
            "已对当事人进行批评教育，责成卫生局窗口当日办结。",
            "您反映的问题经调查属实。我局已对卫生局窗口当事工作人员进行批评教育，"
            "您的许可证已于2月24日办结。感谢您对软环境建设的监督。",
            4,
        ),
    ),
    (
        "TS-20060309-XG0002",
        datetime.date(2006, 3, 9),
        Complaint.Category.BUCK_PASSING,
        "西岗区劳动局",
        "06",
        "为农民工讨要拖欠工资，劳动局窗口说应找街道，街道又说应找劳动局，互相推诿。",
        "区行政服务中心劳动局窗口、日新街道办事处",
        "孙德海",
        "13504112876",
        (
            Complaint.Finding.PARTLY,
            [Complaint.Measure.CRITICISM, Complaint.Measure.RECTIFICATION],
            "经调查，劳动局窗口首问负责制落实不到位，存在推诿现象；街道已按规定转办。"
            "对劳动局窗口当事人批评教育，并将清欠工作纳入整改立项。",
            "经调查，您反映的推诿问题部分属实。我局已对劳动局窗口当事人进行批评教育，"
            "拖欠的农民工工资已由劳动局协调用工单位于4月10日前全部支付。",
            5,
        ),
    ),
    (
        "TS-20060406-XG0003",
        datetime.date(2006, 4, 6),
        Complaint.Category.ATTITUDE,
        "西岗区卫生监督所",
        "04",
        "办理食品卫生许可证咨询时，窗口工作人员态度生硬，不耐烦地让我“自己看墙上”。",
        "区行政服务中心卫生监督所窗口",
        "钱慧敏",
        "13842761509",
        (
            Complaint.Finding.SUBSTANTIATED,
            [Complaint.Measure.ADMONISHMENT],
            "经调取监控并询问当事人，窗口工作人员服务态度生硬属实，违反窗口服务规范。"
            "已对当事人进行训诫谈话。",
            "经调查，您反映的服务态度问题属实，我局已对当事人进行训诫，并要求卫生监督所"
            "加强窗口服务规范培训。",
            None,
        ),
    ),
    (
        "TS-20060512-XG0004",
        datetime.date(2006, 5, 12),
        Complaint.Category.ARBITRARY_CHARGES,
        "西岗区教育局",
        None,
        "孩子转学时，学校要求交纳“赞助费”，没有收费依据，也未公示。",
        "区内某小学",
        "李春梅",
        "13898456702",
        (
            Complaint.Finding.PARTLY,
            [Complaint.Measure.ADMONISHMENT, Complaint.Measure.RECTIFICATION],
            "经调查，学校以“自愿捐资”名义收取费用，未按规定公示，存在变相收费问题。"
            "已对学校负责人训诫，责令退还所收费用，教育局开展收费公示专项检查。",
            "您反映的问题部分属实。学校已退还所收费用，教育局对学校负责人进行了训诫，"
            "并在全区中小学开展收费项目和标准公示检查。",
            4,
        ),
    ),
    (
        "TS-20060619-XG0005",
        datetime.date(2006, 6, 19),
        Complaint.Category.EXTORTION,
        "西岗区财政局国有资产管理办公室",
        "08",
        "办理国有资产产权登记时，经办人员暗示需“意思意思”才能尽快办理。",
        "区行政服务中心财政局国资办窗口",
        "",
        "",
        None,
    ),
)


def _bureau_official():  # noqa: ANN202
    """The supervision bureau's demo investigator (no usable password)."""
    group, _created = Group.objects.get_or_create(name="监察局效能投诉")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="complaints",
            codename__in=[
                "handle_complaint",
                "supervise_complaints",
                "reveal_complainant",
                "view_complaint",
                "view_open311key",
                "add_open311key",
                "change_open311key",
            ],
        )
    )
    user, created = get_user_model().objects.get_or_create(
        username="xiaonengtousu", defaults={"first_name": "效能投诉中心", "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(group)
    return get_user_model().objects.get(pk=user.pk)


def _workday_after(day: datetime.date, n: int) -> datetime.date:
    from workdays.calendar import add_workdays

    return add_workdays(day, n)


def _date_last_event(complaint: Complaint, day: datetime.date) -> None:
    """Date the latest history row on the demo day it stands for (10:00 local)."""
    event = complaint.events.order_by("-id").first()
    if event is not None:
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
        ComplaintEvent.objects.filter(pk=event.pk).update(at=at)


def load(*, out: TextIO) -> None:
    official = _bureau_official()
    created = 0
    for (
        number,
        received,
        category,
        entity_name,
        window_no,
        text,
        place,
        name,
        mobile,
        end,
    ) in COMPLAINTS:
        if Complaint.objects.filter(tracking_no=number).exists():
            continue
        entity = AdministrativeEntity.objects.filter(name=entity_name).first()
        window = ServiceWindow.objects.filter(number=window_no).first() if window_no else None
        if entity is None and window is None:
            out.write(f"complaints: skipped {number} (no {entity_name} in the demo)\n")
            continue
        complaint, _credentials = complaint_submit(
            entity=entity,
            window=window,
            category=category,
            description=text,
            place=place,
            occurred_on=received - datetime.timedelta(days=3),
            anonymous=not name,
            complainant_name=name,
            complainant_mobile=mobile,
            received_on=received,
        )
        Complaint.objects.filter(pk=complaint.pk).update(
            tracking_no=number, tracking_password_hash=tracking_password_hash(DEMO_PASSWORD)
        )
        complaint.refresh_from_db()
        _date_last_event(complaint, received)
        day = _workday_after(received, 1)
        complaint_register(complaint=complaint, by=official, today=day)
        _date_last_event(complaint, day)
        complaint_assign(complaint=complaint, by=official, investigator=official, today=day)
        _date_last_event(complaint, day)
        day = _workday_after(day, 1)
        complaint_investigate(complaint=complaint, by=official, today=day)
        _date_last_event(complaint, day)
        if end is not None:
            finding, measures, conclusion, reply, rating = end
            day = _workday_after(day, 8)
            complaint_conclude(
                complaint=complaint,
                by=official,
                finding=finding,
                measures=measures,
                conclusion=conclusion,
                today=day,
            )
            _date_last_event(complaint, day)
            day = _workday_after(day, 2)
            complaint_reply(complaint=complaint, by=official, reply=reply, today=day)
            _date_last_event(complaint, day)
            if rating is not None:
                complaint_rate(complaint=complaint, rating=rating, today=day)
            else:
                complaint_close(complaint=complaint, by=official, today=day)
            later = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59)))
            at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))
            complaint.events.filter(at__gt=later).update(at=at)
            Complaint.objects.filter(pk=complaint.pk).update(closed_on=day)
        created += 1
    total = Complaint.objects.filter(tracking_no__in=[c[0] for c in COMPLAINTS]).count()
    out.write(
        f"complaints: {created} new of the seed's {total} efficiency complaints "
        f"(query password {DEMO_PASSWORD}, demo only)\n"
    )
