"""Demo data: the seed's public institutions (公用事业单位办事公开), idempotently.

The seed: 中小学校、幼儿园、民办教育机构、医院、社区卫生服务中心 publish 办事制度、
办理程序、工作纪律、完成时限、服务承诺、监督电话、收费项目标准; the 教育局 added
收费管理 (校长负责制、收费公示制、一人一票制), 学籍与转学 (政策、条件、流程),
招生编班 (免试就近入学、电脑分班、无重点班) and a conduct hotline; the 卫生局 required of
its units (医院、妇幼保健院、卫生监督所、防治站) and the community health centres
收费标准、药品价格、救助政策、内部管理制度 and, for the centres, 24小时值班 and
10分钟呼叫到达.

Everything goes through disclosure.actions.institutions. Natural keys: sectors and item kinds
by code, institutions by name, items by (institution, kind), fees by (institution, name). A few
institutions leave items out or let them go stale, so that completeness means something. Dates
are relative to today, so stale items stay stale. A second run adds nothing.
"""

import datetime
from decimal import Decimal
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from disclosure.actions.institutions import (
    fee_item_create,
    fee_item_publish,
    institution_create,
    institution_disclosure_publish,
    institution_disclosure_save,
    sector_requirement_set,
)
from disclosure.models.entities import AdministrativeEntity
from disclosure.models.institutions import (
    DisclosureItemKind,
    FeeItem,
    InstitutionDisclosure,
    InstitutionMembership,
    PublicInstitution,
    Sector,
)

C = FeeItem.Category
U = FeeItem.Unit
F = Sector.Field

EDUCATION_BUREAU = "西岗区教育局"
HEALTH_BUREAU = "西岗区卫生局"

SECTORS = (
    ("primary-school", "小学", F.EDUCATION),
    ("middle-school", "初级中学", F.EDUCATION),
    ("kindergarten", "幼儿园", F.EDUCATION),
    ("private-education", "民办教育机构", F.EDUCATION),
    ("hospital", "医院", F.HEALTH),
    ("maternal-child-health", "妇幼保健院", F.HEALTH),
    ("health-supervision", "卫生监督所", F.HEALTH),
    ("disease-prevention", "防治站", F.HEALTH),
    ("community-health", "社区卫生服务中心", F.HEALTH),
)

KINDS = (
    ("rules", "办事制度"),
    ("procedures", "办理程序"),
    ("discipline", "工作纪律"),
    ("time-limits", "完成时限"),
    ("commitments", "服务承诺"),
    ("supervision-phone", "监督电话"),
    ("fees", "收费项目标准"),
    ("fee-management", "收费管理制度"),
    ("transfer", "转学（转出、转入）政策、条件和流程"),
    ("enrolment", "招生和编班"),
    ("conduct-reporting", "违规行为举报"),
    ("drug-prices", "药品价格"),
    ("relief-policies", "医疗救助政策"),
    ("internal-rules", "内部管理制度"),
    ("duty-arrival", "24小时值班和10分钟到达承诺"),
)
COMMON = ("rules", "procedures", "discipline", "time-limits", "commitments", "supervision-phone")
SCHOOL_EXTRA = ("fees", "fee-management", "transfer", "enrolment", "conduct-reporting")
HEALTH_EXTRA = ("fees", "drug-prices", "relief-policies", "internal-rules")
CHECKLISTS = {
    "primary-school": COMMON + SCHOOL_EXTRA,
    "middle-school": COMMON + SCHOOL_EXTRA,
    "kindergarten": (*COMMON, "fees", "fee-management", "enrolment", "conduct-reporting"),
    "private-education": (*COMMON, "fees", "fee-management", "conduct-reporting"),
    "hospital": COMMON + HEALTH_EXTRA,
    "maternal-child-health": COMMON + HEALTH_EXTRA,
    "health-supervision": (*COMMON, "fees", "internal-rules"),
    "disease-prevention": (*COMMON, "fees", "internal-rules"),
    "community-health": (*COMMON, *HEALTH_EXTRA, "duty-arrival"),
}
# Fee tables change every term: review them every half year; everything else once a year.
REVIEW_DAYS = {"fees": 182, "drug-prices": 90}

