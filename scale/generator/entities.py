"""Generated administrative entities: district bureaus with valid credit codes, mostly announced."""

import datetime
import random

from disclosure.models import AdministrativeEntity
from disclosure.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from scale.generator.writer import BulkWriter, next_id

DISTRICTS = (
    "西岗区 中山区 沙河口区 甘井子区 旅顺口区 金州区 普兰店区 长海县 瓦房店市 庄河市 "
    "和平区 河西区 南开区 河北区 红桥区 东丽区 西青区 津南区 北辰区 武清区 宝坻区 滨海新区 "
    "铁西区 皇姑区 大东区 浑南区 于洪区 苏家屯区 沈北新区 辽中区"
).split()
BUREAUS = (
    "人民政府 人民政府办公室 发展和改革局 教育局 科学技术局 工业和信息化局 公安分局 民政局 "
    "司法局 财政局 人力资源和社会保障局 自然资源分局 生态环境分局 住房和城乡建设局 交通运输局 "
    "水务局 农业农村局 商务局 文化和旅游局 卫生健康委员会 退役军人事务局 应急管理局 审计局 "
    "市场监督管理局 统计局 医疗保障局 城市管理综合执法局 信访局 行政审批局 营商环境建设局 "
    "政务服务中心 税务局 消防救援大队 人民防空办公室 档案馆 地方志办公室 机关事务服务中心 "
    "投资促进局 国有资产监督管理局 体育局"
).split()
STREETS = "街道办事处"
KINDS = (
    (AdministrativeEntity.Kind.ADMINISTRATIVE_ORGAN, 0.8),
    (AdministrativeEntity.Kind.AUTHORISED_ORGANISATION, 0.1),
    (AdministrativeEntity.Kind.ENTRUSTED_ORGANISATION, 0.05),
    (AdministrativeEntity.Kind.DISPATCHED_AGENCY, 0.05),
)
AREAS = ("卫生", "教育", "市场监管", "城市管理", "生态环境", "交通运输", "文化旅游", "应急管理")


def credit_code(rng: random.Random, taken: set[str]) -> str:
    """A unified social credit code of a government organ (11…) with a valid check character."""
    while True:
        region = f"21{rng.randrange(100):02d}{rng.randrange(100):02d}"
        body = "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
        first17 = f"11{region}{body}"
        code = first17 + credit_code_check_character(first17)
        if code not in taken:
            taken.add(code)
            return code


def names(count: int, taken: set[str]) -> list[tuple[str, str]]:
    """`count` unused (name, short name) pairs: each district's bureaus, then its streets."""
    out: list[tuple[str, str]] = []
    for district in DISTRICTS:
        for bureau in BUREAUS:
            out.append((f"{district}{bureau}", bureau if bureau != "人民政府" else district))
    serial = 0
    while len(out) < count + len(taken):
        serial += 1
        district = DISTRICTS[serial % len(DISTRICTS)]
        out.append((f"{district}第{serial}{STREETS}", f"第{serial}{STREETS}"))
    return [pair for pair in out if pair[0] not in taken][:count]


def generate(count: int, rng: random.Random, progress) -> list[tuple[int, str, str]]:  # noqa: ANN001
    """Insert `count` entities; returns (id, credit code, status) of each, in id order.

    About 94 % are announced (公示, with an announcement period), the rest confirmed, under
    review or revoked, as on a portal that has run for years.
    """
    existing = AdministrativeEntity.objects.values_list("name", "credit_code")
    taken_names = {name for name, _ in existing}
    taken_codes = {code for _, code in existing}
    writer = BulkWriter(AdministrativeEntity, batch=2000)
    first = next_id(AdministrativeEntity)
    out = []
    kinds, kind_weights = zip(*KINDS, strict=True)
    for offset, (name, short_name) in enumerate(names(count, taken_names)):
        entity_id = first + offset
        roll = rng.random()
        status = (
            "announced"
            if roll < 0.94
            else "confirmed"
            if roll < 0.96
            else "reviewed"
            if roll < 0.98
            else "revoked"
        )
        start = datetime.date(2014, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        announced = status in ("announced", "revoked")
        code = credit_code(rng, taken_codes)
        enforcement = rng.random() < 0.4
        writer.row(
            id=entity_id,
            name=name,
            short_name=short_name[:60],
            kind=rng.choices(kinds, kind_weights)[0],
            credit_code=code,
            functions=f"负责{name}职责范围内的政务公开、行政许可和公共服务工作。",
            head=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice("建国志海波宁伟芳敏静"),
            address=f"{name[:3]}{rng.randrange(1, 300)}号",
            office_hours="周一至周五 8:30-11:30，13:00-17:00",
            phone=f"0411-8{rng.randrange(1000000, 9999999)}",
            disclosure_office=f"{short_name}办公室"[:200],
            is_enforcement_body=enforcement,
            enforcement_area=rng.choice(AREAS) if enforcement else "",
            status=status,
            announcement_start=start if announced else None,
            announcement_end=start + datetime.timedelta(days=14) if announced else None,
            sort_order=offset,
        )
        out.append((entity_id, code, status))
        progress(1)
    writer.finish()
    return out
