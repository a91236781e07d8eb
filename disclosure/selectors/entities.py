"""Reads for administrative entities, their guides and enforcement lists, and normative counts.

Visibility: the public sees only announced entities (`AdministrativeEntity.objects.announced()`)
and once-published guide versions of those entities; everything else is a 404.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, router
from django.db.models import Count, Model, Prefetch, Q, QuerySet

from config.raw_rows import model_from_row
from disclosure.models.catalogue import CatalogueEntry
from disclosure.models.entities import (
    AdministrativeEntity,
    DisclosureGuide,
    EnforcementOfficer,
    EnforcementPower,
    RandomInspectionItem,
)
from disclosure.models.normative import NormativeFiling


def entity_public_queryset() -> QuerySet[AdministrativeEntity]:
    """Entities the public may see (announced), the base of every public read."""
    return AdministrativeEntity.objects.announced()


def entity_list(
    *, kind: str | None = None, parent_id: int | None = None
) -> QuerySet[AdministrativeEntity]:
    """Announced entities with their parent preloaded, optionally by kind or parent."""
    queryset = entity_public_queryset().select_related("parent")
    if kind:
        queryset = queryset.filter(kind=kind)
    if parent_id is not None:
        queryset = queryset.filter(parent_id=parent_id)
    return queryset


@dataclass
class EntityNode:
    """One entity in the directory tree, with its announced children."""

    entity: AdministrativeEntity
    children: list["EntityNode"] = field(default_factory=list)


def entity_tree() -> list[EntityNode]:
    """The announced entities as a tree (district → bureaus → units), in one query.

    An announced entity whose parent is not public is shown at the top level, so that nothing
    public is hidden by something that is not.
    """
    entities = list(entity_public_queryset().order_by("sort_order", "name"))
    nodes = {entity.pk: EntityNode(entity) for entity in entities}
    roots: list[EntityNode] = []
    for entity in entities:
        parent = nodes.get(entity.parent_id) if entity.parent_id else None
        (parent.children if parent else roots).append(nodes[entity.pk])
    return roots


def entity_detail_queryset() -> QuerySet[AdministrativeEntity]:
    """Announced entities with everything their public page shows, preloaded in fixed queries."""
    return (
        entity_public_queryset()
        .select_related("parent")
        .prefetch_related(
            Prefetch("children", queryset=entity_public_queryset(), to_attr="public_children"),
            "enforcement_powers",
            Prefetch(
                "enforcement_officers",
                queryset=EnforcementOfficer.objects.filter(active=True),
                to_attr="active_officers",
            ),
            "random_inspection_items",
            Prefetch(
                "guides",
                queryset=DisclosureGuide.objects.current().select_related("published_by"),
                to_attr="current_guides",
            ),
        )
    )


ENTITY_PAGE_ENTRIES = 10  # the latest entries an entity page lists
_MAX_ID = 2**63 - 1  # the largest BigAutoField value

# The entity page in two statements with fixed SQL (no ORM compilation on this hot path):
# the entity with its parent and current guide, then every list the page shows in one
# UNION ALL, each part numbered in the order the models' Meta.ordering gives. The visibility
# rules are the ones above: the entity is announced (`entity_public_queryset`), its children
# are announced, its guide is the published version (`DisclosureGuide.objects.current()`, one
# per entity by a constraint), officers are active, entries are published
# (`CatalogueEntry.objects.published()`; their publisher, this entity, is announced).
_ENTITY_FIELDS = [f.attname for f in AdministrativeEntity._meta.concrete_fields]
_ENTITY_COLUMNS = ", ".join(f"e.{f.column}" for f in AdministrativeEntity._meta.concrete_fields)
_ENTITY_SQL = f"""
SELECT {_ENTITY_COLUMNS},
       p.id, p.name, p.status, g.id, g.version, g.published_at
  FROM disclosure_administrativeentity e
  LEFT JOIN disclosure_administrativeentity p ON p.id = e.parent_id
  LEFT JOIN disclosure_disclosureguide g ON g.entity_id = e.id AND g.status = %(guide_published)s
 WHERE e.id = %(pk)s AND e.status = %(announced)s
