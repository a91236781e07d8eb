"""Reads for public institutions: scoping, public lists, completeness, the fee search.

Visibility: the public sees active institutions, their published items and their published fees
that are in force today; drafts and withdrawn rows are 404 / absent. Officials see what
`institution_ids_for_official` gives them: institutions whose own account they hold
(`InstitutionMembership`) and institutions supervised by an entity in their department scope
(`entity_ids_for_official`).

Fee search: plain `icontains` over the fee's name and its approval document. Fee tables are
small (thousands of rows across the district), Chinese fee names are short (学费, 挂号费, 床位费)
and a substring match finds 学费 inside 保育费和学费 without a tokenizer; the catalogue's
tokenising index (disclosure.search) is built for a million long documents and is not needed.
"""

import datetime
import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import Count, Field, Max, Min, Model, Prefetch, Q, QuerySet
from django.db.models.expressions import Col
from django.utils import timezone

from disclosure.models.entities import AdministrativeEntity
from disclosure.models.institutions import (
    DisclosureItemKind,
    FeeItem,
    InstitutionDisclosure,
    InstitutionMembership,
    PublicInstitution,
    Sector,
    SectorRequirement,
)
from disclosure.selectors.memberships import entity_ids_for_official, memoised_scope

User = AbstractBaseUser | AnonymousUser


# --- scoping --------------------------------------------------------------------------------


def institution_ids_for_official(user: User) -> set[int] | None:
    """The institutions whose items and fees `user` keeps; None means every institution.

    An institution's own account (InstitutionMembership) keeps that institution; officials of
    its supervising department (and of the bodies above it, through `entity_ids_for_official`)
    keep every institution that department supervises. Computed once per request (see
    `disclosure.selectors.memberships.memoised_scope`); each caller gets its own copy.
    """
    if not user.is_authenticated:
        return set()
    ids = memoised_scope(user, "institution_ids", lambda: _institution_ids_for_official(user))
    return None if ids is None else set(ids)


def _institution_ids_for_official(user: AbstractBaseUser) -> frozenset[int] | None:
    entity_ids = entity_ids_for_official(user)
    if entity_ids is None:
        return None
    condition = Q(memberships__user=user)
    if entity_ids:
        condition |= Q(supervising_department_id__in=entity_ids)
    return frozenset(PublicInstitution.objects.filter(condition).values_list("pk", flat=True))


def institution_in_scope(*, user: User, institution: PublicInstitution) -> bool:
    """True when `user` keeps `institution`."""
    ids = institution_ids_for_official(user)
    return ids is None or institution.pk in ids


def institutions_for_official(user: User) -> QuerySet[PublicInstitution]:
    """The institutions `user` keeps (all statuses), with sector and department preloaded."""
    queryset = PublicInstitution.objects.select_related("sector", "supervising_department")
    ids = institution_ids_for_official(user)
    return queryset if ids is None else queryset.filter(pk__in=ids)


def institution_memberships_of(user: User) -> QuerySet[InstitutionMembership]:
    return InstitutionMembership.objects.filter(user=user).select_related("institution")


# --- public reads -------------------------------------------------------------------------------


def sector_list() -> QuerySet[Sector]:
    """Sectors with the number of active institutions in each."""
    return Sector.objects.annotate(
        institution_count=Count("institutions", filter=Q(institutions__is_active=True))
    ).order_by("sort_order", "code")


def institution_public_queryset() -> QuerySet[PublicInstitution]:
    """Active institutions with their sector and supervising department preloaded."""
    return PublicInstitution.objects.public().select_related("sector", "supervising_department")


def institution_list(
    *, sector: Sector | None = None, department_id: int | None = None
) -> QuerySet[PublicInstitution]:
    """Active institutions, optionally of one sector or one supervising department."""
    queryset = institution_public_queryset()
    if sector is not None:
        queryset = queryset.filter(sector=sector)
    if department_id is not None:
        queryset = queryset.filter(supervising_department_id=department_id)
    return queryset.order_by("sector__sort_order", "name")


