"""Reads of service items for the public: the guide list with search, an item with its record."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connections, router
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from config.raw_rows import model_from_row
from disclosure.models import AdministrativeEntity
from services.models import ServiceDailySummary, ServiceItem, ServiceMaterial, ServiceWindow
from services.selectors.statistics import RATING_LEVELS, Period, ServiceFigures


def service_item_public_queryset() -> QuerySet[ServiceItem]:
    """Published items, the only ones the public (pages and API) may see."""
    return ServiceItem.objects.filter(is_published=True)


def service_item_public_list(
    *, q: str = "", entity_id: int | None = None, kind: str = ""
) -> QuerySet[ServiceItem]:
    """Published items filtered by department, type and a search in name and codes."""
    items = service_item_public_queryset().select_related("entity", "joint_lead_entity")
    if entity_id is not None:
        items = items.filter(entity_id=entity_id)
    if kind:
        items = items.filter(kind=kind)
    if q:
        items = items.filter(
            Q(name__icontains=q) | Q(basic_code__icontains=q) | Q(implementation_code__icontains=q)
        )
    return items.order_by("entity__sort_order", "entity__name", "basic_code", "id")


def service_item_public_detail_queryset() -> QuerySet[ServiceItem]:
    """Published items with what their guide page shows: materials and windows."""
    return (
        service_item_public_queryset()
        .select_related("entity", "joint_lead_entity")
        .prefetch_related(
            Prefetch("materials", queryset=ServiceMaterial.objects.order_by("sort_order", "id")),
            Prefetch("windows", queryset=ServiceWindow.objects.filter(is_active=True)),
        )
    )


def service_item_departments() -> QuerySet:
    """The departments that have published items (for the filter), in directory order."""
    return (
        AdministrativeEntity.objects.filter(service_items__is_published=True)
        .distinct()
        .order_by("sort_order", "name")
    )


# --- An item's public page in fixed SQL -------------------------------------------------------
#
# The guide page is read in one statement with fixed SQL (no ORM compilation on this hot path):
# the item with its departments' names, joined to its materials and open windows (a UNION ALL,
# each part numbered in the order the prefetches of `service_item_public_detail_queryset` give:
# materials by sort order and id, windows by number as `ServiceWindow.Meta.ordering`). One row
# per material and window, the item's columns repeated; one row with empty list columns when it
# has neither. The visibility rule is `service_item_public_queryset`'s: the item is published.
_ITEM_FIELDS = tuple(f.attname for f in ServiceItem._meta.concrete_fields)
_ITEM_COLUMNS = ", ".join(f"i.{f.column}" for f in ServiceItem._meta.concrete_fields)
_ITEM_SQL = f"""
SELECT {_ITEM_COLUMNS}, e.name, j.name,
       l.part, l.id, l.name, l.form, l.copies, l.required, l.blank_form, l.sample
  FROM services_serviceitem i
  JOIN disclosure_administrativeentity e ON e.id = i.entity_id
  LEFT JOIN disclosure_administrativeentity j ON j.id = i.joint_lead_entity_id
  LEFT JOIN (
        SELECT 1 AS part, row_number() OVER (ORDER BY sort_order, id) AS position,
               item_id, id, name, form, copies, required, blank_form, sample
          FROM services_servicematerial
         WHERE item_id = %(pk)s
        UNION ALL
        SELECT 2, row_number() OVER (ORDER BY w.number), t.serviceitem_id, w.id, w.number,
               NULL, NULL, NULL, NULL, NULL
          FROM services_servicewindow w
          JOIN services_servicewindow_items t ON t.servicewindow_id = w.id
         WHERE t.serviceitem_id = %(pk)s AND w.is_active = %(active)s
       ) l ON l.item_id = i.id
 WHERE i.id = %(pk)s AND i.is_published = %(published)s
 ORDER BY l.part, l.position
"""  # noqa: S608 - the columns come from the model, every value is a parameter
_MATERIAL_FIELDS = ("id", "name", "form", "copies", "required", "blank_form", "sample")


@dataclass
class ServiceItemPage:
    """What an item's public guide page shows, read in one query (`service_item_public_page`)."""

    item: ServiceItem
    materials: list[ServiceMaterial]
    windows: list[ServiceWindow]


def service_item_public_page(*, pk: int) -> ServiceItemPage | None:
    """A published item with its departments, materials and open windows, in one query.

    None when there is no such published item (the page is then a 404).
    """
    alias = router.db_for_read(ServiceItem)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(_ITEM_SQL, {"pk": pk, "published": True, "active": True})
        rows = cursor.fetchall()
    if not rows:
        return None
    count = len(_ITEM_FIELDS)
    item = model_from_row(ServiceItem, connection, _ITEM_FIELDS, rows[0][:count])
    entity_name, lead_name = rows[0][count : count + 2]
    entity = model_from_row(
        AdministrativeEntity, connection, ("id", "name"), (item.entity_id, entity_name)
    )
    ServiceItem._meta.get_field("entity").set_cached_value(item, entity)
    lead = None
    if item.joint_lead_entity_id is not None:
        lead = model_from_row(
            AdministrativeEntity, connection, ("id", "name"), (item.joint_lead_entity_id, lead_name)
        )
    ServiceItem._meta.get_field("joint_lead_entity").set_cached_value(item, lead)
    materials, windows = [], []
    for row in rows:
        part, *values = row[count + 2 :]
        if part == 1:
            materials.append(model_from_row(ServiceMaterial, connection, _MATERIAL_FIELDS, values))
        elif part == 2:
            windows.append(model_from_row(ServiceWindow, connection, ("id", "number"), values[:2]))
    return ServiceItemPage(item=item, materials=materials, windows=windows)


