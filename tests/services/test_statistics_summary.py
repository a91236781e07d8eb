"""The statistics' daily summary: kept by the actions, equal to the figures counted straight
from the cases, rebuilt identically, and never hidden behind a stale cache."""

import datetime
import io
import random
import re

import pytest
from django.core.management import call_command

from disclosure.exceptions import TransitionNotAllowed
from services.actions.cases import (
    case_accept,
    case_complete,
    case_joint_meeting_complete,
    case_receive,
    case_request_correction,
    case_resume,
    case_suspend,
    case_withdraw,
    cases_sweep,
)
from services.actions.ratings import rating_appeal_decide, rating_appeal_submit, rating_submit
from services.actions.summaries import service_summaries_rebuild
from services.models import (
    Rating,
    RatingAppeal,
    ServiceCase,
    ServiceDailySummary,
    ServiceDurationCount,
)
from services.selectors.statistics import (
    Period,
    period_half,
    period_month,
    service_figures,
    service_figures_by_entity,
    service_figures_by_item,
    service_figures_by_month,
)
from tests.factories.disclosure import AdministrativeEntityFactory, UserFactory
from tests.factories.services import ServiceItemFactory
from workdays.calendar import add_workdays, is_workday

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
D = datetime.date
S = ServiceCase.Status


# --- The reference: figures counted case by case, without the summary ---------------------------


def _elapsed(case) -> int:
    """Working days after acceptance up to completion that no closed pause covers."""
    pauses = [(p.first, p.last) for p in case.pauses.all() if p.last is not None]
    day, n = case.accepted_on, 0
    while day < case.completed_on:
        day += datetime.timedelta(days=1)
        if is_workday(day) and not any(first <= day <= last for first, last in pauses):
            n += 1
    return n


def _direct(period: Period, *, entity_id=None, item_id=None) -> dict:
    def inside(day) -> bool:
        return day is not None and period.first <= day <= period.last

    cases = [
        c
        for c in ServiceCase.objects.prefetch_related("pauses")
        if (entity_id is None or c.entity_id == entity_id)
        and (item_id is None or c.item_id == item_id)
    ]
    histogram: dict[int, int] = {}
    for c in cases:
        if inside(c.completed_on) and c.accepted_on is not None:
            days = _elapsed(c)
            histogram[days] = histogram.get(days, 0) + 1
    ratings: dict[int, int] = {}
    for r in Rating.objects.select_related("case"):
        if (
            r.kind == "initial"
            and r.status != "excluded"
            and inside(r.rated_on)
            and (entity_id is None or r.case.entity_id == entity_id)
            and (item_id is None or r.case.item_id == item_id)
        ):
            ratings[r.level] = ratings.get(r.level, 0) + 1
    return {
        "accepted": sum(inside(c.accepted_on) for c in cases),
        "completed": sum(inside(c.completed_on) for c in cases),
        "on_time": sum(
            inside(c.completed_on)
            and c.due_date is not None
            and c.completed_on <= c.due_date
            and c.deemed_approved_on is None
            for c in cases
        ),
        "deemed": sum(inside(c.deemed_approved_on) for c in cases),
        "histogram": histogram,
        "ratings": ratings,
    }


def _from_summary(figures) -> dict:
    return {
        "accepted": figures.accepted,
        "completed": figures.completed,
        "on_time": figures.on_time,
        "deemed": figures.deemed_approvals,
        "histogram": figures.workdays_histogram,
        "ratings": figures.rating_counts,
    }


# --- A random district, moved only through the actions ------------------------------------------


