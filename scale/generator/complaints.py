"""Generated efficiency complaints: ten years of them, most closed, the recent ones open."""

import datetime
import random
from collections.abc import Callable

from complaints.models import Complaint
from complaints.models.complaints import DEFAULT_STAGE_WORKDAYS
from scale.generator import people
from scale.generator.catalogue import END, _dates
from scale.generator.vocabulary import TextPool
from scale.generator.writer import BulkWriter, next_id
from workdays.calendar import add_workdays

CATEGORIES = [c for c, _ in Complaint.Category.choices]
CATEGORY_WEIGHTS = [5, 3, 2, 1, 1, 4, 2, 1][: len(CATEGORIES)]
REPLY = "经调查核实，已责成相关科室整改，并向您说明情况。感谢您对机关效能建设的监督。"
OPEN = ("submitted", "registered", "assigned", "investigating")
ANONYMISE_BEFORE = END - datetime.timedelta(days=3 * 365)


def generate(
    count: int,
    *,
    entities: list[int],
    password_hash: str,
    pool: TextPool,
    rng: random.Random,
    progress: Callable[[int], None],
) -> dict[str, int]:
    """Insert `count` complaints about these departments (ids)."""
    if not entities or not count:
        return {}
    writer = BulkWriter(Complaint, batch=10000)
    first = next_id(Complaint)
    numbers = people.TrackingNumbers(
        rng, set(Complaint.objects.exclude(tracking_no=None).values_list("tracking_no", flat=True))
    )
    recent = END - datetime.timedelta(days=40)
    statuses: dict[str, int] = {}
    for offset, received in enumerate(_dates(rng, count)):
        anonymous = rng.random() < 0.2
        description, _pieces = pool.sentence(rng, rng.randint(3, 10))
        roll = rng.random()
        if received >= recent:
            status = OPEN[int(roll * len(OPEN))]
        else:
            status = "closed" if roll < 0.88 else "declined" if roll < 0.95 else "withdrawn"
        row = {
            "id": first + offset,
            "tracking_no": numbers.new("TS", received),
            "tracking_password_hash": password_hash,
            "entity_id": entities[rng.randrange(len(entities))],
            "category": rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0],
            "description": description,
            "occurred_on": received - datetime.timedelta(days=rng.randrange(10)),
            "anonymous": anonymous,
            "channel": "web" if rng.random() < 0.8 else "open311",
            "status": status,
            "received_on": received,
        }
        if not anonymous:
            row["complainant_name"] = people.person(rng)
            row["complainant_mobile"] = people.mobile(rng)
        stage = status if status in DEFAULT_STAGE_WORKDAYS else "concluded"
        started = received
        if status not in ("submitted", "declined", "withdrawn"):
            row["registered_on"] = add_workdays(received, 1)
            started = row["registered_on"]
        row["stage_started_on"] = started
        row["stage_workdays"] = DEFAULT_STAGE_WORKDAYS[stage]
        if status in OPEN:
            row["stage_due_on"] = add_workdays(started, DEFAULT_STAGE_WORKDAYS[stage])
        if status == "declined":
            row["decline_reason"] = "not_efficiency"
        if status == "withdrawn":
            row["withdrawn_on"] = add_workdays(received, 2)
            row["withdraw_reason"] = "问题已解决。"
        if status == "closed":
            concluded = add_workdays(received, rng.randint(5, 25))
            row.update(
                concluded_on=concluded,
                finding=rng.choice(("substantiated", "partly", "unsubstantiated")),
                conclusion="投诉事项经调查部分属实，已督促整改。",
                reply=REPLY,
                replied_on=add_workdays(concluded, 2),
                closed_on=add_workdays(concluded, 12),
                rating=rng.choice((5, 5, 4, 4, 3, 2, None)),
                measures=["criticism"] if rng.random() < 0.3 else [],
            )
            if received < ANONYMISE_BEFORE and not anonymous:
                row.update(complainant_name="", complainant_mobile="")
                row["anonymised_on"] = row["closed_on"] + datetime.timedelta(days=3 * 365)
        statuses[status] = statuses.get(status, 0) + 1
        writer.row(**row)
        progress(1)
    writer.finish()
    return statuses