def supervising_departments() -> list[tuple[int, str, int]]:
    """(entity id, entity name, number of active institutions) for each supervising department."""
    rows = (
        PublicInstitution.objects.public()
        .values("supervising_department_id", "supervising_department__name")
        .annotate(count=Count("pk"))
        .order_by("supervising_department__name")
    )
    return [
        (row["supervising_department_id"], row["supervising_department__name"], row["count"])
        for row in rows
    ]


def published_fees(*, day: datetime.date | None = None) -> QuerySet[FeeItem]:
    """Published fees in force on `day` (today in the district's time zone by default)."""
    day = day or timezone.localdate()
    return FeeItem.objects.published().in_force_on(day)


def institution_detail_queryset(*, day: datetime.date | None = None) -> QuerySet[PublicInstitution]:
    """Active institutions with their published items, fees in force and checklist preloaded."""
    return institution_public_queryset().prefetch_related(
        Prefetch(
            "disclosures",
            queryset=InstitutionDisclosure.objects.filter(
                status=InstitutionDisclosure.Status.PUBLISHED
            ).select_related("kind"),
            to_attr="published_items",
        ),
        Prefetch(
            "fees",
            queryset=published_fees(day=day).order_by("category", "name", "pk"),
            to_attr="fees_in_force",
        ),
        Prefetch(
            "sector__requirements",
            queryset=SectorRequirement.objects.select_related("kind"),
            to_attr="checklist",
        ),
    )


# --- the institution page: one fixed statement -------------------------------------------------
#
# The public page of one institution is a record page mostly picked at random (so seldom in the
# page cache). The prefetching queryset above costs four queries whose compilation, prefetch
# bookkeeping and round trips made up most of a cold render. The page loads the same rows in
# one UNION ALL statement written once per process (the institution with its sector, department
# and fees in force; its published items; its sector's checklist). Values go through the ORM's
# own converters for each column and rows become model instances, so the template and
# `completeness_of` see what the prefetching queryset gave them.


@dataclass(frozen=True)
class _Statement:
    """A fixed SELECT of whole rows of several tables, each under an alias.

    `columns` are (alias, field) in select-list order; rows come back converted by the ORM's own
    converters for each field, and `instance` makes a model instance of one alias's columns.
    """

    sql: str
    columns: tuple[tuple[str, Field], ...]

    @functools.cached_property
    def _converters(self) -> list[tuple[int, Col, list]]:
        converters = []
        for index, (alias, model_field) in enumerate(self.columns):
            expression = Col(alias, model_field)
            functions = connection.ops.get_db_converters(expression)
            functions += expression.get_db_converters(connection)
            if functions:
                converters.append((index, expression, functions))
        return converters

    @functools.cached_property
    def _parts(self) -> dict[str, tuple[int, int, list[str]]]:
        """alias -> (first index, index after the last, attnames): an alias's columns are
        contiguous."""
        parts: dict[str, tuple[int, int, list[str]]] = {}
        for index, (alias, model_field) in enumerate(self.columns):
            start, _stop, names = parts.get(alias, (index, index, []))
            parts[alias] = (start, index + 1, [*names, model_field.attname])
        return parts

    def rows(self, params: list) -> list[list]:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = [list(row) for row in cursor.fetchall()]
        for index, expression, functions in self._converters:
            for row in rows:
                value = row[index]
                for function in functions:
                    value = function(value, expression, connection)
                row[index] = value
        return rows

    def instance(self, model: type[Model], row: list, alias: str) -> Model | None:
        """The `model` instance made of `alias`'s columns in `row`; None if its id is NULL."""
        start, stop, names = self._parts[alias]
        values = row[start:stop]
        if values[names.index("id")] is None:
            return None
        return model.from_db(connection.alias, names, values)


def _columns(
    alias: str, model: type[Model], names: tuple[str, ...] | None = None
) -> list[tuple[str, Field]]:
    """(alias, field) for each of `model`'s concrete fields (or those in `names`), in order."""
    if names is None:
        return [(alias, field) for field in model._meta.concrete_fields]
    return [(alias, model._meta.get_field(name)) for name in names]