CONTENT = {
    "rules": (
        "<p>本单位实行首问负责制、一次性告知制和限时办结制，办事依据和要求在服务大厅公示。</p>"
    ),
    "procedures": "<ol><li>咨询登记</li><li>提交材料</li><li>审核办理</li><li>办结告知</li></ol>",
    "discipline": "<p>工作人员挂牌上岗，不得推诿扯皮、吃拿卡要，不得收受服务对象财物。</p>",
    "time-limits": "<p>一般事项当场办结；需审核的事项3个工作日内办结并告知结果。</p>",
    "commitments": "<p>热情接待、一次告知、按时办结；不能当场办理的说明理由和办理期限。</p>",
    "supervision-phone": "<p>区纠风办监督电话：0411-83630211；主管部门监督电话见本页。</p>",
    "fees": "<p>收费项目、标准和依据见本页收费表；表外项目一律不得收取。</p>",
    "fee-management": (
        "<p>实行学校收费管理校长负责制、收费管理例会制、收费内容公示制、收费项目标准审批制和"
        "统一收费一人一票制，杜绝乱收费。</p>"
    ),
    "transfer": (
        "<p>转出（入）学：凭户籍或实际居住证明到学区学校申请，经区教育局学籍管理部门审核，"
        "5个工作日内办结。学籍实行电子化管理。</p>"
    ),
    "enrolment": (
        "<p>小学毕业生免试就近升入初中，实行电脑分班，无重点班、无关系班、无大班额。</p>"
    ),
    "conduct-reporting": (
        "<p>师德师风举报热线：0411-83630358。体罚或变相体罚学生、乱办班、乱收费等违规行为"
        "实行一票否决，有举报必查实，有违规必惩处。</p>"
    ),
    "drug-prices": "<p>药品价格按国家和省物价部门规定执行，价格目录在门诊大厅电子屏公示。</p>",
    "relief-policies": "<p>城市低保对象、特困家庭就诊可按规定减免挂号费和部分检查费。</p>",
    "internal-rules": "<p>内部管理制度：岗位责任制、考勤制度、医疗质量管理制度、财务管理制度。</p>",
    "duty-arrival": (
        "<p>中心实行24小时值班制度，辖区居民呼叫后医护人员10分钟内到达。值班电话见本页。</p>"
    ),
}

# (name, sector code, bureau, address, phone, supervision phone, skipped items, stale items)
INSTITUTIONS = (
    ("西岗区实验小学", "primary-school", EDUCATION_BUREAU, "西岗区长白街18号", (), ()),
    ("西岗区新华小学", "primary-school", EDUCATION_BUREAU, "西岗区新华街42号", (), ("transfer",)),
    ("西岗区平安小学", "primary-school", EDUCATION_BUREAU, "西岗区平安街7号", ("enrolment",), ()),
    ("西岗区第三十四中学", "middle-school", EDUCATION_BUREAU, "西岗区八一路120号", (), ()),
    (
        "西岗区第十五中学",
        "middle-school",
        EDUCATION_BUREAU,
        "西岗区胜利路66号",
        ("conduct-reporting",),
        ("fees",),
    ),
    ("西岗区中心幼儿园", "kindergarten", EDUCATION_BUREAU, "西岗区大同街25号", (), ()),
    ("西岗区春柳幼儿园", "kindergarten", EDUCATION_BUREAU, "西岗区春柳街9号", ("enrolment",), ()),
    ("西岗区启航培训学校", "private-education", EDUCATION_BUREAU, "西岗区北京街33号", (), ()),
    ("西岗区人民医院", "hospital", HEALTH_BUREAU, "西岗区黄河路256号", (), ("drug-prices",)),
    ("西岗区妇幼保健院", "maternal-child-health", HEALTH_BUREAU, "西岗区五四路18号", (), ()),
    ("西岗区卫生监督所", "health-supervision", HEALTH_BUREAU, "西岗区友好街12号", (), ()),
    ("西岗区结核病防治站", "disease-prevention", HEALTH_BUREAU, "西岗区新开路80号", (), ()),
    ("西岗区日新社区卫生服务中心", "community-health", HEALTH_BUREAU, "西岗区日新街5号", (), ()),
    (
        "西岗区白云社区卫生服务中心",
        "community-health",
        HEALTH_BUREAU,
        "西岗区白云街30号",
        ("relief-policies",),
        ("duty-arrival",),
    ),
)

