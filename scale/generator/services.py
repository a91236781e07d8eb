"""Generated service items and cases: ten years of applications, nearly all completed."""

import datetime
import random
from collections.abc import Callable

from scale.generator import people
from scale.generator.catalogue import END, _dates, _zipf_cumulative
from scale.generator.writer import BulkWriter, next_id
from services.models import ServiceCase, ServiceItem
from workdays.calendar import add_workdays

ITEM_NAMES = (
    "公共场所卫生许可 食品经营许可 建设工程规划许可 排水许可 户外广告设置审批 "
    "医疗机构执业登记 民办学校办学许可 道路挖掘审批 城市绿地占用审批 临时占用道路审批 "
    "特种设备使用登记 危险化学品经营许可 人力资源服务许可 劳务派遣经营许可 就业登记 "
    "社会保险登记 最低生活保障审批 临时救助审批 残疾人证核发 养老服务补贴发放 "
    "建筑工程施工许可 商品房预售许可 房屋租赁登记备案 出版物零售许可 娱乐场所经营许可"
).split()
KINDS = [k for k, _ in ServiceItem.Kind.choices]
APPLICANTS = ("person", "enterprise", "sme", "organisation")


def generate_items(
    entities: list[int], rng: random.Random, progress: Callable[[int], None]
) -> list[tuple[int, int, int]]:
    """A few items per department; returns (id, entity id, committed days) of each."""
    writer = BulkWriter(ServiceItem, batch=2000)
    first = next_id(ServiceItem)
    taken = set(ServiceItem.objects.values_list("implementation_code", flat=True))
    out = []
    offset = 0
    for entity_id in entities:
        for _ in range(rng.randint(2, 6)):
            item_id = first + offset
            offset += 1
            code = f"S{entity_id:06d}{item_id:09d}"
            if code in taken:
                continue
            statutory = rng.choice((5, 10, 15, 20, 20, 30))
            committed = max(1, statutory // rng.choice((1, 2, 3, 4)))
            free = rng.random() < 0.8
            name = rng.choice(ITEM_NAMES)
            writer.row(
                id=item_id,
                basic_code=f"{rng.choice('XQ')}{rng.randrange(10**6):06d}",
                implementation_code=code,
                name=name,
                kind=rng.choice(KINDS),
                entity_id=entity_id,
                legal_basis="《中华人民共和国行政许可法》",
                conditions=f"申请{name}应当具备法定条件。",
                steps="申请、受理、审查、决定、送达。",
                statutory_days=statutory,
                committed_days=committed,
                is_free=free,
                fee_standard="" if free else "按物价部门核定标准收取",
                fee_basis="" if free else "辽价发〔2005〕12号",
                place="区行政服务中心",
                hours="周一至周五 8:30-17:00",
                consultation_phone=f"0411-8{rng.randrange(10**6, 10**7)}",
                deemed_approval=rng.random() < 0.7,
            )
            out.append((item_id, entity_id, committed))
            progress(1)
    writer.finish()
    return out


def generate_cases(
    count: int,
    *,
    items: list[tuple[int, int, int]],
    password_hash: str,
    prefix: str,
    rng: random.Random,
    progress: Callable[[int], None],
) -> dict[str, int]:
    """Insert `count` cases over ten years: old ones completed (97 %), withdrawn or refused;
    those of the last month still received, in correction or accepted with a running clock."""
    if not items or not count:
        return {}
    writer = BulkWriter(ServiceCase, batch=10000)
    first = next_id(ServiceCase)
    order = list(items)
    rng.shuffle(order)
    cumulative = _zipf_cumulative(len(order), 0.8)
    recent = END - datetime.timedelta(days=30)
    statuses: dict[str, int] = {}
    for offset, received in enumerate(_dates(rng, count)):
        case_id = first + offset
        item_id, entity_id, committed = rng.choices(order, cum_weights=cumulative)[0]
        case_no = f"{prefix}{received:%Y%m%d}{case_id:08d}"
        row = {
            "id": case_id,
            "case_no": case_no,
            "tracking_no": case_no,
            "tracking_password_hash": password_hash,
            "item_id": item_id,
            "entity_id": entity_id,
            "applicant_type": rng.choice(APPLICANTS),
            "applicant_name": people.person(rng) if rng.random() < 0.55 else people.firm(rng),
            "applicant_contact": people.mobile(rng),
            "channel": "online" if rng.random() < 0.4 else "window",
            "committed_days": committed,
            "received_on": received,
        }
        roll = rng.random()
        if received >= recent:
            status = (
                "received"
                if roll < 0.1
                else "correction_requested"
                if roll < 0.15
                else "accepted"
                if roll < 0.8
                else "completed"
            )
        else:
            status = "completed" if roll < 0.98 else "withdrawn"
        if status == "correction_requested":
            row["correction_requested_on"] = received
            row["correction_items"] = "缺少营业执照复印件。"
        if status in ("accepted", "completed"):
            row["accepted_on"] = received
            row["due_date"] = add_workdays(received, committed)
        if status == "completed":
            done = add_workdays(received, rng.randint(0, committed))
            row["completed_on"] = done
            refused = rng.random() < 0.004
            row["result"] = "refused" if refused else "approved"
            row["result_reason"] = "申请材料不符合法定条件。" if refused else ""
        if status == "withdrawn":
            row["withdrawn_on"] = received
        row["status"] = status
        statuses[status] = statuses.get(status, 0) + 1
        writer.row(**row)
        progress(1)
    writer.finish()
    return statuses
