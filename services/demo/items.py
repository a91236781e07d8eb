"""Demo: the seed's departments' service items (committed 2 working days, statutory 8-10) and
the windows of the district's administrative service centre (区行政服务中心). Idempotent:
items by implementation code, windows by number."""

from dataclasses import dataclass
from typing import TextIO

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from disclosure.models import AdministrativeEntity
from services.models import ServiceItem, ServiceMaterial, ServiceWindow

CENTRE = "西岗区行政服务中心"
PLACE = "大连市西岗区北京街1号 西岗区行政服务中心一楼大厅"
HOURS = "周一至周五 8:30-11:30, 13:00-17:00（法定节假日除外）"
COMPLAINT_PHONE = "0411-83630110"


@dataclass(frozen=True)
class ItemSeed:
    code: str
    name: str
    kind: str
    entity: str
    statutory: int
    basis: str
    conditions: str
    materials: tuple[tuple[str, str, int], ...]
    window: str
    phone: str
    is_free: bool = True
    fee_standard: str = ""
    fee_basis: str = ""
    deemed_approval: bool = True
    green_channel: bool = False
    full_agency: bool = False
    joint_lead: str = ""
    person: str = ""


K = ServiceItem.Kind
ORIG, C, OC = "original", "copy", "original_and_copy"
STEPS = (
    "一、申请人到行政服务中心窗口提交申请材料；"
    "二、窗口一次性审查材料，当场受理或一次性告知需补正的全部内容；"
    "三、承办科室审核（需现场核查的，现场核查）；"
    "四、作出决定，承诺时限内办结；五、窗口送达结果。"
)

ITEMS: tuple[ItemSeed, ...] = (
    ItemSeed(
        "XK00101",
        "公共场所卫生许可证核发",
        K.LICENSING,
        "西岗区卫生局",
        10,
        "《公共场所卫生管理条例》第四条、第八条",
        "具有合格的卫生设施，从业人员持有效健康合格证明。",
        (
            ("公共场所卫生许可证申请书", ORIG, 1),
            ("营业执照或名称预先核准通知书", C, 1),
            ("从业人员健康合格证明", C, 1),
            ("经营场所平面图", ORIG, 1),
        ),
        "03",
        "0411-83630131",
        person="孙建华",
        green_channel=True,
        full_agency=True,
    ),
    ItemSeed(
        "XK00102",
        "食品卫生许可证核发",
        K.LICENSING,
        "西岗区卫生局",
        10,
        "《中华人民共和国食品卫生法》第二十七条",
        "具有与生产经营食品相适应的场所、设备和卫生管理制度。",
        (
            ("食品卫生许可证申请书", ORIG, 1),
            ("法定代表人（负责人）身份证明", OC, 1),
            ("从业人员健康合格证明", C, 1),
            ("卫生管理制度", ORIG, 1),
        ),
        "03",
        "0411-83630131",
        person="孙建华",
        green_channel=True,
        full_agency=True,
        is_free=False,
        fee_standard="卫生监督监测费按项目标准收取",
        fee_basis="辽宁省物价局、财政厅关于卫生监督监测收费标准的通知",
    ),
    ItemSeed(
        "XK00201",
        "生活饮用水供水单位卫生许可",
        K.LICENSING,
        "西岗区卫生监督所",
        10,
        "《生活饮用水卫生监督管理办法》第七条",
        "供水设施符合卫生要求，水质检测合格。",
        (("卫生许可申请书", ORIG, 1), ("水质检测报告", ORIG, 1), ("供水设施平面图", ORIG, 1)),
        "04",
        "0411-83630141",
        person="周丽",
    ),
    ItemSeed(
        "XK00301",
        "民办学校办学许可",
        K.LICENSING,
        "西岗区教育局",
        10,
        "《中华人民共和国民办教育促进法》第十一条、第十二条",
        "有规范的名称、组织机构、教师队伍、办学场所和办学资金。",
        (
            ("申办报告", ORIG, 1),
            ("举办者资格证明", C, 1),
            ("资产及经费来源证明", ORIG, 1),
            ("校长及教师资格证明", C, 1),
        ),
        "05",
        "0411-83630151",
        person="刘晓东",
    ),
    ItemSeed(
        "GF00301",
        "中小学生转学（转出、转入）",
        K.PUBLIC_SERVICE,
        "西岗区教育局",
        8,
        "《辽宁省中小学学籍管理办法》",
        "具有本区户籍或实际居住证明，转入学校有学位。",
        (("转学申请表", ORIG, 1), ("户口簿", OC, 1), ("原学校学籍证明", ORIG, 1)),
        "05",
        "0411-83630151",
        person="刘晓东",
        deemed_approval=False,
    ),
    ItemSeed(
        "QR00401",
        "就业失业登记",
        K.CONFIRMATION,
        "西岗区劳动局",
        8,
        "《就业服务与就业管理规定》",
        "本区户籍、在法定劳动年龄内、有劳动能力和就业要求。",
        (("居民身份证", OC, 1), ("户口簿", OC, 1), ("一寸免冠照片", ORIG, 2)),
        "06",
        "0411-83630161",
        person="陈红",
        deemed_approval=False,
    ),
    ItemSeed(
        "QT00402",
        "用人单位招用人员备案",
        K.OTHER_POWER,
        "西岗区劳动局",
        9,
        "《劳动保障监察条例》、《辽宁省劳动力市场管理条例》",
        "依法登记的用人单位招用人员后三十日内办理。",
        (("招用人员花名册", ORIG, 1), ("劳动合同", C, 1), ("营业执照", C, 1)),
        "06",
        "0411-83630161",
        person="陈红",
        full_agency=True,
    ),
    ItemSeed(
        "GF00501",
        "人事代理",
        K.PUBLIC_SERVICE,
        "西岗区组织人事局",
        8,
        "《人事代理暂行规定》",
        "非公有制单位及其人员、流动人员。",
        (("人事代理申请表", ORIG, 1), ("单位营业执照", C, 1), ("本人档案材料", ORIG, 1)),
        "07",
        "0411-83630171",
        person="王立新",
        deemed_approval=False,
    ),
    ItemSeed(
        "QR00601",
        "行政事业单位国有资产处置审批",
        K.LICENSING,
        "西岗区财政局国有资产管理办公室",
        9,
        "《行政事业单位国有资产管理办法》",
        "资产处置事项经单位集体研究，资料完整。",
        (("资产处置申请", ORIG, 1), ("资产清单", ORIG, 1), ("评估报告", C, 1)),
        "08",
        "0411-83630181",
        person="赵敏",
    ),
    ItemSeed(
        "QR00701",
        "困难群众城市居民最低生活保障审核",
        K.PAYMENT,
        "西岗区日新街道办事处",
        10,
        "《城市居民最低生活保障条例》第七条",
        "家庭人均收入低于本市城市居民最低生活保障标准。",
        (("申请书", ORIG, 1), ("户口簿", OC, 1), ("收入证明", ORIG, 1)),
        "09",
        "0411-83630191",
        person="郭秀兰",
        deemed_approval=False,
    ),
)

