"""Demo data: the administrative entities of the seed's district (西岗区), idempotently.

The seed (西岗区2006年软环境建设和政务公开工作阶段性汇报材料) says the district's 组织人事局 and
法制办 audited and confirmed every district-level administrative entity and announced the result
(公示); that the 卫生局 trained and supervised its enforcement officers and published its
penalty procedures; and that the 法制办 reviewed and filed 10 normative documents in the first
half of 2006. This module builds that: entities taken through the real workflow actions, a
published guide for each, enforcement lists for the 卫生局 and 教育局, and the filings.

Natural keys: entities by name, officers by certificate number, inspection items by (entity,
序号), guides by (entity, version), filings by their catalogue entry. A second run adds nothing.
"""

import datetime
from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from disclosure.actions.entities import (
    entity_announce,
    entity_confirm,
    entity_review,
    entity_submit,
    guide_draft_create,
    guide_publish,
)
from disclosure.actions.normative import (
    normative_filing_file,
    normative_filing_return,
    normative_filing_start_review,
    normative_filing_submit,
)
from disclosure.models.catalogue import CatalogueEntry
from disclosure.models.entities import (
    AdministrativeEntity,
    DisclosureGuide,
    EnforcementOfficer,
    EnforcementPower,
    RandomInspectionItem,
)
from disclosure.models.normative import NormativeFiling
from disclosure.validators import credit_code_check_character

K = AdministrativeEntity.Kind
S = AdministrativeEntity.Status

AREA_CODE = "210203"  # 大连市西岗区
OFFICE_HOURS = "周一至周五 上午8:30—11:30，下午13:00—17:00（法定节假日除外）"
# The district-wide audit was announced in the summer of 2006 (the seed is its mid-year report).
ANNOUNCED_2006 = (datetime.date(2006, 8, 1), datetime.date(2006, 8, 15))


def demo_credit_code(kind_digit: str, serial: int) -> str:
    """A deterministic, checksum-valid credit code: 1 (机构编制) + kind + 西岗区 + serial + check.

    `kind_digit` is "1" for an organ (机关) and "2" for a public institution (事业单位).
    """
    first17 = f"1{kind_digit}{AREA_CODE}{241000000 + serial:09d}"
    return first17 + credit_code_check_character(first17)


@dataclass(frozen=True)
class EntitySeed:
    name: str
    short_name: str
    kind: str
    parent: str | None
    serial: int
    functions: str
    head: str
    address: str
    phone: str
    fax: str = ""
    email_user: str = ""
    kind_digit: str = "1"
    final_status: str = S.ANNOUNCED
    announce_now: bool = False
    enforcement_area: str = ""


ROOT = "西岗区人民政府"