# --- An item's measured record -----------------------------------------------------------------
#
# `service_figures(period=…, item_id=…)` of services.selectors.statistics for one item, in one
# statement instead of three: the period's sums from the daily summary, its consultations and
# its histogram of working days (the positive counts), each a numbered part of a UNION ALL. The
# same sums over the same rows (tested against `service_figures`). Part 0 is the period: the one
# given, or the record's (`record_period` of services.views.public, also tested): from the first
# of the month eleven or twelve months before the latest completion on record (today when there
# is none) to that day, computed in the same statement, which saves a round trip.
_GIVEN_PERIOD_SQL = "SELECT %(first)s AS first, %(last)s AS last"
_RECORD_PERIOD_SQL = """
SELECT {first} AS first, last
  FROM (SELECT COALESCE((SELECT day FROM "services_servicedailysummary"
                          WHERE completed > 0 ORDER BY day DESC LIMIT 1), %(today)s) AS last
       ) latest
"""
# (last.replace(day=1) - 335 days).replace(day=1), as each database writes it.
_FIRST_OF_RECORD = {
    "postgresql": "CAST(date_trunc('month', date_trunc('month', CAST(last AS timestamp))"
    " - INTERVAL '335 days') AS date)",
    "sqlite": "date(last, 'start of month', '-335 days', 'start of month')",
}
_RECORD_SQL = """
WITH period AS ({period})
SELECT 0 AS part, first, last, CAST(NULL AS integer) AS workdays, CAST(NULL AS bigint) AS n,
       CAST(NULL AS bigint), CAST(NULL AS bigint), CAST(NULL AS bigint), CAST(NULL AS bigint),
       CAST(NULL AS bigint), CAST(NULL AS bigint), CAST(NULL AS bigint), CAST(NULL AS bigint)
  FROM period
UNION ALL
SELECT 1, NULL, NULL, NULL, SUM(accepted), SUM(completed), SUM(on_time), SUM(deemed),
       SUM(rated_1), SUM(rated_2), SUM(rated_3), SUM(rated_4), SUM(rated_5)
  FROM "services_servicedailysummary" s, period p
 WHERE s.item_id = %(item)s AND s.day BETWEEN p.first AND p.last
UNION ALL
SELECT 2, NULL, NULL, NULL, SUM(count), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM "services_consultationcount" c, period p
 WHERE c.item_id = %(item)s AND c."date" BETWEEN p.first AND p.last
UNION ALL
SELECT 3, NULL, NULL, workdays, SUM(count), NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM "services_servicedurationcount" d, period p
 WHERE d.item_id = %(item)s AND d.day BETWEEN p.first AND p.last
 GROUP BY workdays
HAVING SUM(count) > 0
"""


def _date(value: datetime.date | str) -> datetime.date:
    """A date the database returned (SQLite's date functions give text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def service_item_record(
    *, item_id: int, period: Period | None = None, today: datetime.date | None = None
) -> tuple[Period, ServiceFigures]:
    """An item's figures for `period`, as `service_figures(period=…, item_id=…)`, in one query.

    Without a period, for the record's period (`record_period` of the item page: the twelve
    months up to the latest completion on record, or up to `today`, by default today, when
    there is none), found in the same query. Read from the statistics' sources (the daily
    summary, the per-day consultation and duration counts) on the database the router reads
    them from. Returns the period and its figures.
    """
    connection = connections[router.db_for_read(ServiceDailySummary)]
    adapt = connection.ops.adapt_datefield_value
    params: dict[str, Any] = {"item": item_id}
    if period is None:
        sql = _RECORD_PERIOD_SQL.format(first=_FIRST_OF_RECORD[connection.vendor])
        params["today"] = adapt(today or timezone.localdate())
    else:
        sql = _GIVEN_PERIOD_SQL
        params.update(first=adapt(period.first), last=adapt(period.last))
    with connection.cursor() as cursor:
        cursor.execute(_RECORD_SQL.format(period=sql), params)
        rows = cursor.fetchall()
    figures = ServiceFigures()
    for part, first, last, workdays, n, *sums in rows:
        if part == 0:
            period = period or Period(_date(first), _date(last))
        elif part == 1:
            completed, on_time, deemed, *rated = (value or 0 for value in sums)
            figures.accepted, figures.completed = n or 0, completed
            figures.on_time, figures.deemed_approvals = on_time, deemed
            # Only the levels given at least once, best first, as `service_figures` keeps them.
            figures.rating_counts = {
                level: rated[level - 1] for level in RATING_LEVELS if rated[level - 1]
            }
        elif part == 2:
            figures.consultations = n or 0
        else:
            figures.workdays_histogram[workdays] = n
    return period, figures
