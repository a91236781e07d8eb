"""Generated information requests (依申请公开): mostly replied and closed."""

import datetime
import random
from collections.abc import Callable

from disclosure.models import InformationRequest
from scale.generator import people
from scale.generator.catalogue import END, _dates
from scale.generator.vocabulary import TextPool
from scale.generator.writer import BulkWriter, next_id
from workdays.calendar import add_workdays

OUTCOMES = ("disclosed", "disclosed", "disclosed", "partly_disclosed", "not_held")
TZ = datetime.timezone(datetime.timedelta(hours=8))


def generate(
    count: int,
    *,
    entities: list[int],
    password_hash: str,
    pool: TextPool,
    rng: random.Random,
    progress: Callable[[int], None],
) -> dict[str, int]:
    """Insert `count` requests to these departments (ids)."""
    if not entities or not count:
        return {}
    writer = BulkWriter(InformationRequest, batch=10000)
    first = next_id(InformationRequest)
    numbers = people.TrackingNumbers(
        rng,
        set(
            InformationRequest.objects.exclude(tracking_no=None).values_list(
                "tracking_no", flat=True
            )
        ),
    )
    recent = END - datetime.timedelta(days=30)
    statuses: dict[str, int] = {}
    for offset, submitted in enumerate(_dates(rng, count)):
        title = pool.titles[rng.randrange(len(pool.titles))].text
        row = {
            "id": first + offset,
            "tracking_no": numbers.new("YSQ", submitted),
            "tracking_password_hash": password_hash,
            "entity_id": entities[rng.randrange(len(entities))],
            "applicant_type": "natural_person",
            "applicant_name": people.person(rng),
            "id_type": "resident_id",
            "id_number": people.resident_id(rng),
            "contact_phone": people.mobile(rng),
            "info_title": title[:300],
            "delivery_form": rng.choice(("paper", "email", "electronic")),
            "channel": rng.choice(("online", "online", "in_person", "registered_post")),
            "submitted_at": datetime.datetime.combine(submitted, datetime.time(10), tzinfo=TZ),
            "received_date": submitted,
            "clock_start": submitted,
            "due_date": add_workdays(submitted, 20),
        }
        if submitted >= recent:
            status = rng.choice(("received", "in_review", "in_review"))
        else:
            status = "closed"
            replied = add_workdays(submitted, rng.randint(3, 20))
            row.update(
                outcome=rng.choice(OUTCOMES),
                reply_date=replied,
                reply_letter="您申请公开的政府信息，现答复如下。",
                concluded_date=replied,
                closed_date=replied,
            )
        row["status"] = status
        statuses[status] = statuses.get(status, 0) + 1
        writer.row(**row)
        progress(1)
    writer.finish()
    return statuses