ENTITIES: tuple[EntitySeed, ...] = (
    EntitySeed(
        ROOT,
        "区政府",
        K.ADMINISTRATIVE_ORGAN,
        None,
        1,
        "执行区人民代表大会及其常务委员会的决议和上级国家行政机关的决定、命令；"
        "领导所属各工作部门和街道办事处的工作；依法管理本区经济、教育、科学、文化、卫生、"
        "民政、公安、司法行政、监察等行政工作；推进依法行政和政务公开。",
        "区长",
        "大连市西岗区长春路80号",
        "0411-83630000",
        "0411-83630001",
        "xgqzf",
    ),
    EntitySeed(
        "西岗区人民政府办公室",
        "区政府办公室",
        K.ADMINISTRATIVE_ORGAN,
        ROOT,
        2,
        "协助区政府领导处理日常工作；负责区政府文电、会务、督查、信息和政务公开工作；"
        "组织编制全区政府信息公开目录和政府信息公开指南；指导全区政务公开工作。",
        "主任",
        "大连市西岗区长春路80号",
        "0411-83630010",
        "0411-83630011",
        "xgqzfb",
    ),
    EntitySeed(
        "西岗区组织人事局",
        "组织人事局",
        K.ADMINISTRATIVE_ORGAN,
        ROOT,
        3,
        "负责全区机构编制和人事管理工作；会同法制办对区级行政主体进行审核和确认；"
        "负责公务员录用、考核、培训和奖惩工作。",
        "局长",
        "大连市西岗区长春路80号",
        "0411-83630020",
        "",
        "xgzzrsj",
    ),
    EntitySeed(
        "西岗区人民政府法制办公室",
        "法制办",
        K.ADMINISTRATIVE_ORGAN,
        ROOT,
        4,
        "负责全区规范性文件的合法性审核和备案；组织推行行政执法责任制，"
        "对行政执法主体进行清理和确认；办理行政复议案件。",
        "主任",
        "大连市西岗区长春路80号",
        "0411-83630030",
        "0411-83630031",
        "xgfzb",
    ),
    EntitySeed(
        "西岗区教育局",
        "教育局",
        K.ADMINISTRATIVE_ORGAN,
        ROOT,
        5,
        "负责全区基础教育、学前教育和民办教育的管理；规范中小学收费、学籍和招生管理；"
        "公开转学、招生政策和收费项目标准；查处乱收费、乱办班等违规行为。",
        "局长",
        "大连市西岗区新开路92号",
        "0411-83640100",
        "0411-83640101",
        "xgjyj",
        enforcement_area="教育",
    ),
    EntitySeed(
        "西岗区卫生局",
        "卫生局",
        K.ADMINISTRATIVE_ORGAN,
        ROOT,
        6,
        "负责全区医疗卫生、妇幼保健、疾病防治和社区卫生服务的管理；"
        "规范局属事业单位和社区卫生服务中心的办事公开；负责卫生行政执法和卫生执法人员管理。",
        "局长",
        "大连市西岗区沈阳路32号",
        "0411-83650100",
        "0411-83650101",
        "xgwsj",
        enforcement_area="卫生",
    ),
    EntitySeed(
        "西岗区卫生监督所",
        "卫生监督所",
        K.AUTHORISED_ORGANISATION,
        "西岗区卫生局",
        21,
        "依照法律、法规授权，承担全区公共场所、生活饮用水、医疗机构等卫生监督检查工作，"
        "公开处罚程序及标准。",
        "所长",
        "大连市西岗区沈阳路34号",
        "0411-83650200",
        "",
        "xgwsjds",
        kind_digit="2",
        enforcement_area="卫生",
    ),
    EntitySeed(
        "西岗区监察局",
        "监察局",
        K.ADMINISTRATIVE_ORGAN,
        ROOT,
        7,
        "负责全区行政监察和效能监察；受理效能投诉；组织特邀监察员开展明查暗访；"
        "对损害软环境建设的行为进行调查处理，确定整改立项并督促落实。",
        "局长",
        "大连市西岗区长春路80号",
        "0411-83630070",
        "",
        "xgjcj",
    ),
    EntitySeed(
        "西岗区财政局",
        "财政局",
        K.ADMINISTRATIVE_ORGAN,
        ROOT,
        8,
        "负责全区财政预算、决算和财政资金管理；管理行政事业性收费；负责政府采购监督管理。",
        "局长",
        "大连市西岗区长春路80号",
        "0411-83630080",
        "0411-83630081",
        "xgczj",
    ),
    EntitySeed(
        "西岗区财政局国有资产管理办公室",
        "国有资产管理办公室",
        K.ENTRUSTED_ORGANISATION,
        "西岗区财政局",
        22,
        "受财政局委托，负责全区行政事业单位国有资产管理；组织区行政服务中心等单位设备的"
        "招标更新和升级。",
        "主任",
        "大连市西岗区长春路80号",
        "0411-83630085",
        "",
        "xggzb",
        kind_digit="2",
    ),
    EntitySeed(
        "西岗区信息中心",
        "信息中心",
        K.ENTRUSTED_ORGANISATION,
        ROOT,
        23,
        "负责区政府内外网站和电子政务建设；维护网上并联审批系统、网上查询和网上投诉系统；"
        "推进街道、社区综合信息化平台建设。",
        "主任",
        "大连市西岗区长春路80号",
        "0411-83630090",
        "",
        "xgxxzx",
        kind_digit="2",
    ),
    EntitySeed(
        "西岗区劳动局",
        "劳动局",
        K.ADMINISTRATIVE_ORGAN,
        ROOT,
        9,
        "负责全区劳动就业、劳动关系和劳动保障监察工作；会同监察局协调解决拖欠、克扣农民工工资问题。",
        "局长",
        "大连市西岗区新开路55号",
        "0411-83660100",
        "",
        "xgldj",
    ),
    EntitySeed(
        "西岗区行政服务中心",
        "行政服务中心",
        K.ENTRUSTED_ORGANISATION,
        ROOT,
        24,
        "集中办理行政许可和公共服务事项；实行服务承诺、一次性告知和全程代理；"
        "开设民营中小企业绿色通道；组织审批联席会议办结视为同意的事项。",
        "主任",
        "大连市西岗区北京街1号",
        "0411-83670000",
        "0411-83670001",
        "xgxzfwzx",
        kind_digit="2",
    ),
    EntitySeed(
        "西岗区日新街道办事处",
        "日新街道",
        K.DISPATCHED_AGENCY,
        ROOT,
        31,
        "作为区政府的派出机关，负责辖区社区建设、社会事务、劳动保障和综合治理工作；"
        "推进社区信息化建设，为居民提供便民服务。",
        "主任",
        "大连市西岗区日新街道",
        "0411-83680100",
        "",
        "xgrxjd",
        announce_now=True,
    ),
    EntitySeed(
        "西岗区北京街道办事处",
        "北京街道",
        K.DISPATCHED_AGENCY,
        ROOT,
        32,
        "作为区政府的派出机关，负责辖区社区建设、社会事务和综合治理工作。",
        "主任",
        "大连市西岗区北京街道",
        "0411-83680200",
        "",
        "xgbjjd",
        final_status=S.SUBMITTED,
    ),
)

