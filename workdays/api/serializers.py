"""Input and output serializers of the workdays API."""

import datetime

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from workdays.calendar import SPAN_FIRST, SPAN_LAST, Pause
from workdays.models import CalendarDay

MAX_DAYS = 1000


@extend_schema_field(OpenApiTypes.STR)
class PauseField(serializers.Field):
    """A pause written as FIRST/LAST, two ISO dates, e.g. 2025-10-20/2025-10-24."""

    default_error_messages = {
        "invalid": _("Write a pause as two dates, first/last, e.g. 2025-10-20/2025-10-24."),
        "order": _("A pause cannot end before it begins."),
    }

    def to_internal_value(self, data: str) -> Pause:
        try:
            first_text, last_text = str(data).split("/")
            first = datetime.date.fromisoformat(first_text.strip())
            last = datetime.date.fromisoformat(last_text.strip())
        except ValueError:
            self.fail("invalid")
        if last < first:
            self.fail("order")
        return Pause(first, last)

    def to_representation(self, value: Pause) -> str:
        return f"{value.first.isoformat()}/{value.last.isoformat()}"


class DeadlineQuerySerializer(serializers.Serializer):
    """The deadline endpoint's query: start date, working days and optional pauses."""

    start = serializers.DateField(
        help_text=_("Day 0 of the count (YYYY-MM-DD); the next working day is day 1.")
    )
    days = serializers.IntegerField(
        min_value=0, max_value=MAX_DAYS, help_text=_("Number of working days.")
    )
    pause = serializers.ListField(
        child=PauseField(),
        required=False,
        default=list,
        help_text=_("Repeatable: a stretch FIRST/LAST during which the clock stops."),
    )

    def validate_start(self, value: datetime.date) -> datetime.date:
        # Leave room for the count itself inside the calendar's range.
        if not SPAN_FIRST <= value <= SPAN_LAST - datetime.timedelta(days=3 * 366):
            raise serializers.ValidationError(_("The start date is outside the supported range."))
        return value


class DerivationStepSerializer(serializers.Serializer):
    kind = serializers.CharField()
    first = serializers.DateField(allow_null=True)
    last = serializers.DateField(allow_null=True)
    name = serializers.CharField()
    days = serializers.IntegerField()
    workdays = serializers.IntegerField()
    year = serializers.IntegerField(allow_null=True)
    text = serializers.SerializerMethodField()

    def get_text(self, step) -> str:
        return step.text()


class DerivationSerializer(serializers.Serializer):
    steps = DerivationStepSerializer(many=True)
    text = serializers.CharField()


class DeadlineSerializer(serializers.Serializer):
    """A computed deadline."""

    start = serializers.DateField()
    workdays = serializers.IntegerField()
    pauses = serializers.ListField(child=PauseField())
    due_date = serializers.DateField()
    provisional = serializers.BooleanField(
        help_text=_("True when the count reaches into a year whose schedule is not loaded.")
    )
    not_loaded_years = serializers.ListField(child=serializers.IntegerField())
    derivation = DerivationSerializer()


class CalendarDaySerializer(serializers.ModelSerializer):
    """A holiday or make-up working day."""

    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "source_notice_url"]