WINDOWS: tuple[tuple[str, str, str], ...] = (
    ("01", "综合咨询窗口", CENTRE),
    ("02", "投诉受理窗口", CENTRE),
    ("03", "卫生局窗口", "西岗区卫生局"),
    ("04", "卫生监督所窗口", "西岗区卫生监督所"),
    ("05", "教育局窗口", "西岗区教育局"),
    ("06", "劳动局窗口", "西岗区劳动局"),
    ("07", "组织人事局窗口", "西岗区组织人事局"),
    ("08", "财政局国资办窗口", "西岗区财政局国有资产管理办公室"),
    ("09", "街道民政窗口", "西岗区日新街道办事处"),
    ("10", "绿色通道·全程代理窗口", CENTRE),
)

IMPLEMENTATION_PREFIX = "21020300"


def implementation_code(seed: ItemSeed) -> str:
    return f"{IMPLEMENTATION_PREFIX}{seed.code}000"


def load(*, out: TextIO) -> None:
    """Items by implementation code, windows by number; a second run adds nothing."""
    entities = {e.name: e for e in AdministrativeEntity.objects.all()}
    created_items = 0
    with transaction.atomic():
        items: dict[str, ServiceItem] = {}
        for seed in ITEMS:
            entity = entities.get(seed.entity)
            if entity is None:
                continue
            item, created = ServiceItem.objects.get_or_create(
                implementation_code=implementation_code(seed),
                defaults={
                    "basic_code": f"{seed.code}000",
                    "name": seed.name,
                    "kind": seed.kind,
                    "entity": entity,
                    "responsible_person": seed.person,
                    "legal_basis": seed.basis,
                    "conditions": seed.conditions,
                    "steps": STEPS,
                    "statutory_days": seed.statutory,
                    "committed_days": 2,
                    "is_free": seed.is_free,
                    "fee_standard": seed.fee_standard,
                    "fee_basis": seed.fee_basis,
                    "place": PLACE,
                    "hours": HOURS,
                    "consultation_phone": seed.phone,
                    "complaint_phone": COMPLAINT_PHONE,
                    "visits_required": 1,
                    "green_channel": seed.green_channel,
                    "full_agency": seed.full_agency,
                    "deemed_approval": seed.deemed_approval,
                },
            )
            items[seed.code] = item
            if created:
                created_items += 1
                bulk_create_with_history(
                    [
                        ServiceMaterial(
                            item=item, name=name, form=form, copies=copies, sort_order=i
                        )
                        for i, (name, form, copies) in enumerate(seed.materials)
                    ],
                    ServiceMaterial,
                )
        for number, name, entity_name in WINDOWS:
            window, created = ServiceWindow.objects.get_or_create(
                number=number, defaults={"name": name, "entity": entities.get(entity_name)}
            )
            if created:
                handled = [items[s.code] for s in ITEMS if s.window == number and s.code in items]
                if number in ("01", "10"):
                    handled = list(items.values())
                window.items.set(handled)
    out.write(f"services: {created_items} service items, {len(WINDOWS)} windows\n")