def _select_list(columns: list[tuple[str, Field]], aliases: str) -> str:
    """`alias.column` for the columns of the `aliases` (letters), a typed NULL for the others.

    Typed, because PostgreSQL resolves a UNION's column types pair by pair: two bare NULLs
    become text, which then matches no date or integer of a later branch.
    """
    quote = connection.ops.quote_name
    return ", ".join(
        f"{alias}.{quote(column.column)}"
        if alias in aliases
        else f"CAST(NULL AS {column.cast_db_type(connection)})"
        for alias, column in columns
    )


@functools.cache
def _institution_page_statement(vendor: str) -> _Statement:
    """The page's one statement for one database vendor, written on first use.

    Every branch has every column: the institution (i), its sector (s), its department (e: its
    id and name, all the page shows of it), a fee (f), a kind (k), a published item (d) and a
    checklist requirement (r); each branch fills its own and leaves the others NULL.

    1. The active institution with its sector and department, one row per fee in force
       (`published_fees`) or one row with no fee. Parameters: published, day, day, id, True.
    2. Its published items with their kinds. Parameters: id, published.
    3. Its sector's checklist with the kinds. Parameter: id.

    Rows come by fee (category, name, id), then by kind (sort order, code): in the fee table's
    and the checklist's order. Only identifiers from the models' metadata go into the text;
    every value is a parameter.
    """
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (
            PublicInstitution,
            Sector,
            AdministrativeEntity,
            FeeItem,
            InstitutionDisclosure,
            DisclosureItemKind,
            SectorRequirement,
        )
    }
    columns = [
        *_columns("i", PublicInstitution),
        *_columns("s", Sector),
        *_columns("e", AdministrativeEntity, ("id", "name")),
        *_columns("f", FeeItem),
        *_columns("k", DisclosureItemKind),
        *_columns("d", InstitutionDisclosure),
        *_columns("r", SectorRequirement),
    ]
    order = ", ".join(
        str(1 + columns.index((alias, model._meta.get_field(name))))
        for alias, model, name in (
            ("f", FeeItem, "category"),
            ("f", FeeItem, "name"),
            ("f", FeeItem, "id"),
            ("k", DisclosureItemKind, "sort_order"),
            ("k", DisclosureItemKind, "code"),
        )
    )
    sql = (
        f"SELECT {_select_list(columns, 'isef')} FROM {table[PublicInstitution]} i"  # noqa: S608
        f" INNER JOIN {table[Sector]} s ON s.id = i.sector_id"
        f" INNER JOIN {table[AdministrativeEntity]} e ON e.id = i.supervising_department_id"
        f" LEFT OUTER JOIN {table[FeeItem]} f ON f.institution_id = i.id AND f.status = %s"
        " AND f.valid_from <= %s AND (f.valid_to IS NULL OR f.valid_to >= %s)"
        " WHERE i.id = %s AND i.is_active = %s"
        f" UNION ALL SELECT {_select_list(columns, 'kd')} FROM {table[InstitutionDisclosure]} d"
        f" INNER JOIN {table[DisclosureItemKind]} k ON k.id = d.kind_id"
        " WHERE d.institution_id = %s AND d.status = %s"
        f" UNION ALL SELECT {_select_list(columns, 'kr')} FROM {table[SectorRequirement]} r"
        f" INNER JOIN {table[DisclosureItemKind]} k ON k.id = r.kind_id"
        f" WHERE r.sector_id = (SELECT sector_id FROM {table[PublicInstitution]} WHERE id = %s)"
        f" ORDER BY {order}"
    )
    return _Statement(sql, tuple(columns))


