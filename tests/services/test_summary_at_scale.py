"""What changed for two million cases: the set-based rebuild, the one-pass report and the batched
sweep give the figures, rows, events and history the one-case paths give."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import services.actions.cases as case_actions
import services.actions.summaries as summary_actions
from services.actions.cases import case_accept, cases_sweep
from services.actions.summaries import service_summaries_rebuild
from services.models import ServiceCase, ServiceCaseEvent, ServiceDailySummary
from services.selectors.statistics import (
    latest_completion_day,
    period_half,
    period_month,
    period_year,
    service_figures,
    service_figures_by_entity,
    service_figures_by_item,
    service_figures_by_month,
    statistics_report_uncached,
)
from tests.factories.disclosure import UserFactory
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory
from tests.services.test_statistics_summary import _random_district, _rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_calendar")]
D = datetime.date
S = ServiceCase.Status


def _figures(figures) -> tuple:
    return (figures.key, figures.name, figures.committed_days, figures.as_dict())


def test_the_report_counted_in_one_pass_equals_the_figures_counted_one_grouping_at_a_time(boss):
    entities, _items = _random_district(boss, 3)
    for period in (period_half(2006, 1), period_month(2006, 3), period_year(2005)):
        for entity_id in (None, entities[0].pk):
            report = statistics_report_uncached(period=period, entity_id=entity_id)
            totals = service_figures(period=period, entity_id=entity_id)
            assert report["totals"].as_dict() == totals.as_dict()
            assert report["totals"].workdays_histogram == totals.workdays_histogram
            by_entity = [] if entity_id else service_figures_by_entity(period=period)
            assert [_figures(f) for f in report["by_entity"]] == [_figures(f) for f in by_entity]
            by_item = service_figures_by_item(period=period, entity_id=entity_id)
            assert [_figures(f) for f in report["by_item"]] == [_figures(f) for f in by_item]
            by_month = service_figures_by_month(period=period, entity_id=entity_id)
            assert report["by_month"] == by_month


def test_the_items_record_ends_on_the_latest_completion(boss):
    _random_district(boss, 1)
    latest = ServiceCase.objects.exclude(completed_on=None).latest("completed_on").completed_on
    assert latest_completion_day() == latest


def test_the_rebuild_without_indexes_writes_what_the_actions_kept(boss, monkeypatch):
    """PostgreSQL's bulk path (indexes and foreign keys dropped, then built again)."""
    _random_district(boss, 2)
    kept = _rows()
    monkeypatch.setattr(summary_actions, "BULK_REBUILD_CASES", 1)
    service_summaries_rebuild()
    assert _rows() == kept
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname FROM pg_indexes WHERE tablename = %s",
                [ServiceDailySummary._meta.db_table],
            )
            names = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT count(*) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype = 'f'",
                [ServiceDailySummary._meta.db_table],
            )
            foreign_keys = cursor.fetchone()[0]
        assert "servicedailysummary_day" in names
        assert foreign_keys == 2


def _accepted(on: datetime.date, clerk, **item_kwargs) -> ServiceCase:
    case = ServiceCaseFactory(received_on=on, item=ServiceItemFactory(**item_kwargs))
    return case_accept(case=case, by=clerk, on=on)


def test_the_sweep_in_small_batches_changes_each_case_once_with_its_event_and_history(
    monkeypatch,
):
    # given: batches of two, and seven cases for the sweep
    monkeypatch.setattr(case_actions, "SWEEP_BATCH", 2)
    clerk = UserFactory(perms=["services.handle_servicecase"])
    deems = [_accepted(D(2026, 1, 5), clerk) for _ in range(3)]
    marks = [_accepted(D(2026, 1, 5), clerk, deemed_approval=False) for _ in range(2)]
    silent = [ServiceCaseFactory(received_on=D(2026, 1, 5)) for _ in range(2)]
    history = ServiceCase.history.count()
    # when
    result = cases_sweep(today=D(2026, 1, 13))
    # then
    assert (result.accepted_by_default, result.overdue, result.deemed_approved) == (2, 2, 5)
    for case in deems + silent:
        case.refresh_from_db()
        assert case.status == S.DEEMED_APPROVED and case.deemed_approved_on == D(2026, 1, 8)
        assert case.history.latest("history_id").status == S.DEEMED_APPROVED
        assert case.events.filter(to_status=S.DEEMED_APPROVED).count() == 1
    for case in marks:
        case.refresh_from_db()
        assert case.status == S.ACCEPTED and case.overdue_on == D(2026, 1, 8)
        assert case.history.latest("history_id").overdue_on == D(2026, 1, 8)
    for case in silent:
        assert case.accepted_on == D(2026, 1, 5) and case.deemed_accepted
        assert case.events.filter(from_status=S.RECEIVED, to_status=S.ACCEPTED).count() == 1
    # one history row and one event per change: 2 acceptances, 2 overdue, 5 deemed approvals
    assert ServiceCase.history.count() == history + 9
    assert ServiceCaseEvent.objects.filter(actor=None).count() == 9
    # and the summary the batches kept is the one a rebuild finds
    kept = _rows()
    service_summaries_rebuild()
    assert _rows() == kept


def test_the_sweeps_queries_do_not_grow_with_the_cases_it_changes(monkeypatch):
    clerk = UserFactory(perms=["services.handle_servicecase"])
    item = ServiceItemFactory()

    def sweep_queries(n: int, on: datetime.date) -> int:
        for _ in range(n):
            case_accept(case=ServiceCaseFactory(received_on=on, item=item), by=clerk, on=on)
        with CaptureQueriesContext(connection) as queries:
            assert cases_sweep(today=on + datetime.timedelta(days=30)).deemed_approved == n
        return len(queries)

    assert sweep_queries(2, D(2026, 3, 2)) == sweep_queries(12, D(2026, 5, 4))