"""  # noqa: S608 - the columns come from the model, every value is a parameter

# Columns: part, position, id, number, t1..t7, day. The first part types the NULL columns.
_LISTS_SQL = """
SELECT 1 AS part, row_number() OVER (ORDER BY sort_order, name) AS position, id,
       CAST(NULL AS integer) AS number, name AS t1, CAST(NULL AS text) AS t2,
       CAST(NULL AS text) AS t3, CAST(NULL AS text) AS t4, CAST(NULL AS text) AS t5,
       CAST(NULL AS text) AS t6, CAST(NULL AS text) AS t7, CAST(NULL AS date) AS day
  FROM disclosure_administrativeentity
 WHERE parent_id = %(pk)s AND status = %(announced)s
UNION ALL
SELECT 2, row_number() OVER (ORDER BY sort_order, id), id,
       NULL, name, category, duties, authority, legal_basis, procedure, remedies, NULL
  FROM disclosure_enforcementpower
 WHERE entity_id = %(pk)s
UNION ALL
SELECT 3, row_number() OVER (ORDER BY certificate_no), id,
       NULL, name, certificate_no, category, NULL, NULL, NULL, NULL, NULL
  FROM disclosure_enforcementofficer
 WHERE entity_id = %(pk)s AND active
UNION ALL
SELECT 4, row_number() OVER (ORDER BY sequence), id,
       sequence, item, sub_item, inspecting_body, basis, method, content, remarks, NULL
  FROM disclosure_randominspectionitem
 WHERE entity_id = %(pk)s
UNION ALL
SELECT 5, row_number() OVER (ORDER BY published_date DESC, id DESC), id,
       NULL, title, NULL, NULL, NULL, NULL, NULL, NULL, published_date
  FROM (SELECT id, title, published_date
          FROM disclosure_catalogueentry
         WHERE publisher_id = %(pk)s AND status = %(entry_published)s
         ORDER BY published_date DESC, id DESC
         LIMIT %(entries)s) latest
ORDER BY 1, 2
"""

# Per part: the model its rows become, and the field each column from `id` on holds (None:
# a column the part leaves NULL).
_LIST_PARTS: dict[int, tuple[type[Model], tuple[str | None, ...]]] = {
    1: (AdministrativeEntity, ("id", None, "name")),
    2: (
        EnforcementPower,
        ("id", None, "name", "category", "duties", "authority", "legal_basis", "procedure")
        + ("remedies",),
    ),
    3: (EnforcementOfficer, ("id", None, "name", "certificate_no", "category")),
    4: (
        RandomInspectionItem,
        ("id", "sequence", "item", "sub_item", "inspecting_body", "basis", "method", "content")
        + ("remarks",),
    ),
    5: (
        CatalogueEntry,
        ("id", None, "title", None, None, None, None, None, None, "published_date"),
    ),
}


@dataclass
class EntityPage:
    """What an entity's public page shows, read in two queries (`entity_page_get`)."""

    entity: AdministrativeEntity
    guide: DisclosureGuide | None
    children: list[AdministrativeEntity]
    powers: list[EnforcementPower]
    officers: list[EnforcementOfficer]
    inspection_items: list[RandomInspectionItem]
    entries: list[CatalogueEntry]