# Short names other apps' demos may look entities up by (name is the natural key).
ENTITY_NAMES: dict[str, str] = {seed.short_name: seed.name for seed in ENTITIES}

AUDIT_PERMS = (
    "change_administrativeentity",
    "review_administrativeentity",
    "confirm_administrativeentity",
    "announce_administrativeentity",
    "add_disclosureguide",
    "change_disclosureguide",
    "publish_disclosureguide",
)
FILING_PERMS = ("add_normativefiling", "change_normativefiling", "review_normativefiling")


def _official(username: str, first_name: str, group: str, codenames: tuple[str, ...]):  # noqa: ANN202
    """A demo official (no usable password) in a group holding `codenames`."""
    group_obj, _created = Group.objects.get_or_create(name=group)
    group_obj.permissions.add(
        *Permission.objects.filter(content_type__app_label="disclosure", codename__in=codenames)
    )
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first_name, "is_staff": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(group_obj)
    # has_perm caches per instance; a fresh copy sees the group just granted.
    return get_user_model().objects.get(pk=user.pk)


def _entity(seed: EntitySeed) -> AdministrativeEntity:
    parent = AdministrativeEntity.objects.get(name=seed.parent) if seed.parent else None
    email = f"{seed.email_user}@xigang.example.gov.cn" if seed.email_user else ""
    entity, _created = AdministrativeEntity.objects.get_or_create(
        name=seed.name,
        defaults={
            "short_name": seed.short_name,
            "kind": seed.kind,
            "parent": parent,
            "credit_code": demo_credit_code(seed.kind_digit, seed.serial),
            "functions": seed.functions,
            "head": seed.head,
            "address": seed.address,
            "office_hours": OFFICE_HOURS,
            "phone": seed.phone,
            "fax": seed.fax,
            "email": email,
            "disclosure_office": f"{seed.short_name}政务公开办公室"
            if seed.parent
            else "西岗区人民政府办公室政务公开科",
            "disclosure_office_address": seed.address,
            "disclosure_office_hours": OFFICE_HOURS,
            "disclosure_office_phone": seed.phone,
            "disclosure_office_fax": seed.fax,
            "disclosure_office_email": email,
            "is_enforcement_body": bool(seed.enforcement_area),
            "enforcement_area": seed.enforcement_area,
            "sort_order": seed.serial,
        },
    )
    return entity


def _advance(entity: AdministrativeEntity, seed: EntitySeed, by) -> None:  # noqa: ANN001
    """Take a draft entity through the real workflow up to its demo status."""
    order = [S.DRAFT, S.SUBMITTED, S.REVIEWED, S.CONFIRMED, S.ANNOUNCED]
    if entity.status not in order:
        return
    target = order.index(seed.final_status)
    today = timezone.localdate()
    steps = {
        S.SUBMITTED: lambda: entity_submit(entity=entity, by=by, note="报送区级行政主体审核"),
        S.REVIEWED: lambda: entity_review(
            entity=entity, by=by, note="组织人事局、法制办联合审核：主体资格、职能依据齐全"
        ),
        S.CONFIRMED: lambda: entity_confirm(entity=entity, by=by, note="确认为区级行政主体"),
        S.ANNOUNCED: lambda: entity_announce(
            entity=entity,
            by=by,
            note="通过政府内外网站向社会公示",
            start=today if seed.announce_now else ANNOUNCED_2006[0],
            end=today + datetime.timedelta(days=15) if seed.announce_now else ANNOUNCED_2006[1],
        ),
    }
    for status in order[order.index(entity.status) + 1 : target + 1]:
        steps[status]()


