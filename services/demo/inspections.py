"""Demo: the 2006 review of annual inspections — 14 units, 24 items, 24 kept, none added."""

from typing import TextIO

from django.db import transaction

from disclosure.models import AdministrativeEntity
from services.models import AnnualInspectionItem

YEAR = 2006
KEPT = AnnualInspectionItem.Status.KEPT

# (unit, item, legal basis, fee or "" for free, fee basis)
ITEMS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "大连市工商行政管理局西岗分局",
        "企业年度检验",
        "《中华人民共和国企业法人登记管理条例》；《企业年度检验办法》",
        "",
        "",
    ),
    ("大连市工商行政管理局西岗分局", "个体工商户验照", "《城乡个体工商户管理暂行条例》", "", ""),
    ("大连市工商行政管理局西岗分局", "广告经营单位年度检查", "《广告管理条例》", "", ""),
    ("西岗区民政局", "社会团体年度检查", "《社会团体登记管理条例》", "", ""),
    ("西岗区民政局", "民办非企业单位年度检查", "《民办非企业单位登记管理暂行条例》", "", ""),
    ("西岗区劳动局", "用人单位劳动保障年度书面审查", "《劳动保障监察条例》", "", ""),
    ("西岗区劳动局", "职业介绍机构年度审验", "《职业介绍规定》", "", ""),
    ("西岗区卫生局", "医疗机构执业许可证校验", "《医疗机构管理条例》", "", ""),
    (
        "西岗区卫生局",
        "母婴保健技术服务执业许可证校验",
        "《中华人民共和国母婴保健法实施办法》",
        "",
        "",
    ),
    ("西岗区卫生监督所", "公共场所卫生许可证复核", "《公共场所卫生管理条例》", "", ""),
    ("西岗区卫生监督所", "食品卫生许可证复核", "《中华人民共和国食品卫生法》", "", ""),
    ("西岗区教育局", "民办学校年度检查", "《中华人民共和国民办教育促进法》", "", ""),
    ("西岗区教育局", "民办幼儿园年度检查", "《幼儿园管理条例》", "", ""),
    (
        "西岗区文化体育局",
        "互联网上网服务营业场所年度审核",
        "《互联网上网服务营业场所管理条例》",
        "",
        "",
    ),
    ("西岗区文化体育局", "娱乐场所年度审核", "《娱乐场所管理条例》", "", ""),
    ("大连市公安局西岗分局", "旅馆业特种行业许可证年审", "《旅馆业治安管理办法》", "", ""),
    ("大连市公安局西岗分局", "印章刻制业特种行业许可证年审", "《印铸刻字业暂行管理规则》", "", ""),
    ("大连市质量技术监督局西岗分局", "组织机构代码证年检", "《组织机构代码管理办法》", "", ""),
    (
        "大连市质量技术监督局西岗分局",
        "强制检定计量器具周期检定",
        "《中华人民共和国计量法》",
        "",
        "",
    ),
    ("西岗区环境保护局", "排污许可证年度审核", "《中华人民共和国水污染防治法实施细则》", "", ""),
    ("西岗区建设局", "建筑业企业资质年度检查", "《建筑业企业资质管理规定》", "", ""),
    ("西岗区统计局", "统计登记证年检", "《中华人民共和国统计法实施细则》", "", ""),
    ("西岗区财政局", "会计从业资格证书年检", "《会计从业资格管理办法》", "", ""),
    ("西岗区物价局", "收费许可证年度审验", "《收费许可证管理办法》", "", ""),
)


def load(*, out: TextIO) -> None:
    """Create the 2006 review's 24 items (all kept); a second run adds nothing."""
    entities = dict(AdministrativeEntity.objects.values_list("name", "pk"))
    created = 0
    with transaction.atomic():
        for order, (unit, name, basis, fee, fee_basis) in enumerate(ITEMS, start=1):
            _row, new = AnnualInspectionItem.objects.get_or_create(
                year=YEAR,
                unit=unit,
                name=name,
                defaults={
                    "entity_id": entities.get(unit),
                    "legal_basis": basis,
                    "is_free": not fee,
                    "fee": fee,
                    "fee_basis": fee_basis,
                    "status": KEPT,
                    "sort_order": order,
                    "note": "经清理保留；年检程序已简化，年检收费纳入监督。",
                },
            )
            created += new
    units = len({unit for unit, *_rest in ITEMS})
    out.write(
        f"services: annual inspections {YEAR}: {units} units, {len(ITEMS)} items ({created} new)\n"
    )