EDU_BASIS = "辽宁省物价局、财政厅、教育厅《关于规范中小学收费的通知》（辽价发〔2005〕88号）"
KG_BASIS = "大连市物价局、教育局《关于幼儿园收费管理的通知》（大价发〔2004〕56号）"
MED_BASIS = "《辽宁省医疗服务价格》（辽价发〔2005〕35号）"
FEES = {
    "primary-school": (
        ("课本费", C.BOOKS, "90", "120", U.PER_TERM, EDU_BASIS, ""),
        ("作业本费", C.BOOKS, "15", None, U.PER_TERM, EDU_BASIS, ""),
        ("午餐费", C.MEALS, "5", None, U.PER_DAY, "", "西教发〔2006〕21号"),
    ),
    "middle-school": (
        ("课本费", C.BOOKS, "150", "200", U.PER_TERM, EDU_BASIS, ""),
        ("住宿费", C.BOARDING, "300", None, U.PER_TERM, EDU_BASIS, ""),
        ("借读费", C.TUITION, "500", None, U.PER_TERM, EDU_BASIS, ""),
    ),
    "kindergarten": (
        ("保育教育费", C.TUITION, "280", "450", U.PER_MONTH, KG_BASIS, ""),
        ("伙食费", C.MEALS, "8", None, U.PER_DAY, KG_BASIS, ""),
        ("住宿费（全托）", C.BOARDING, "150", None, U.PER_MONTH, KG_BASIS, ""),
    ),
    "private-education": (
        ("学费（周末班）", C.TUITION, "1200", "2400", U.PER_TERM, "", "西教民〔2006〕3号"),
        ("教材资料费", C.BOOKS, "80", None, U.PER_TERM, "", "西教民〔2006〕3号"),
    ),
    "hospital": (
        ("普通门诊挂号费", C.REGISTRATION, "1", None, U.PER_VISIT, MED_BASIS, ""),
        ("专家门诊挂号费", C.REGISTRATION, "5", "10", U.PER_VISIT, MED_BASIS, ""),
        ("普通病房床位费", C.BED, "15", "25", U.PER_DAY, MED_BASIS, ""),
        ("血常规检查", C.EXAMINATION, "10", None, U.PER_ITEM, MED_BASIS, ""),
    ),
    "maternal-child-health": (
        ("挂号费", C.REGISTRATION, "1", None, U.PER_VISIT, MED_BASIS, ""),
        ("孕期保健检查", C.EXAMINATION, "30", "60", U.PER_ITEM, MED_BASIS, ""),
        ("产科床位费", C.BED, "20", None, U.PER_DAY, MED_BASIS, ""),
    ),
    "health-supervision": (
        ("预防性健康检查", C.EXAMINATION, "35", None, U.PER_ITEM, "", "辽价发〔2003〕102号"),
    ),
    "disease-prevention": (
        ("结核菌素试验", C.VACCINATION, "5", None, U.PER_ITEM, MED_BASIS, ""),
        ("胸部透视", C.EXAMINATION, "10", None, U.PER_ITEM, MED_BASIS, ""),
    ),
    "community-health": (
        ("挂号费", C.REGISTRATION, "0.5", None, U.PER_VISIT, MED_BASIS, ""),
        ("家庭病床建床费", C.BED, "10", None, U.PER_ITEM, MED_BASIS, ""),
        ("出诊费", C.TREATMENT, "5", "10", U.PER_VISIT, MED_BASIS, ""),
    ),
}
# A fee the 治理"三乱" self-inspection should flag: recorded, never published, no basis.
UNFOUNDED_FEE = ("西岗区第十五中学", "补课费", C.TUITION, "200", U.PER_MONTH)

KEEPER_CODENAMES = (
    "add_publicinstitution",
    "change_publicinstitution",
    "view_publicinstitution",
    "change_institutiondisclosure",
    "view_institutiondisclosure",
    "publish_institutiondisclosure",
    "add_feeitem",
    "change_feeitem",
    "view_feeitem",
    "publish_feeitem",
    "change_sector",
    "act_for_all_entities",
)


def _keeper():  # noqa: ANN202
    """The demo's district official who registers institutions (no usable password)."""
    group, _created = Group.objects.get_or_create(name="公用事业单位办事公开管理员")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="disclosure", codename__in=KEEPER_CODENAMES
        )
    )
    user, created = get_user_model().objects.get_or_create(
        username="gongkai_institutions", defaults={"first_name": "孙立群", "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(group)
    return get_user_model().objects.get(pk=user.pk)


def _institution_account(institution: PublicInstitution, username: str, name: str) -> None:
    """An institution's own account, scoped to it by an InstitutionMembership."""
    group, _created = Group.objects.get_or_create(name="公用事业单位账号")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="disclosure",
            codename__in=[c for c in KEEPER_CODENAMES if c != "act_for_all_entities"],
        )
    )
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": name, "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(group)
    InstitutionMembership.objects.get_or_create(user=user, institution=institution)