def _random_district(boss, seed: int) -> list:
    rng = random.Random(seed)  # noqa: S311 - test data
    entities = [AdministrativeEntityFactory() for _ in range(2)]
    items = [
        ServiceItemFactory(entity=entities[0], committed_days=2, deemed_approval=True),
        ServiceItemFactory(entity=entities[0], committed_days=5, deemed_approval=False),
        ServiceItemFactory(entity=entities[1], committed_days=3, deemed_approval=True),
    ]
    days = [D(2006, 3, 1) + datetime.timedelta(days=n) for n in range(75)]
    days = [d for d in days if is_workday(d)]
    for n in range(70):
        item = rng.choice(items)
        received = rng.choice(days)
        case = case_receive(
            item=item,
            applicant_type="person",
            applicant_name=f"申请人{n}",
            channel="window",
            received_on=received,
            case_no=f"RND-{seed}-{n:03d}",
            by=boss,
        ).case
        roll = rng.random()
        if roll < 0.08:
            case_withdraw(case=case, by=boss, on=received)
            continue
        accepted = received
        if roll < 0.2:
            case_request_correction(case=case, missing="身份证明", by=boss, on=received)
            if rng.random() < 0.3:
                case_withdraw(case=case, by=boss, on=add_workdays(received, 2))
                continue
            accepted = add_workdays(received, rng.randint(1, 4))
        case_accept(case=case, by=boss, on=accepted)
        last = accepted
        if rng.random() < 0.2:
            first = add_workdays(accepted, 1)
            case_suspend(case=case, reason="expert_review", by=boss, on=first)
            last = add_workdays(first, rng.randint(1, 3))
            case_resume(case=case, by=boss, on=last)
        fate = rng.random()
        if fate < 0.15:
            continue  # still open: the sweep may deem it approved
        done = add_workdays(last, rng.randint(0, 4))
        if fate < 0.2:
            case_complete(case=case, result="refused", reason="不符合条件", by=boss, on=done)
        else:
            case_complete(case=case, result="approved", by=boss, on=done)
        if rng.random() < 0.5:
            rating_submit(case=case, by=boss, level=rng.randint(1, 5), channel="window", on=done)
    cases_sweep(today=D(2006, 6, 1), by=boss)
    for case in ServiceCase.objects.filter(status=S.DEEMED_APPROVED).order_by("pk")[::2]:
        case_joint_meeting_complete(
            case=case, meeting_date=add_workdays(case.deemed_approved_on, 2), by=boss
        )
    for rating in Rating.objects.filter(level__lte=2).order_by("pk")[:4]:
        appeal = rating_appeal_submit(rating=rating, by=boss, reason="恶意差评")
        other = next(e for e in entities if e.pk != rating.case.entity_id)
        rating_appeal_decide(
            appeal=appeal, by=boss, deciding_entity=other, uphold=rating.pk % 2 == 0, note="复核"
        )
    return entities, items


PERIODS = [
    period_half(2006, 1),
    period_month(2006, 3),
    period_month(2006, 4),
    Period(D(2006, 3, 15), D(2006, 4, 10)),
]


@pytest.mark.parametrize("seed", [1, 2])
def test_summary_figures_equal_the_figures_counted_from_the_cases(boss, seed):
    entities, items = _random_district(boss, seed)
    # the district has every kind of move: deemed approvals, pauses, refusals, upheld appeals
    assert ServiceCase.objects.filter(deemed_approved_on__isnull=False).exists()
    assert ServiceCase.objects.filter(pauses__isnull=False, completed_on__isnull=False).exists()
    assert ServiceCase.objects.filter(result="refused").exists()
    assert RatingAppeal.objects.filter(status="upheld").exists()

    def check() -> None:
        for period in PERIODS:
            assert _from_summary(service_figures(period=period)) == _direct(period)
            for entity in entities:
                figures = service_figures(period=period, entity_id=entity.pk)
                assert _from_summary(figures) == _direct(period, entity_id=entity.pk)
            for item in items:
                figures = service_figures(period=period, item_id=item.pk)
                assert _from_summary(figures) == _direct(period, item_id=item.pk)
            for row in service_figures_by_item(period=period):
                assert _from_summary(row) == _direct(period, item_id=row.key)
            for row in service_figures_by_entity(period=period):
                assert _from_summary(row) == _direct(period, entity_id=row.key)
            months = service_figures_by_month(period=period)
            assert sum(m["accepted"] for m in months) == _direct(period)["accepted"]
            assert sum(m["completed"] for m in months) == _direct(period)["completed"]

    check()  # the summary as the actions kept it
    kept = _rows()
    service_summaries_rebuild()
    assert _rows() == kept  # the rebuild finds exactly what the actions wrote
    check()


