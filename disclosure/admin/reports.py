"""Admin for annual reports: the office's inputs, a preview of the tables and their checks.

Saving goes through `report_generate`/`report_inputs_update`; publishing and withdrawing are
admin actions calling `report_publish`/`report_withdraw` (publishing is refused, with the
failed checks listed, while the form's reconciliations do not hold).
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from disclosure.actions import reports as report_actions
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.reports import AnnualReport
from disclosure.selectors.reports import (
    report_checks,
    report_display_tables,
    report_previous_tables,
    report_table3_rows,
)


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ["year", "entity", "template_version", "status", "published_at"]
    list_filter = ["status", "year"]
    list_select_related = ["entity"]
    readonly_fields = ["status", "template_version", "published_at", "checks", "table3_preview"]
    fields = [
        "entity",
        "year",
        "template_version",
        "status",
        "published_at",
        "section_overview",
        "rules_issued",
        "rules_repealed",
        "rules_in_force",
        "licensing_decisions",
        "penalty_decisions",
        "coercion_decisions",
        "fees_collected",
        "section_problems",
        "section_other",
        "checks",
        "table3_preview",
    ]
    actions = ["publish", "withdraw"]

    def get_fields(self, request, obj=None):  # noqa: ANN001, ANN201
        """The 2019 trial format's Table 二 inputs only on a report in that format, or a new one."""
        fields = list(self.fields)
        if obj is None or obj.template_version == "2019":
            at = fields.index("fees_collected") + 1
            fields[at:at] = report_actions.FORMAT_2019_FIELDS
        return fields

    def get_readonly_fields(self, request, obj=None):  # noqa: ANN001, ANN201
        fields = list(self.readonly_fields)
        if obj is not None:
            fields += ["entity", "year"]
        return fields

    @admin.display(description=_("Checks of the form"))
    def checks(self, obj: AnnualReport) -> str:
        if obj.pk is None:
            return "-"
        tables = report_display_tables(obj)
        errors = report_checks(
            tables, report_previous_tables(year=obj.year, entity_id=obj.entity_id)
        )
        if not errors:
            return str(_("All checks pass."))
        return format_html_join("\n", "<p>{}</p>", ((e.message,) for e in errors))

    @admin.display(description=_("Table 3 (preview)"))
    def table3_preview(self, obj: AnnualReport) -> str:
        if obj.pk is None:
            return "-"
        rows = report_table3_rows(report_display_tables(obj))
        return format_html_join(
            "\n",
            "<div>{}: {}</div>",
            (
                (row["label"], " / ".join(str(v) for v in row["values"]))
                for row in rows
                if row["values"]
            ),
        )

    def save_model(self, request: HttpRequest, obj: AnnualReport, form, change: bool) -> None:  # noqa: ANN001
        report = (
            obj
            if change
            else report_actions.report_generate(entity=obj.entity, year=obj.year, by=request.user)
        )
        values = {
            f: form.cleaned_data[f] for f in report_actions.INPUT_FIELDS if f in form.cleaned_data
        }
        updated = report_actions.report_inputs_update(report=report, by=request.user, values=values)
        obj.pk = updated.pk

    @admin.action(description=_("Publish the selected reports"))
    def publish(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        for report in queryset:
            try:
                report_actions.report_publish(report=report, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{report}: " + " ".join(error.messages), messages.ERROR)
            except (TransitionNotAllowed, PermissionDenied) as error:
                self.message_user(request, f"{report}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"{report}: {_('published')}", messages.SUCCESS)

    @admin.action(description=_("Withdraw the selected reports for correction"))
    def withdraw(self, request: HttpRequest, queryset) -> None:  # noqa: ANN001
        for report in queryset:
            try:
                report_actions.report_withdraw(
                    report=report, by=request.user, note=str(_("Withdrawn for correction."))
                )
            except (ValidationError, TransitionNotAllowed, PermissionDenied) as error:
                self.message_user(request, f"{report}: {error}", messages.ERROR)