def institution_page(*, pk: int, day: datetime.date | None = None) -> PublicInstitution | None:
    """Active institution `pk` loaded as `institution_detail_queryset` loads it, in one query.

    `sector` and `supervising_department` (its id and name only) are set; `published_items`
    (each with its kind), `fees_in_force` (in force on `day`) and `sector.checklist` (each with
    its kind) are lists in the same order. None when there is no such active institution.
    """
    day = day or timezone.localdate()
    statement = _institution_page_statement(connection.vendor)
    fee_published = FeeItem.Status.PUBLISHED
    item_published = InstitutionDisclosure.Status.PUBLISHED
    rows = statement.rows([fee_published, day, day, pk, True, pk, item_published, pk])
    institution = sector = None
    fees, items, checklist = [], [], []
    for row in rows:
        kind = statement.instance(DisclosureItemKind, row, "k")
        if kind is None:  # the institution, with a fee or none
            if institution is None:
                institution = statement.instance(PublicInstitution, row, "i")
                sector = statement.instance(Sector, row, "s")
                department = statement.instance(AdministrativeEntity, row, "e")
            fee = statement.instance(FeeItem, row, "f")
            if fee is not None:
                fees.append(fee)
        elif (item := statement.instance(InstitutionDisclosure, row, "d")) is not None:
            item.kind = kind
            items.append(item)
        else:
            requirement = statement.instance(SectorRequirement, row, "r")
            requirement.kind = kind
            checklist.append(requirement)
    if institution is None:
        return None
    institution.sector = sector
    institution.supervising_department = department
    for related in (*fees, *items):
        related.institution = institution
    for requirement in checklist:
        requirement.sector = sector
    institution.fees_in_force, institution.published_items = fees, items
    sector.checklist = checklist
    return institution


# --- completeness -------------------------------------------------------------------------------


@dataclass
class Completeness:
    """How much of its sector checklist an institution publishes and keeps current.

    `required`: the sector's checklist items; `published`: those the institution publishes;
    `current`: published and not overdue for review (next review due today or later);
    `percentage` = current / required × 100, rounded half up to one decimal (100 when the
    sector requires nothing).
    """

    institution: PublicInstitution
    required: list[DisclosureItemKind] = field(default_factory=list)
    missing: list[DisclosureItemKind] = field(default_factory=list)
    stale: list[InstitutionDisclosure] = field(default_factory=list)
    current_count: int = 0

    @property
    def required_count(self) -> int:
        return len(self.required)

    @property
    def published_count(self) -> int:
        return self.required_count - len(self.missing)

    @property
    def percentage(self) -> Decimal:
        if not self.required:
            return Decimal("100.0")
        share = Decimal(self.current_count * 100) / Decimal(self.required_count)
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def complete(self) -> bool:
        return self.current_count == self.required_count


def completeness_of(
    *, institution: PublicInstitution, today: datetime.date | None = None
) -> Completeness:
    """The completeness of one institution loaded by `institution_completeness_queryset` (or
    `institution_detail_queryset`, or `institution_page`); without the prefetches it queries."""
    today = today or timezone.localdate()
    checklist = getattr(institution, "checklist", None)
    if checklist is None:
        checklist = getattr(institution.sector, "checklist", None)
    if checklist is None:
        checklist = list(institution.sector.requirements.select_related("kind"))
    items = getattr(institution, "published_items", None)
    if items is None:
        items = list(
            institution.disclosures.filter(
                status=InstitutionDisclosure.Status.PUBLISHED
            ).select_related("kind")
        )
    by_kind = {item.kind_id: item for item in items}
    result = Completeness(institution=institution)
    for requirement in checklist:
        result.required.append(requirement.kind)
        item = by_kind.get(requirement.kind_id)
        if item is None:
            result.missing.append(requirement.kind)
        elif item.is_stale_on(today):
            result.stale.append(item)
        else:
            result.current_count += 1
    return result


def institution_completeness_queryset(
    base: QuerySet[PublicInstitution],
) -> QuerySet[PublicInstitution]:
    """`base` with what completeness needs, in a fixed number of queries."""
    return base.select_related("sector", "supervising_department").prefetch_related(
        Prefetch(
            "sector__requirements",
            queryset=SectorRequirement.objects.select_related("kind"),
            to_attr="checklist",
        ),
        Prefetch(
            "disclosures",
            queryset=InstitutionDisclosure.objects.filter(
                status=InstitutionDisclosure.Status.PUBLISHED
            ).select_related("kind"),
            to_attr="published_items",
        ),
    )


def completeness_ranking(
    *, sector: Sector | None = None, today: datetime.date | None = None
) -> list[tuple[Sector, list[Completeness]]]:
    """Active institutions ranked within each sector: highest percentage first, then by name."""
    today = today or timezone.localdate()
    queryset = institution_list(sector=sector)
    rows = [
        completeness_of(institution=inst, today=today)
        for inst in institution_completeness_queryset(queryset)
    ]
    by_sector: dict[int, tuple[Sector, list[Completeness]]] = {}
    for row in rows:
        by_sector.setdefault(row.institution.sector_id, (row.institution.sector, []))[1].append(row)
    ranked = []
    for sector_obj, sector_rows in by_sector.values():
        sector_rows.sort(key=lambda r: (-r.percentage, r.institution.name))
        ranked.append((sector_obj, sector_rows))
    ranked.sort(key=lambda pair: (pair[0].sort_order, pair[0].code))
    return ranked