def _rows() -> tuple[set, set]:
    fields = ["entity_id", "item_id", "day", "accepted", "completed", "on_time", "deemed"]
    fields += [f"rated_{level}" for level in range(1, 6)]
    days = {
        row
        for row in ServiceDailySummary.objects.values_list(*fields)
        if any(row[3:])  # rows the actions emptied again count for nothing
    }
    durations = {
        row
        for row in ServiceDurationCount.objects.values_list(
            "entity_id", "item_id", "day", "workdays", "count"
        )
        if row[-1]
    }
    return days, durations


# --- Invalidation: the page changes at once -----------------------------------------------------

URL = "/statistics/?period=half&year=2006&half=1"


def _figure(client, name: str) -> str:
    html = client.get(URL).content.decode()
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1).strip()


def test_a_completed_case_changes_the_page_at_once(client, boss):
    item = ServiceItemFactory(committed_days=2)
    cases = []
    for n in range(2):
        case = case_receive(
            item=item,
            applicant_type="person",
            applicant_name="王五",
            channel="window",
            received_on=D(2006, 3, 6),
            case_no=f"INV-{n}",
            by=boss,
        ).case
        cases.append(case_accept(case=case, by=boss, on=D(2006, 3, 6)))
    case_complete(case=cases[0], result="approved", by=boss, on=D(2006, 3, 7))
    assert (_figure(client, "accepted"), _figure(client, "completed")) == ("2", "1")
    assert _figure(client, "median") == "1"

    case_complete(case=cases[1], result="approved", by=boss, on=D(2006, 3, 10))

    assert _figure(client, "completed") == "2"  # not the cached 1
    assert _figure(client, "completion-rate") == "100.0%"
    assert _figure(client, "p90") == "4"
    assert _figure(client, "on-time-rate") == "50.0%"


def test_a_rating_and_an_upheld_appeal_change_the_page_at_once(client, boss):
    item = ServiceItemFactory()
    case = case_receive(
        item=item,
        applicant_type="person",
        applicant_name="赵六",
        channel="window",
        received_on=D(2006, 3, 6),
        case_no="INV-R",
        by=boss,
    ).case
    case_accept(case=case, by=boss, on=D(2006, 3, 6))
    case_complete(case=case, result="approved", by=boss, on=D(2006, 3, 7))

    def ones() -> str:
        html = client.get(URL).content.decode()
        return re.search(r'<th scope="row">1</th><td>(\d+)</td>', html).group(1)

    assert ones() == "0"
    rating = rating_submit(case=case, by=boss, level=1, channel="window", on=D(2006, 3, 7))
    assert ones() == "1"
    appeal = rating_appeal_submit(rating=rating, by=boss, reason="恶意差评")
    rating_appeal_decide(
        appeal=appeal,
        by=boss,
        deciding_entity=AdministrativeEntityFactory(),
        uphold=True,
        note="理由成立",
    )
    assert ones() == "0"


def test_the_sweeps_deemed_approval_shows_at_once(client, boss):
    item = ServiceItemFactory(deemed_approval=True)
    case = case_receive(
        item=item,
        applicant_type="person",
        applicant_name="钱七",
        channel="window",
        received_on=D(2006, 3, 6),
        case_no="INV-D",
        by=boss,
    ).case
    case_accept(case=case, by=boss, on=D(2006, 3, 6))
    assert _figure(client, "deemed") == "0"
    cases_sweep(today=D(2006, 3, 20))
    assert _figure(client, "deemed") == "1"


def test_a_refused_move_leaves_the_summary_alone(boss):
    item = ServiceItemFactory()
    case = case_receive(
        item=item,
        applicant_type="person",
        applicant_name="孙八",
        channel="window",
        received_on=D(2006, 3, 6),
        case_no="INV-X",
        by=boss,
    ).case
    case_accept(case=case, by=boss, on=D(2006, 3, 6))
    case_complete(case=case, result="approved", by=boss, on=D(2006, 3, 7))
    before = _rows()
    with pytest.raises(TransitionNotAllowed):
        case_complete(case=case, result="approved", by=boss, on=D(2006, 3, 8))
    assert _rows() == before
    assert service_figures(period=period_half(2006, 1)).completed == 1


