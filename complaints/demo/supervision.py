"""Demo supervision (part B): the seed's 36 invited supervisors, their 2006 visits to the service
centre's windows and the grass-roots stations, the 治理"三乱" self-inspection visit, and the 7
rectification projects (监察立项7项). Names of people are invented. Idempotent: a second run adds
nothing. Everything is written through the actions, as the supervision bureau's demo official.
"""

import datetime
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from complaints.actions import supervision as actions
from complaints.models.supervision import (
    InspectionVisit,
    RectificationProject,
    Supervisor,
)
from disclosure.models import AdministrativeEntity
from services.models import ServiceWindow

TERM = (datetime.date(2006, 1, 1), datetime.date(2008, 12, 31))
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = (
    "建国",
    "秀英",
    "志强",
    "丽华",
    "海涛",
    "桂芳",
    "立新",
    "淑珍",
    "晓东",
    "春梅",
    "德明",
    "玉兰",
    "振华",
    "凤英",
    "国庆",
    "雅琴",
    "宏伟",
    "素云",
    "永生",
    "慧敏",
    "学军",
    "红霞",
    "长林",
    "美玲",
    "文斌",
    "晓燕",
    "继光",
    "月华",
    "庆丰",
    "佩芬",
    "铁军",
    "翠萍",
    "书林",
    "静怡",
    "广才",
    "婉如",
)
# (role, kind, affiliation) — 36 in all, as the seed says.
AFFILIATIONS: tuple[tuple[str, str, str], ...] = (
    *[(Supervisor.Role.SUPERVISOR, Supervisor.Kind.CONGRESS_DEPUTY, "区人大代表")] * 6,
    *[(Supervisor.Role.SUPERVISOR, Supervisor.Kind.CONGRESS_DEPUTY, "市人大代表")] * 2,
    *[(Supervisor.Role.SUPERVISOR, Supervisor.Kind.CPPCC_MEMBER, "区政协委员")] * 6,
    *[(Supervisor.Role.SUPERVISOR, Supervisor.Kind.CPPCC_MEMBER, "市政协委员")] * 2,
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.ENTERPRISE, "大连西岗商贸有限公司"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.ENTERPRISE, "西岗区个体劳动者协会"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.ENTERPRISE, "大连港湾建筑工程有限公司"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.ENTERPRISE, "西岗区私营企业协会"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.ENTERPRISE, "大连北岗桥餐饮有限公司"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.ENTERPRISE, "西岗区中小企业服务中心会员企业"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.RESIDENT, "日新街道社区居民代表"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.RESIDENT, "日新街道社区居民代表"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.RESIDENT, "北京街道社区居民代表"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.RESIDENT, "北京街道社区居民代表"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.RESIDENT, "八一路街道社区居民代表"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.RESIDENT, "人民广场街道社区居民代表"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.RESIDENT, "白云街道社区居民代表"),
    (Supervisor.Role.SUPERVISOR, Supervisor.Kind.RESIDENT, "香炉礁街道社区居民代表"),
    (Supervisor.Role.INSPECTOR, Supervisor.Kind.OTHER, "区特邀监察员（退休教师）"),
    (Supervisor.Role.INSPECTOR, Supervisor.Kind.OTHER, "区特邀监察员（律师）"),
    (Supervisor.Role.INSPECTOR, Supervisor.Kind.OTHER, "区特邀监察员（新闻工作者）"),
    (Supervisor.Role.INSPECTOR, Supervisor.Kind.OTHER, "区特邀监察员（退休干部）"),
    (Supervisor.Role.INSPECTOR, Supervisor.Kind.OTHER, "区特邀监察员（会计师）"),
    (Supervisor.Role.INSPECTOR, Supervisor.Kind.OTHER, "区特邀监察员（医务工作者）"),
)

BUREAU = "西岗区监察局"
CENTRE = "西岗区行政服务中心"