def _guide_body(entity: AdministrativeEntity) -> str:
    name = entity.name
    return (
        f"<h2>一、概述</h2><p>为了保障公民、法人和其他组织依法获取政府信息，根据《中华人民共和国"
        f"政府信息公开条例》，编制本指南。凡需要获得{name}政府信息服务的，建议阅读本指南。</p>"
        "<h2>二、信息分类与编排体系</h2><p>本机关主动公开的政府信息按主题分类、体裁分类编排，"
        "每条信息设有唯一的索引号，由本机关统一社会信用代码、年份和顺序号组成。</p>"
        "<h2>三、获取方式</h2><h3>（一）主动公开</h3><ul><li>西岗区政府信息公开门户网站；</li>"
        "<li>区档案馆、区图书馆和区行政服务中心设立的政府信息公开查阅点；</li>"
        "<li>政府公报、新闻发布会、报刊、广播、电视等。</li></ul>"
        "<h3>（二）依申请公开</h3><p>公民、法人或者其他组织可以通过网上申请、信函、传真或者"
        "当面提交的方式，向本机关申请获取政府信息。能够当场答复的当场答复；不能当场答复的，"
        "自收到申请之日起20个工作日内予以答复。</p>"
        "<h2>四、监督和救济</h2><p>公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其"
        "合法权益的，可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，也可以依法"
        "申请行政复议或者提起行政诉讼。</p>"
    )


POWERS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    # entity name -> (power, category, duties, legal basis)
    "西岗区卫生局": (
        (
            "对公共场所未取得卫生许可证擅自营业的行政处罚",
            EnforcementPower.Category.PENALTY,
            "对辖区公共场所经营单位的卫生许可情况进行监督，依法查处无证经营行为。",
            "《公共场所卫生管理条例》第八条、第十四条",
        ),
        (
            "对医疗机构违法执业的行政处罚",
            EnforcementPower.Category.PENALTY,
            "监督辖区医疗机构依法执业，查处使用非卫生技术人员、超范围执业等行为。",
            "《医疗机构管理条例》第四十四条至第四十八条",
        ),
        (
            "生活饮用水卫生监督检查",
            EnforcementPower.Category.INSPECTION,
            "对集中式供水、二次供水单位的卫生状况进行监督检查。",
            "《生活饮用水卫生监督管理办法》第十六条",
        ),
    ),
    "西岗区教育局": (
        (
            "对民办学校违规办学的行政处罚",
            EnforcementPower.Category.PENALTY,
            "对辖区民办教育机构的办学行为进行监督，依法查处违规招生、违规收费等行为。",
            "《中华人民共和国民办教育促进法》第六十二条",
        ),
        (
            "中小学收费行为监督检查",
            EnforcementPower.Category.INSPECTION,
            "检查中小学收费公示、收费项目标准审批和一人一票制度的落实情况，杜绝乱收费。",
            "《中华人民共和国教育法》第二十九条；教育收费公示制度",
        ),
    ),
}
REMEDIES = (
    "当事人对行政处罚决定不服的，可以自收到决定书之日起六十日内向西岗区人民政府申请行政复议，"
    "或者自知道作出行政行为之日起六个月内向人民法院提起行政诉讼。"
)
PROCEDURE = "立案—调查取证—告知陈述申辩（听证）权利—审查决定—送达—执行—结案归档。"

OFFICERS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "西岗区卫生局": (
        ("王立新", "2102030601001", "卫生监督"),
        ("李红梅", "2102030601002", "卫生监督"),
        ("张晓东", "2102030601003", "卫生监督"),
        ("刘振华", "2102030601004", "医疗机构监督"),
    ),
    "西岗区教育局": (
        ("陈雪", "2102030501001", "教育督导"),
        ("赵国强", "2102030501002", "教育收费检查"),
        ("孙静", "2102030501003", "民办教育管理"),
    ),
}

