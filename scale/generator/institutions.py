"""Generated public institutions (schools, hospitals …) and their published fee tables."""

import datetime
import random
from collections.abc import Callable
from decimal import Decimal

from disclosure.demo.institutions import SECTORS
from disclosure.models import FeeItem, PublicInstitution, Sector
from scale.generator.writer import BulkWriter, next_id

FEES = {
    "education": (
        ("住宿费", "boarding", "per_term"),
        ("伙食费", "meals", "per_month"),
        ("教材费", "books", "per_term"),
        ("保育教育费", "tuition", "per_month"),
    ),
    "health": (
        ("挂号费", "registration", "per_visit"),
        ("普通床位费", "bed", "per_day"),
        ("血常规检查", "examination", "per_item"),
        ("疫苗接种费", "vaccination", "per_dose"),
    ),
}
STREETS = "长春路 新开路 黄河路 友好路 人民路 中山路 五四路 胜利路 解放路 民主路".split()


def generate(
    count: int,
    *,
    departments: list[int],
    rng: random.Random,
    progress: Callable[[int], None],
) -> int:
    """Insert `count` institutions under these supervising departments, 2-4 fees each."""
    if not departments or not count:
        return 0
    sectors = []
    for order, (code, name, field) in enumerate(SECTORS, start=1):
        sector, _created = Sector.objects.get_or_create(
            code=code, defaults={"name": name, "field": field, "sort_order": order}
        )
        sectors.append(sector)
    institutions = BulkWriter(PublicInstitution, batch=5000)
    fees = BulkWriter(FeeItem, batch=10000)
    first = next_id(PublicInstitution)
    taken = set(PublicInstitution.objects.values_list("name", flat=True))
    made = 0
    serial = 0
    while made < count:
        serial += 1
        sector = sectors[rng.randrange(len(sectors))]
        name = f"大连市第{serial}{sector.name}"
        if name in taken:
            continue
        institution_id = first + made
        street = rng.choice(STREETS)
        institutions.row(
            id=institution_id,
            name=name,
            sector_id=sector.pk,
            supervising_department_id=departments[rng.randrange(len(departments))],
            address=f"{street}{rng.randrange(1, 400)}号",
            hours="周一至周五 8:00-17:00",
            phone=f"0411-8{rng.randrange(10**6, 10**7)}",
            supervision_phone="0411-12345",
            is_active=rng.random() < 0.97,
        )
        field = "education" if sector.field == "education" else "health"
        for fee_name, category, unit in rng.sample(FEES[field], rng.randint(2, 4)):
            low = Decimal(rng.randrange(5, 3000))
            fees.row(
                institution_id=institution_id,
                name=fee_name,
                category=category,
                amount_min=low,
                amount_max=low * 2 if rng.random() < 0.3 else None,
                unit=unit,
                legal_basis="辽价发〔2015〕30号",
                valid_from=datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(1500)),
                status="published",
            )
        made += 1
        progress(1)
    institutions.finish()
    fees.finish()
    return made