def _bureau_official():  # noqa: ANN202
    """The supervision bureau's demo official (no usable password)."""
    group, _created = Group.objects.get_or_create(name="监察局效能监察")
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="complaints", codename="manage_supervision")
            | Q(content_type__app_label="services", codename="record_windowmonthlyscore")
        )
    )
    user, created = get_user_model().objects.get_or_create(
        username="jianchaju", defaults={"first_name": "监察局效能监察室", "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(group)
    return get_user_model().objects.get(pk=user.pk)


def _supervisors(by) -> list[Supervisor]:  # noqa: ANN001
    made = []
    for i, (role, kind, affiliation) in enumerate(AFFILIATIONS):
        name = SURNAMES[i] + GIVEN[i]
        existing = Supervisor.objects.filter(name=name, term_start=TERM[0]).first()
        if existing is not None:
            made.append(existing)
            continue
        made.append(
            actions.supervisor_create(
                by=by,
                name=name,
                role=role,
                kind=kind,
                affiliation=affiliation,
                term_start=TERM[0],
                term_end=TERM[1],
                phone=f"1380411{i + 1:04d}",
                email=f"jiandu{i + 1:02d}@example.com",
            )
        )
    return made


# (supervisor index, kind, date, window number or None, place, topic, summary, score, findings)
# finding: (description, severity, responsible entity)
VISITS = (
    (
        0,
        "unannounced",
        datetime.date(2006, 3, 14),
        "01",
        "",
        "区行政服务大厅窗口服务暗访",
        "上午九时至十时在大厅观察咨询、受理情况，窗口人员均按时在岗，挂牌服务，"
        "一次性告知材料清单。",
        92,
        (("个别工作人员在窗口内使用手机处理私事", "minor", CENTRE),),
    ),
    (
        8,
        "unannounced",
        datetime.date(2006, 3, 22),
        "06",
        "",
        "劳动局窗口暗访",
        "以咨询农民工工资拖欠投诉途径为由暗访，窗口人员解释清楚，但未主动提供书面告知单。",
        78,
        (("未按承诺提供一次性书面告知", "serious", "西岗区劳动局"),),
    ),
    (
        14,
        "announced",
        datetime.date(2006, 4, 11),
        "03",
        "",
        "卫生局窗口明查",
        "检查服务承诺公示、收费标准公示和办件登记簿，公示内容齐全，登记规范。",
        95,
        (),
    ),
    (
        20,
        "unannounced",
        datetime.date(2006, 4, 19),
        "05",
        "",
        "教育局窗口暗访",
        "窗口人员服务态度较好，转学政策解释清楚。",
        88,
        (("转学政策公示栏内容未及时更新", "minor", "西岗区教育局"),),
    ),
    (
        30,
        "unannounced",
        datetime.date(2006, 5, 9),
        None,
        "日新街道劳动保障站（基层站所）",
        "基层站所文明执法和效能建设暗访",
        "工作日下午二时到站，办事群众排队等候较久，仅一名工作人员在岗。",
        None,
        (
            ("工作时间人员脱岗，办事群众等候超过一小时", "serious", "西岗区日新街道办事处"),
            ("未公示办事程序和办结时限", "serious", "西岗区日新街道办事处"),
        ),
    ),
    (
        31,
        "unannounced",
        datetime.date(2006, 5, 17),
        None,
        "北京街道社区卫生服务站（基层站所）",
        "基层站所服务承诺落实情况暗访",
        "夜间拨打值班电话，十分钟内接听，药品价格公示齐全。",
        None,
        (),
    ),
    (
        2,
        "announced",
        datetime.date(2006, 6, 6),
        "08",
        "",
        "财政局国资办窗口明查",
        "查阅办件登记和承诺时限执行记录，均在承诺的2个工作日内办结。",
        96,
        (),
    ),
)
SELF_INSPECTION = (
    32,
    "unannounced",
    datetime.date(2006, 6, 20),
    None,
    "全区行政许可收费单位（治理“三乱”自查）",
    "落实行政许可法、治理“三乱”自查情况暗访检查",
    "对照行政许可法，对各行政许可主体的收费项目自查情况进行暗访抽查："
    "无法律、法规和规章依据的收费项目已一律取消，收费公示基本到位。",
    None,
    (("个别站所收费公示牌仍列有已取消的收费项目", "minor", "西岗区财政局"),),
)

# (title, problem, source, responsible entity, coordinating, leader, plan, measures, start,
#  workdays, outcome) — outcome: "verified", "completed", "in_progress" or "planned"
PROJECTS = (
    (
        "协调解决拖欠、克扣农民工工资问题",
        "部分建设工程企业拖欠、克扣农民工工资，农民工投诉无门。",
        "survey",
        "西岗区劳动局",
        ("西岗区监察局",),
        "劳动局副局长 孙立群",
        "由监察局、劳动局等有关部门深入调查，逐案督办，限期清欠。",
        "建立农民工工资支付监控和欠薪举报制度；对拖欠企业责令限期支付；公布举报电话。",
        datetime.date(2006, 4, 3),
        40,
        "verified",
    ),
    (
        "区行政服务中心窗口服务规范",
        "暗访发现窗口人员个别时段离岗、使用手机处理私事，一次性告知不到位。",
        "visit",
        CENTRE,
        (),
        "行政服务中心副主任 周慧敏",
        "完善窗口服务规范和考勤制度，将暗访结果纳入星级服务窗口评比。",
        "实行挂牌上岗、首问负责和一次性告知；每月通报暗访结果。",
        datetime.date(2006, 4, 10),
        30,
        "verified",
    ),
    (
        "基层站所效能建设",
        "基层站所工作时间人员脱岗、办事程序和时限未公示，群众等候时间长。",
        "visit",
        "西岗区日新街道办事处",
        (),
        "日新街道办事处副主任 罗振华",
        "对基层站所开展效能建设专项整改，公开办事程序、办结时限和监督电话。",
        "实行弹性工作制和AB岗制度；公示栏统一制作；监察局组织回访。",
        datetime.date(2006, 5, 22),
        30,
        "completed",
    ),
    (
        "治理乱收费、乱罚款、乱摊派",
        "个别行政许可主体收费项目依据不清，收费公示不规范。",
        "survey",
        "西岗区财政局",
        ("西岗区人民政府法制办公室",),
        "财政局副局长 梁文斌",
        "对照行政许可法逐项清理收费项目，无依据的一律取消。",
        "收费项目目录公示；收费一人一票；设立举报电话，有举报必查实。",
        datetime.date(2006, 5, 8),
        40,
        "completed",
    ),
    (
        "中小学收费管理",
        "家长反映个别学校代收费项目不透明。",
        "survey",
        "西岗区教育局",
        (),
        "教育局副局长 谢雅琴",
        "落实学校收费校长负责制和收费公示制，规范代收费。",
        "推行“北方明珠卡”收费制度；收费内容学期初公示；一票否决违规收费。",
        datetime.date(2006, 6, 5),
        30,
        "in_progress",
    ),
    (
        "窗口服务承诺时限落实",
        "个别事项未在承诺时限内办结，群众多次往返。",
        "survey",
        CENTRE,
        ("西岗区人民政府办公室",),
        "行政服务中心主任 宋继光",
        "逐项核定承诺时限，启动审批联席会议制度，对超时事项视为同意。",
        "每周统计超时办件；超时事项提交审批联席会议办结并通报。",
        datetime.date(2006, 6, 12),
        60,
        "in_progress",
    ),
    (
        "社区卫生服务中心服务承诺公开",
        "部分社区卫生服务中心药品价格和救助政策公示不全。",
        "survey",
        "西岗区卫生局",
        ("西岗区卫生监督所",),
        "卫生局副局长 唐学军",
        "在社区卫生服务中心全面实行收费标准、药品价格、救助政策和服务承诺公开。",
        "统一公示内容和格式；落实24小时值班和10分钟呼叫到达承诺；不定期走访检查。",
        datetime.date(2006, 7, 3),
        40,
        "planned",
    ),
)


def _entity(name: str) -> AdministrativeEntity | None:
    return AdministrativeEntity.objects.filter(name=name).first()


def _visit(by, supervisors, spec) -> InspectionVisit:  # noqa: ANN001
    index, kind, day, window_no, place, topic, summary, score, findings = spec
    window = ServiceWindow.objects.filter(number=window_no).first() if window_no else None
    visit = actions.visit_record(
        by=by,
        supervisor=supervisors[index],
        kind=kind,
        visited_on=day,
        window=window,
        place=place,
        topic=topic,
        summary=summary,
        private_notes="暗访人员身份未暴露。" if kind == "unannounced" else "",
        score=score,
    )
    for description, severity, entity_name in findings:
        entity = _entity(entity_name)
        if entity is not None:
            actions.visit_finding_add(
                visit=visit,
                by=by,
                description=description,
                severity=severity,
                responsible_entity=entity,
            )
    actions.visit_submit(visit=visit, by=by)
    actions.visit_accept(visit=visit, by=by, note="经监察局审核，暗访记录属实。")
    return visit


def load(*, out: TextIO) -> None:
    """Load the supervision demo; a second run adds nothing."""
    assert len(AFFILIATIONS) == 36  # noqa: S101 - the seed's 36 supervisors
    if RectificationProject.objects.filter(number="ZG2006-001").exists():
        out.write("complaints (supervision): already loaded\n")
        return
    by = _bureau_official()
    supervisors = _supervisors(by)
    visits = [_visit(by, supervisors, spec) for spec in VISITS]
    visits.append(_visit(by, supervisors, SELF_INSPECTION))
    by_topic = {v.topic: v for v in visits}
    source_visits = {
        "区行政服务中心窗口服务规范": by_topic["区行政服务大厅窗口服务暗访"],
        "基层站所效能建设": by_topic["基层站所文明执法和效能建设暗访"],
    }
    for i, spec in enumerate(PROJECTS, start=1):
        (
            title,
            problem,
            source,
            entity_name,
            coordinating,
            leader,
            plan,
            measures,
            start,
            workdays,
            outcome,
        ) = spec
        entity = _entity(entity_name)
        if entity is None:
            continue
        visit = source_visits.get(title)
        project = actions.rectification_project_create(
            by=by,
            number=f"ZG2006-{i:03d}",
            title=title,
            problem=problem,
            source=source,
            source_visit=visit,
            responsible_entity=entity,
            coordinating_entities=[e for e in map(_entity, coordinating) if e is not None],
            responsible_leader=leader,
            plan=plan,
            measures=measures,
            start_date=start,
            workdays=workdays,
            findings=list(visit.findings.all()) if visit else [],
            note="监察立项。",
        )
        if outcome == "planned":
            continue
        actions.rectification_project_start(project=project, by=by, note="责任部门启动整改。")
        actions.rectification_progress_add(
            project=project,
            by=by,
            reported_on=start + datetime.timedelta(days=14),
            text="已召开服务对象、监督员座谈会，整改计划和措施已落实到班子成员。",
        )
        if outcome == "in_progress":
            continue
        done_on = project.due_date - datetime.timedelta(days=3)
        actions.rectification_project_complete(
            project=project,
            by=by,
            completed_on=done_on,
            summary="整改措施全部落实，监督员回访情况良好。",
        )
        if outcome == "verified":
            actions.rectification_project_verify(
                project=project,
                by=by,
                verified_on=done_on + datetime.timedelta(days=7),
                note="监察局组织验收，整改到位。",
            )
    for month in {datetime.date(v.visited_on.year, v.visited_on.month, 1) for v in visits}:
        actions.window_supervision_scores_record(month=month, by=by)
    out.write(
        f"complaints (supervision): {len(supervisors)} supervisors, {len(visits)} visits, "
        f"{RectificationProject.objects.count()} rectification projects\n"
    )