INSPECTIONS: dict[str, tuple[tuple[str, str, str, str, str], ...]] = {
    # entity -> (检查项目, 检查子项, 检查依据, 检查方式, 检查内容)
    "西岗区卫生局": (
        (
            "公共场所卫生监督检查",
            "住宿、沐浴、美容美发场所",
            "《公共场所卫生管理条例》",
            "双随机抽查、现场检查",
            "卫生许可证、从业人员健康合格证明、卫生管理制度及公示情况",
        ),
        (
            "生活饮用水卫生监督检查",
            "二次供水设施",
            "《生活饮用水卫生监督管理办法》",
            "双随机抽查、抽样检测",
            "供水单位卫生许可、水箱清洗消毒记录、水质检测报告",
        ),
        (
            "医疗机构依法执业检查",
            "社区卫生服务中心、诊所",
            "《医疗机构管理条例》",
            "双随机抽查、现场检查",
            "执业许可证、卫生技术人员资质、药品价格和收费标准公示",
        ),
    ),
    "西岗区教育局": (
        (
            "中小学收费检查",
            "义务教育阶段学校",
            "《中华人民共和国教育法》；教育收费公示制度",
            "双随机抽查、查阅票据",
            "收费公示、收费项目标准审批、统一收费一人一票执行情况",
        ),
        (
            "民办教育机构办学检查",
            "民办培训学校",
            "《中华人民共和国民办教育促进法》",
            "双随机抽查、现场检查",
            "办学许可证、招生简章和广告备案、收费公示",
        ),
    ),
}


def _enforcement(entity: AdministrativeEntity) -> None:
    for number, (power, category, duties, basis) in enumerate(POWERS.get(entity.name, ()), 1):
        EnforcementPower.objects.get_or_create(
            entity=entity,
            name=power,
            defaults={
                "category": category,
                "duties": duties,
                "authority": f"在西岗区行政区域内由{entity.short_name}依法实施。",
                "legal_basis": basis,
                "procedure": PROCEDURE,
                "remedies": REMEDIES,
                "sort_order": number,
            },
        )
    for name, certificate_no, category in OFFICERS.get(entity.name, ()):
        EnforcementOfficer.objects.get_or_create(
            certificate_no=certificate_no,
            defaults={"entity": entity, "name": name, "category": category, "active": True},
        )
    for number, (item, sub_item, basis, method, content) in enumerate(
        INSPECTIONS.get(entity.name, ()), 1
    ):
        RandomInspectionItem.objects.get_or_create(
            entity=entity,
            sequence=number,
            defaults={
                "item": item,
                "sub_item": sub_item,
                "inspecting_body": entity.name,
                "basis": basis,
                "method": method,
                "content": content,
                "remarks": "抽查比例不低于5%",
            },
        )


def load(*, out: TextIO) -> None:
    """Load the demo entities, guides and enforcement lists; a second run adds nothing."""
    auditor = _official("xg_shenhe", "周建平", "行政主体审核确认", AUDIT_PERMS)
    for seed in ENTITIES:
        entity = _entity(seed)
        _advance(entity, seed, auditor)
        if (
            entity.status == S.ANNOUNCED
            and not DisclosureGuide.objects.filter(entity=entity).exists()
        ):
            guide = guide_draft_create(entity=entity, by=auditor, body=_guide_body(entity))
            guide_publish(guide=guide, by=auditor)
        _enforcement(entity)
    out.write(
        f"Entities: {AdministrativeEntity.objects.count()} (announced: "
        f"{AdministrativeEntity.objects.announced().count()}).\n"
    )
    load_normative_filings(out)


@dataclass(frozen=True)
class NormativeSeed:
    """One of the 10 normative documents the 法制办 reviewed and filed in 2006's first half."""

    title: str
    document_no: str
    publisher: str
    issued: datetime.date
    filing_no: str
    returned_once: str = ""