def completeness_for_official(
    *, user: User, today: datetime.date | None = None
) -> list[Completeness]:
    """For an official: every institution they keep, with its missing and stale items."""
    today = today or timezone.localdate()
    queryset = institution_completeness_queryset(
        institutions_for_official(user).order_by("sector__sort_order", "name")
    )
    return [completeness_of(institution=inst, today=today) for inst in queryset]


# --- fees ---------------------------------------------------------------------------------------


def fee_search(
    *,
    q: str = "",
    sector: Sector | None = None,
    category: str = "",
    unit: str = "",
    max_amount: Decimal | None = None,
    day: datetime.date | None = None,
) -> QuerySet[FeeItem]:
    """Published fees in force, across all institutions, by name (substring, case-insensitive).

    `max_amount` keeps fees whose lowest amount is at most it (a range 100–300 matches 150).
    """
    queryset = published_fees(day=day).select_related("institution", "institution__sector")
    for term in q.split():
        queryset = queryset.filter(Q(name__icontains=term) | Q(institution__name__icontains=term))
    if sector is not None:
        queryset = queryset.filter(institution__sector=sector)
    if category:
        queryset = queryset.filter(category=category)
    if unit:
        queryset = queryset.filter(unit=unit)
    if max_amount is not None:
        queryset = queryset.filter(amount_min__lte=max_amount)
    return queryset.order_by("name", "amount_min", "institution__name", "pk")


@dataclass
class FeeComparisonRow:
    """One fee name in a sector: how many institutions charge it, the lowest and highest."""

    name: str
    unit: str
    unit_label: str
    institutions: int
    lowest: Decimal
    highest: Decimal


def sector_fee_comparison(
    *, sector: Sector, day: datetime.date | None = None
) -> list[FeeComparisonRow]:
    """The sector's published fees grouped by name and unit, in one query."""
    rows = (
        published_fees(day=day)
        .filter(institution__sector=sector)
        .values("name", "unit")
        .annotate(
            institutions=Count("institution", distinct=True),
            lowest=Min("amount_min"),
            highest_max=Max("amount_max"),
            highest_min=Max("amount_min"),
        )
        .order_by("name", "unit")
    )
    units = dict(FeeItem.Unit.choices)
    return [
        FeeComparisonRow(
            name=row["name"],
            unit=row["unit"],
            unit_label=str(units.get(row["unit"], row["unit"])),
            institutions=row["institutions"],
            lowest=row["lowest"],
            highest=max(v for v in (row["highest_max"], row["highest_min"]) if v is not None),
        )
        for row in rows
    ]


def sector_fee_table(*, sector: Sector, day: datetime.date | None = None) -> QuerySet[FeeItem]:
    """Every published fee in force in the sector, by fee name then institution."""
    return (
        published_fees(day=day)
        .filter(institution__sector=sector)
        .select_related("institution")
        .order_by("name", "institution__name", "pk")
    )


def fee_self_inspection(*, user: User) -> QuerySet[FeeItem]:
    """Every fee (any status) of the institutions `user` keeps, those without a basis first.

    The seed's 治理"三乱" self-inspection: each fee is listed by its basis, and a fee with no
    legal basis or approval document is flagged for cancellation.
    """
    ids = institution_ids_for_official(user)
    queryset = FeeItem.objects.select_related("institution", "institution__sector")
    if ids is not None:
        queryset = queryset.filter(institution_id__in=ids)
    return queryset.order_by("institution__name", "legal_basis", "approval_document", "name")


def institution_disclosures_for_api() -> QuerySet[InstitutionDisclosure]:
    """Published items of active institutions, with institution and kind preloaded."""
    return InstitutionDisclosure.objects.published().select_related(
        "institution", "institution__sector", "kind"
    )