def load(*, out: TextIO) -> None:
    """Sectors, checklists, institutions, their items and fee tables; a second run adds nothing."""
    keeper = _keeper()
    today = timezone.localdate()
    sectors = {}
    for order, (code, name, field) in enumerate(SECTORS, start=1):
        sectors[code], _created = Sector.objects.get_or_create(
            code=code, defaults={"name": name, "field": field, "sort_order": order}
        )
    kinds = {}
    for order, (code, name) in enumerate(KINDS, start=1):
        kinds[code], _created = DisclosureItemKind.objects.get_or_create(
            code=code, defaults={"name": name, "sort_order": order}
        )
    for sector_code, item_codes in CHECKLISTS.items():
        for code in item_codes:
            sector_requirement_set(
                by=keeper,
                sector=sectors[sector_code],
                kind=kinds[code],
                review_interval_days=REVIEW_DAYS.get(code, 365),
            )
    bureaus = {
        name: AdministrativeEntity.objects.filter(name=name).first()
        for name in (EDUCATION_BUREAU, HEALTH_BUREAU)
    }
    if not all(bureaus.values()):
        out.write("institutions: skipped (load the entities first)\n")
        return
    new_institutions = new_items = new_fees = 0
    for serial, (name, sector_code, bureau, address, skipped, stale) in enumerate(
        INSTITUTIONS, start=1
    ):
        institution = PublicInstitution.objects.filter(name=name).first()
        if institution is None:
            is_health = sectors[sector_code].field == F.HEALTH
            institution = institution_create(
                by=keeper,
                name=name,
                sector=sectors[sector_code],
                supervising_department=bureaus[bureau],
                fields={
                    "address": f"大连市{address}",
                    "hours": "全天24小时"
                    if sector_code == "community-health"
                    else ("周一至周日 7:30—17:00" if is_health else "周一至周五 7:30—17:00"),
                    "phone": f"0411-8362{serial:04d}",
                    "supervision_phone": "0411-83630211" if is_health else "0411-83630358",
                    "latitude": Decimal("38.9140") + Decimal(serial) / 1000,
                    "longitude": Decimal("121.6250") + Decimal(serial) / 1000,
                },
            )
            new_institutions += 1
        for code in CHECKLISTS[sector_code]:
            if code in skipped:
                continue
            if InstitutionDisclosure.objects.filter(institution=institution, kind=kinds[code]):
                continue
            interval = REVIEW_DAYS.get(code, 365)
            # A stale item was last updated longer ago than its review interval.
            updated = today - datetime.timedelta(days=interval + 30 if code in stale else 20)
            item = institution_disclosure_save(
                by=keeper,
                institution=institution,
                kind=kinds[code],
                content=CONTENT[code],
                last_updated=updated,
            )
            institution_disclosure_publish(by=keeper, item=item, note="单位自查后发布。")
            new_items += 1
        for fee_name, category, low, high, unit, basis, document in FEES[sector_code]:
            if FeeItem.objects.filter(institution=institution, name=fee_name).exists():
                continue
            fee = fee_item_create(
                by=keeper,
                institution=institution,
                values={
                    "name": fee_name,
                    "category": category,
                    "amount_min": Decimal(low),
                    "amount_max": Decimal(high) if high else None,
                    "unit": unit,
                    "legal_basis": basis,
                    "approval_document": document,
                    "valid_from": datetime.date(2006, 9, 1),
                },
            )
            fee_item_publish(by=keeper, fee=fee, note="经主管部门审核后公示。")
            new_fees += 1
    name, fee_name, category, amount, unit = UNFOUNDED_FEE
    institution = PublicInstitution.objects.get(name=name)
    if not FeeItem.objects.filter(institution=institution, name=fee_name).exists():
        fee_item_create(
            by=keeper,
            institution=institution,
            values={
                "name": fee_name,
                "category": category,
                "amount_min": Decimal(amount),
                "unit": unit,
                "valid_from": datetime.date(2006, 3, 1),
            },
        )
        new_fees += 1
    _institution_account(PublicInstitution.objects.get(name="西岗区中心幼儿园"), "zxyey", "周敏")
    out.write(
        f"institutions: {new_institutions} institutions, {new_items} items, {new_fees} fees added\n"
    )