NORMATIVE_DOCUMENTS: tuple[NormativeSeed, ...] = (
    NormativeSeed(
        "关于统一规范性文件备案格式的通知",
        "西政法发〔2006〕1号",
        "西岗区人民政府法制办公室",
        datetime.date(2006, 1, 16),
        "西法备〔2006〕1号",
    ),
    NormativeSeed(
        "西岗区行政许可服务事项承诺办结时限管理办法",
        "西政发〔2006〕5号",
        ROOT,
        datetime.date(2006, 2, 20),
        "西法备〔2006〕2号",
    ),
    NormativeSeed(
        "西岗区审批联席会议制度",
        "西政办发〔2006〕8号",
        "西岗区人民政府办公室",
        datetime.date(2006, 3, 1),
        "西法备〔2006〕3号",
        returned_once="“视为同意”的适用情形表述不明确，请补充无正当理由的认定标准后重新报送。",
    ),
    NormativeSeed(
        "西岗区效能投诉受理和处理办法",
        "西政发〔2006〕7号",
        ROOT,
        datetime.date(2006, 3, 15),
        "西法备〔2006〕4号",
    ),
    NormativeSeed(
        "西岗区特邀监督员管理办法",
        "西监发〔2006〕2号",
        "西岗区监察局",
        datetime.date(2006, 3, 28),
        "西法备〔2006〕5号",
    ),
    NormativeSeed(
        "西岗区中小学收费管理若干规定",
        "西教发〔2006〕3号",
        "西岗区教育局",
        datetime.date(2006, 4, 10),
        "西法备〔2006〕6号",
    ),
    NormativeSeed(
        "西岗区中小学学籍管理和转学办法",
        "西教发〔2006〕6号",
        "西岗区教育局",
        datetime.date(2006, 4, 25),
        "西法备〔2006〕7号",
    ),
    NormativeSeed(
        "西岗区社区卫生服务中心服务承诺和收费公示办法",
        "西卫发〔2006〕4号",
        "西岗区卫生局",
        datetime.date(2006, 5, 12),
        "西法备〔2006〕8号",
    ),
    NormativeSeed(
        "西岗区年检项目管理办法",
        "西政办发〔2006〕12号",
        "西岗区人民政府办公室",
        datetime.date(2006, 5, 30),
        "西法备〔2006〕9号",
    ),
    NormativeSeed(
        "西岗区民营中小企业绿色通道和全程代理服务实施办法",
        "西政发〔2006〕9号",
        ROOT,
        datetime.date(2006, 6, 16),
        "西法备〔2006〕10号",
    ),
)


def load_normative_filings(out: TextIO) -> None:
    """File the 10 normative documents, for each whose catalogue entry exists; idempotent.

    The catalogue demo creates the entries (genre `normative_document`, the titles, document
    numbers and publishers of `NORMATIVE_DOCUMENTS`) and calls this afterwards; this module's
    `load` calls it too, which files whatever already exists. Each filing goes through the real
    workflow: submitted (within 30 days of issue), legality review by the 法制办, filed; one is
    returned for correction first, as happens.
    """
    reviewer = _official("xg_fazhiban", "孙丽", "规范性文件审核备案", FILING_PERMS)
    legal_office = AdministrativeEntity.objects.filter(name="西岗区人民政府法制办公室").first()
    filed = missing = 0
    for seed in NORMATIVE_DOCUMENTS:
        entry = (
            CatalogueEntry.objects.filter(
                title=seed.title, genre=CatalogueEntry.Genre.NORMATIVE_DOCUMENT
            )
            .order_by("pk")
            .first()
        )
        if entry is None:
            missing += 1
            continue
        if NormativeFiling.objects.filter(entry=entry).exists():
            filed += 1
            continue
        submitted = seed.issued + datetime.timedelta(days=7)
        filing = normative_filing_submit(
            entry=entry,
            by=reviewer,
            filing_no=seed.filing_no,
            submitted_date=submitted,
            issue_date=seed.issued,
            note="按统一备案格式报送",
        )
        normative_filing_start_review(
            filing=filing, by=reviewer, reviewing_body=legal_office, note="进行合法性审查"
        )
        if seed.returned_once:
            normative_filing_return(filing=filing, by=reviewer, note=seed.returned_once)
            submitted += datetime.timedelta(days=5)
            normative_filing_submit(
                entry=entry,
                by=reviewer,
                submitted_date=submitted,
                note="已按审查意见修改后重新报送",
            )
            normative_filing_start_review(filing=filing, by=reviewer, note="复审")
        normative_filing_file(
            filing=filing,
            by=reviewer,
            filed_date=submitted + datetime.timedelta(days=10),
            note="经审查合法，准予备案",
        )
        filed += 1
    waiting = f"; {missing} waiting for their catalogue entries" if missing else ""
    out.write(f"Normative filings: {filed} filed{waiting}.\n")