# --- The command ---------------------------------------------------------------------------------


def test_rebuild_command_repairs_a_summary_written_around_the_actions(boss):
    item = ServiceItemFactory()
    case = case_receive(
        item=item,
        applicant_type="person",
        applicant_name="周九",
        channel="window",
        received_on=D(2006, 3, 6),
        case_no="CMD-1",
        by=boss,
    ).case
    case_accept(case=case, by=boss, on=D(2006, 3, 6))
    ServiceDailySummary.objects.update(accepted=99)  # damaged
    assert service_figures(period=period_half(2006, 1)).accepted == 99
    out = io.StringIO()
    call_command("rebuild_service_summaries", stdout=out)
    assert "1 day rows" in out.getvalue()
    assert service_figures(period=period_half(2006, 1)).accepted == 1
    call_command("rebuild_service_summaries", stdout=io.StringIO())  # rerun: the same
    assert service_figures(period=period_half(2006, 1)).accepted == 1


def test_an_import_is_counted_as_it_lands(boss):
    from services.actions.imports import cases_import_csv

    ServiceItemFactory(implementation_code="21020300XK00999000", committed_days=2)
    text = (
        "case_no,item_code,applicant_type,applicant_name,received_on,accepted_on,"
        "completed_on,result\n"
        "IMP-1,21020300XK00999000,person,张三,2006-03-06,2006-03-06,2006-03-08,approved\n"
        "IMP-2,21020300XK00999000,person,李四,2006-03-06,2006-03-06,,\n"
        "IMP-3,21020300XK00999000,person,王五,2006-03-06,2006-03-06,2006-03-40,approved\n"
    )
    report = cases_import_csv(text=text, by=boss)
    assert (report.created, len(report.rejected)) == (2, 1)
    figures = service_figures(period=period_half(2006, 1))
    assert (figures.accepted, figures.completed, figures.median_workdays) == (2, 1, 2)
    kept = _rows()
    service_summaries_rebuild()
    assert _rows() == kept


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_completions_of_one_item_and_day_are_all_counted():
    """Two officials completing cases of the same item on the same day at once: no lost count
    (the day's row is created once and incremented with F() by both)."""
    import threading

    from django.db import connection

    boss = UserFactory(is_superuser=True)
    item = ServiceItemFactory(committed_days=2)
    cases = []
    for n in range(20):
        case = case_receive(
            item=item,
            applicant_type="person",
            applicant_name="并发",
            channel="window",
            received_on=D(2006, 3, 6),
            case_no=f"PAR-{n}",
            by=boss,
        ).case
        cases.append(case_accept(case=case, by=boss, on=D(2006, 3, 6)))
    barrier = threading.Barrier(2)
    errors = []

    def complete(share: list) -> None:
        try:
            barrier.wait()
            for case in share:
                case_complete(case=case, result="approved", by=boss, on=D(2006, 3, 7))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete, args=(cases[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not errors
    figures = service_figures(period=period_half(2006, 1))
    assert (figures.accepted, figures.completed, figures.on_time) == (20, 20, 20)
    assert figures.workdays_histogram == {1: 20}
    assert ServiceDailySummary.objects.filter(day=D(2006, 3, 7)).count() == 1


def test_consultations_recorded_show_at_once_and_are_in_the_history(client, boss):
    from services.actions.items import consultation_count_add
    from services.models import ConsultationCount

    item = ServiceItemFactory()
    consultation_count_add(item=item, on=D(2006, 3, 6), count=3, by=boss)
    assert _figure(client, "consultations") == "3"
    consultation_count_add(item=item, on=D(2006, 3, 6), count=2, by=boss)
    assert _figure(client, "consultations") == "5"
    row = ConsultationCount.objects.get()
    assert [h.count for h in row.history.order_by("history_id")] == [3, 5]
