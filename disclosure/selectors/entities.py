"""Reads for administrative entities, their guides and enforcement lists, and normative counts.

Visibility: the public sees only announced entities (`AdministrativeEntity.objects.announced()`)
and once-published guide versions of those entities; everything else is a 404.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from disclosure.models.entities import (
    AdministrativeEntity,
    DisclosureGuide,
    EnforcementOfficer,
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