def entity_page_get(*, pk: int, entries: int = ENTITY_PAGE_ENTRIES) -> EntityPage | None:
    """An announced entity and everything its public page shows, in two queries; else None."""
    if not 0 < pk <= _MAX_ID:  # the ORM answers "no such row" too (SQLite would overflow)
        return None
    alias = router.db_for_read(AdministrativeEntity)
    connection = connections[alias]
    params = {
        "pk": pk,
        "announced": AdministrativeEntity.Status.ANNOUNCED.value,
        "guide_published": DisclosureGuide.Status.PUBLISHED.value,
        "entry_published": CatalogueEntry.Status.PUBLISHED.value,
        "entries": entries,
    }
    with connection.cursor() as cursor:
        cursor.execute(_ENTITY_SQL, params)
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute(_LISTS_SQL, params)
        rows = cursor.fetchall()
    count = len(_ENTITY_FIELDS)
    entity = model_from_row(AdministrativeEntity, connection, _ENTITY_FIELDS, row[:count])
    parent_id, parent_name, parent_status, guide_id, guide_version, guide_published_at = row[count:]
    parent = None
    if parent_id is not None:
        parent = model_from_row(
            AdministrativeEntity,
            connection,
            ("id", "name", "status"),
            (parent_id, parent_name, parent_status),
        )
    AdministrativeEntity._meta.get_field("parent").set_cached_value(entity, parent)
    guide = None
    if guide_id is not None:
        guide = model_from_row(
            DisclosureGuide,
            connection,
            ("id", "entity_id", "version", "published_at"),
            (guide_id, entity.pk, guide_version, guide_published_at),
        )
    lists: dict[int, list[Any]] = {part: [] for part in _LIST_PARTS}
    for part, _position, *columns in rows:
        model, fields = _LIST_PARTS[part]
        picked = [(name, value) for name, value in zip(fields, columns, strict=False) if name]
        names, values = zip(*picked, strict=True)
        lists[part].append(model_from_row(model, connection, names, values))
    return EntityPage(
        entity=entity,
        guide=guide,
        children=lists[1],
        powers=lists[2],
        officers=lists[3],
        inspection_items=lists[4],
        entries=lists[5],
    )


def entity_announcements_current(*, day: datetime.date) -> QuerySet[AdministrativeEntity]:
    """Announced entities whose announcement (公示) period includes `day`, newest first."""
    return (
        AdministrativeEntity.objects.in_announcement_period(day)
        .select_related("parent")
        .order_by("-announcement_start", "sort_order", "name")
    )


def guide_public_queryset() -> QuerySet[DisclosureGuide]:
    """Once-published guide versions of announced entities, with their entity preloaded."""
    return DisclosureGuide.objects.public().select_related("entity").order_by("entity", "-version")


def guide_versions(*, entity: AdministrativeEntity) -> QuerySet[DisclosureGuide]:
    """An entity's published and superseded guide versions, newest first."""
    return DisclosureGuide.objects.ever_published().filter(entity=entity).order_by("-version")


def guide_current(*, entity: AdministrativeEntity) -> DisclosureGuide | None:
    """The entity's current (published) guide, or None."""
    prefetched = getattr(entity, "current_guides", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return DisclosureGuide.objects.current().filter(entity=entity).first()


def normative_document_counts(year: int, *, entity_id: int | None = None) -> dict[str, int]:
    """Normative documents issued and repealed in `year`, and in force at its end.

    For the annual report's Table 二 row 行政规范性文件 (本年制发件数, 本年废止件数, 现行有效件数).
    The cross-year check 现行有效(y) = 现行有效(y−1) + 制发(y) − 废止(y) holds by construction:
    every count is taken over the same issued documents, and a repeal date is never before
    its issue date (a database constraint).
    """
    year_start = datetime.date(year, 1, 1)
    year_end = datetime.date(year, 12, 31)
    filings = NormativeFiling.objects.issued()
    if entity_id is not None:  # one entity's report: the documents it published
        filings = filings.filter(entry__publisher_id=entity_id)
    counts = filings.aggregate(
        issued=Count("pk", filter=Q(issue_date__range=(year_start, year_end))),
        repealed=Count("pk", filter=Q(repeal_date__range=(year_start, year_end))),
        in_force=Count(
            "pk",
            filter=Q(issue_date__lte=year_end)
            & (Q(repeal_date__isnull=True) | Q(repeal_date__gt=year_end)),
        ),
    )
    return {key: int(value or 0) for key, value in counts.items()}
