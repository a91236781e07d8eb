"""Demo: ratings (好差评) of the half-year's completed cases, bad ones through the actions.

About one completed case in sixteen is rated. The good and middling ratings are bulk-inserted
(tens of thousands of actions would make `load_demo` crawl); the 24 bad ones go through
`rating_submit`, so each opens its rectification task, and the tasks move on through the
actions: called back, rectified, closed with a follow-up rating; one appeal against a malicious
rating is upheld by the 监察局, another rejected.
"""

import random
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from disclosure.models import AdministrativeEntity
from services.actions.ratings import (
    rating_appeal_decide,
    rating_appeal_submit,
    rating_submit,
    rectification_call_back,
    rectification_complete,
    rectification_follow_up,
)
from services.models import Rating, RatingSettings, RectificationTask, ServiceCase
from services.models.ratings import OFFLINE_INDICATORS, ONLINE_INDICATORS
from workdays.calendar import add_workdays

PREFIX = "XG2006-"
SAMPLE_EVERY = 16
BAD = 24
SUPERVISING_ENTITY = "西岗区监察局"

BAD_COMMENTS = (
    "等候时间过长，窗口只开了一个。",
    "材料没有一次性告知清楚，跑了两趟。",
    "窗口工作人员态度生硬。",
    "网上申报系统多次提交失败。",
    "办事指南写的材料和窗口要求不一致。",
    "电话咨询一直占线。",
)
CALL_BACK = "已电话回访，申请人反映属实，已向其说明整改安排。"
RECTIFIED = {
    RectificationTask.Kind.IMMEDIATE: "当场调整窗口人员，增开窗口，已向申请人反馈。",
    RectificationTask.Kind.DEADLINE: "修订办事指南和告知单，培训窗口人员，已反馈。",
    RectificationTask.Kind.EXPLANATION: "所需材料有法定依据，已向申请人解释说明并获理解。",
}
KINDS = list(RECTIFIED)


def _clerk():  # noqa: ANN202
    """The centre's rating officer: records ratings, handles rectification, decides appeals."""
    user, created = get_user_model().objects.get_or_create(
        username="haochaping", defaults={"first_name": "好差评专员", "is_staff": True}
    )
    group, _created = Group.objects.get_or_create(name="好差评管理")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="services",
            codename__in=[
                "record_rating",
                "handle_rectificationtask",
                "decide_ratingappeal",
                "record_windowmonthlyscore",
                "view_rating",
                "view_rectificationtask",
            ],
        ),
        *Permission.objects.filter(
            content_type__app_label="disclosure", codename="act_for_all_entities"
        ),
    )
    user.groups.add(group)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return get_user_model().objects.get(pk=user.pk)


def _indicators(rng: random.Random, channel: str, level: int) -> dict[str, int]:
    codes = ONLINE_INDICATORS if channel in Rating.ONLINE_CHANNELS else OFFLINE_INDICATORS
    return {code: max(1, min(5, level - (rng.random() < 0.2))) for code in codes}


def load(*, out: TextIO) -> None:
    """Rate a sample of the demo's completed cases; a second run adds nothing."""
    if Rating.objects.filter(case__case_no__startswith=PREFIX).exists():
        out.write("services: demo ratings exist; nothing added\n")
        return
    completed = list(
        ServiceCase.objects.filter(case_no__startswith=PREFIX, status=ServiceCase.Status.COMPLETED)
        .order_by("pk")
        .values_list("pk", "window_id", "channel", "completed_on")
    )
    if not completed:
        return
    RatingSettings.current()
    rng = random.Random(51)  # noqa: S311 - demo data, reproducible
    sample = completed[::SAMPLE_EVERY]
    bad_rows = set(rng.sample(range(len(sample)), BAD))
    clerk = _clerk()
    with transaction.atomic():
        good = []
        for index, (pk, window_id, case_channel, done) in enumerate(sample):
            if index in bad_rows:
                continue
            channel = Rating.Channel.WINDOW if case_channel == "window" else Rating.Channel.ONLINE
            level = rng.choices([5, 4, 3], [78, 16, 6])[0]
            good.append(
                Rating(
                    case_id=pk,
                    level=level,
                    channel=channel,
                    indicators=_indicators(rng, channel, level),
                    window_id=window_id,
                    rated_on=done,
                )
            )
        bulk_create_with_history(
            good, Rating, batch_size=2_000, default_change_reason="演示数据批量载入"
        )
        bad = [sample[i] for i in sorted(bad_rows)]
        cases = ServiceCase.objects.in_bulk([row[0] for row in bad])
        tasks = []
        for number, (pk, _window_id, case_channel, done) in enumerate(bad):
            channel = Rating.Channel.WINDOW if case_channel == "window" else Rating.Channel.ONLINE
            level = 1 if number % 3 == 0 else 2
            real_name = number % 2 == 0
            rating = rating_submit(
                case=cases[pk],
                by=clerk,
                level=level,
                channel=channel,
                indicators=_indicators(rng, channel, level),
                comment=BAD_COMMENTS[number % len(BAD_COMMENTS)],
                is_real_name=real_name,
                rater_name="匿名" if not real_name else f"评价人{number + 1:02d}",
                rater_phone=f"1390411{number:04d}" if real_name else "",
                on=done,
            )
            tasks.append((rating, RectificationTask.objects.get(rating=rating)))
        _handle(tasks=tasks, clerk=clerk, rng=rng)
    out.write(f"services: {len(good) + BAD} demo ratings ({BAD} bad, with rectification tasks)\n")


def _handle(*, tasks: list, clerk, rng: random.Random) -> None:  # noqa: ANN001
    supervising = AdministrativeEntity.objects.filter(name=SUPERVISING_ENTITY).first()
    for number, (rating, task) in enumerate(tasks):
        if number in (0, 1) and supervising is not None:
            appeal = rating_appeal_submit(
                rating=rating,
                by=clerk,
                reason="申请人因个人原因对法定材料要求不满，评价与办理情况不符，属恶意差评。",
            )
            uphold = number == 0
            rating_appeal_decide(
                appeal=appeal,
                by=clerk,
                deciding_entity=supervising,
                uphold=uphold,
                note="经调阅录像和办件记录，申诉理由成立，该评价不计入统计。"
                if uphold
                else "经核查，窗口一次性告知不到位，申诉理由不成立，差评有效。",
            )
            if uphold:
                continue
        if number >= 20:
            continue  # still open: due dates after the end of the half-year
        kind = KINDS[number % len(KINDS)]
        called = add_workdays(rating.rated_on, 1)
        rectification_call_back(task=task, by=clerk, kind=kind, note=CALL_BACK, on=called)
        if number >= 16:
            continue
        fixed = add_workdays(called, 1 if kind == RectificationTask.Kind.IMMEDIATE else 5)
        rectification_complete(task=task, by=clerk, note=RECTIFIED[kind], on=fixed)
        if number >= 12:
            continue
        rectification_follow_up(
            task=task,
            by=clerk,
            level=rng.choice([4, 5]),
            channel=Rating.Channel.HOTLINE,
            comment="整改后满意。",
            on=add_workdays(fixed, 2),
        )
