"""FilterSets of the disclosure API (catalogue part): the catalogue's facets, dates and search."""

import datetime

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError

from disclosure.models.catalogue import CatalogueEntry, Topic
from disclosure.models.entities import AdministrativeEntity
from disclosure.search import MAX_QUERY_LENGTH, SearchQueryError, catalogue_entry_search


class CatalogueEntryFilter(django_filters.FilterSet):
    """Filters of /api/v1/disclosure/entries/: the facets of the catalogue page, plus dates.

    A value that is not valid (an unknown publisher, a genre that is not one, a malformed date,
    a search the search engine refuses) is a 400 whose body names the parameter.
    """

    q = django_filters.CharFilter(
        method="filter_q",
        label=_("Search text"),
        help_text=_(
            "Full-text search over title, document number, keywords, summary and body "
            "(at most %(max)d characters). Results are ordered by relevance unless "
            "`ordering` is given."
        )
        % {"max": MAX_QUERY_LENGTH},
    )
    publisher = django_filters.ModelChoiceFilter(
        queryset=AdministrativeEntity.objects.announced(),
        method="filter_publisher",
        label=_("Publisher (entity id); includes co-published entries"),
    )
    topic = django_filters.ModelChoiceFilter(
        queryset=Topic.objects.all(),
        method="filter_topic",
        label=_("Topic id; a top-level topic includes its sub-topics"),
    )
    genre = django_filters.ChoiceFilter(choices=CatalogueEntry.Genre.choices, label=_("Genre"))
    year = django_filters.NumberFilter(method="filter_year", label=_("Year of publication"))
    validity = django_filters.ChoiceFilter(
        choices=CatalogueEntry.Validity.choices, label=_("Validity")
    )
    disclosure_mode = django_filters.ChoiceFilter(
        choices=CatalogueEntry.DisclosureMode.choices, label=_("Disclosure mode")
    )
    published_after = django_filters.DateFilter(
        field_name="published_date",
        lookup_expr="gte",
        label=_("Published on or after (YYYY-MM-DD)"),
    )
    published_before = django_filters.DateFilter(
        field_name="published_date",
        lookup_expr="lte",
        label=_("Published on or before (YYYY-MM-DD)"),
    )
    ordering = django_filters.OrderingFilter(
        fields=(("published_date", "published_date"), ("title", "title"), ("id", "id")),
        label=_("Order by published_date, title or id (prefix - for descending)"),
    )

    class Meta:
        model = CatalogueEntry
        fields: list[str] = []

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        ranked = not self.data.get("ordering")
        try:
            return catalogue_entry_search(queryset, value, order="relevance" if ranked else "none")
        except SearchQueryError as error:
            raise ValidationError({"q": [str(error)]}) from error

    def filter_publisher(
        self, queryset: QuerySet, name: str, value: AdministrativeEntity
    ) -> QuerySet:
        return queryset.filter(
            pk__in=CatalogueEntry.objects.filter(
                Q(publisher=value) | Q(co_publishers=value)
            ).values("pk")
        )

    def filter_topic(self, queryset: QuerySet, name: str, value: Topic) -> QuerySet:
        return queryset.filter(Q(topic=value) | Q(topic__parent=value))

    def filter_year(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        year = int(value)
        if not 1949 <= year <= 2100:
            raise ValidationError({"year": [_("Give a year between 1949 and 2100.")]})
        return queryset.filter(
            published_date__gte=datetime.date(year, 1, 1),
            published_date__lte=datetime.date(year, 12, 31),
        )


# --- Record ids as filters (every app's API) ---

ID_MAX = 2**63 - 1  # the largest id a BigAutoField holds: beyond it the database cannot compare


class IdFilter(django_filters.NumberFilter):
    """A filter on a record's id: a number within the database's id range, else a 400.

    A plain NumberFilter passed 10**23 to the database, which raised (a 500): found by the
    API fuzzing in tests/security/test_api_fuzz.py.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("min_value", -ID_MAX)
        kwargs.setdefault("max_value", ID_MAX)
        super().__init__(*args, **kwargs)
