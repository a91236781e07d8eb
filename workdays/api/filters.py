"""Filters of the workdays API."""

import django_filters

from workdays.models import CalendarDay


class CalendarDayFilter(django_filters.FilterSet):
    """Filter calendar days by year and kind."""

    year = django_filters.NumberFilter(
        field_name="date", lookup_expr="year", min_value=1949, max_value=9999
    )
    kind = django_filters.ChoiceFilter(choices=CalendarDay.Kind.choices)

    class Meta:
        model = CalendarDay
        fields = ["year", "kind"]
