"""Admin for the catalogue: topics, entries (with attachments and workflow history).

Officials edit drafts of their own entities' entries (department scoping from
`disclosure.admin.scoping`); the status and everything the workflow sets is read-only. Saving
goes through `catalogue_entry_create` / `catalogue_entry_update` and the attachment actions;
workflow moves are buttons on the change page (submit, return, publish, withdraw, each with a
note) and bulk admin actions (submit, publish), all calling `disclosure.actions.catalogue`.
Refusals are shown as messages or form errors, never as server errors.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from disclosure.actions import catalogue as catalogue_actions
from disclosure.admin.entities import WorkflowAdminMixin, WorkflowStep
from disclosure.admin.scoping import EntityScopedAdminMixin
from disclosure.exceptions import TransitionNotAllowed
from disclosure.models.catalogue import (
    CatalogueAttachment,
    CatalogueEntry,
    CatalogueEntryEvent,
    Topic,
)
from disclosure.personal_data import attachments_not_scanned, catalogue_entry_findings

WORKFLOW_ERRORS = (TransitionNotAllowed, PermissionDenied, ValueError, ValidationError)
S = CatalogueEntry.Status


class TopicInUseListFilter(admin.RelatedOnlyFieldListFilter):
    """The topics in use, labelled "parent / topic", their parents read in the same query."""

    def field_choices(self, field, request: HttpRequest, model_admin: admin.ModelAdmin) -> list:
        in_use = (
            model_admin.get_queryset(request)
            .distinct()
            .values_list(f"{self.field_path}__pk", flat=True)
        )
        topics = Topic.objects.filter(pk__in=in_use).select_related("parent")
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            topics = topics.order_by(*ordering)
        return [(topic.pk, str(topic)) for topic in topics]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "parent", "sort_order"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "code"]
    ordering = ["parent__sort_order", "sort_order", "code"]


class CatalogueAttachmentInline(admin.TabularInline):
    """Attachments; the file's type is checked from its content when the form is validated."""

    model = CatalogueAttachment
    extra = 0
    fields = ["title", "file", "content_type", "size", "sort_order"]
    readonly_fields = ["content_type", "size"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status == S.DRAFT

    has_add_permission = has_change_permission  # type: ignore[assignment]
    has_delete_permission = has_change_permission  # type: ignore[assignment]


class CatalogueEntryEventInline(admin.TabularInline):
    model = CatalogueEntryEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "from_status", "to_status", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


CATALOGUE_STEPS = (
    WorkflowStep(
        "submit",
        _("Submit for confidentiality review"),
        S.IN_REVIEW,
        "disclosure.change_catalogueentry",
        (),
        lambda obj, by, data: catalogue_actions.catalogue_entry_submit_for_review(
            entry=obj, by=by, note=data["note"]
        ),
    ),
    WorkflowStep(
        "return",
        _("Return to the author"),
        S.DRAFT,
        "disclosure.review_catalogueentry",
        (),
        lambda obj, by, data: catalogue_actions.catalogue_entry_return(
            entry=obj, by=by, note=data["note"]
        ),
        note_required=True,
    ),
    WorkflowStep(
        "publish",
        _("Pass review and publish"),
        S.PUBLISHED,
        "disclosure.publish_catalogueentry",
        (),
        lambda obj, by, data: catalogue_actions.catalogue_entry_publish(
            entry=obj, by=by, note=data["note"]
        ),
    ),
    # The personal-data gate (disclosure.personal_data): shown only while an entry in review has
    # findings that no reviewer has cleared (CatalogueEntryAdmin.allowed_steps).
    WorkflowStep(
        "redact-personal-data",
        _("Redact the personal data found"),
        S.IN_REVIEW,
        "disclosure.publish_catalogueentry",
        (),
        lambda obj, by, data: catalogue_actions.catalogue_entry_redact_personal_data(
            entry=obj, by=by, note=data["note"]
        ),
    ),
    WorkflowStep(
        "confirm-no-personal-data",
        _("Confirm: no personal data"),
        S.IN_REVIEW,
        "disclosure.publish_catalogueentry",
        (),
        lambda obj, by, data: catalogue_actions.catalogue_entry_confirm_no_personal_data(
            entry=obj, by=by, note=data["note"]
        ),
    ),
    WorkflowStep(
        "withdraw",
        _("Withdraw"),
        S.WITHDRAWN,
        "disclosure.withdraw_catalogueentry",
        (),
        lambda obj, by, data: catalogue_actions.catalogue_entry_withdraw(
            entry=obj, by=by, reason=data["note"]
        ),
        note_required=True,
    ),
)

PERSONAL_DATA_STEPS = frozenset({"redact-personal-data", "confirm-no-personal-data"})

WORKFLOW_READONLY = [
    "status",
    "index_no",
    "author",
    "published_date",
    "publication_due",
    "published_late",
    "reviewed_by",
    "reviewed_at",
    "withdrawn_reason",
    "withdrawn_at",
]


@admin.register(CatalogueEntry)
class CatalogueEntryAdmin(EntityScopedAdminMixin, WorkflowAdminMixin, SimpleHistoryAdmin):
    scope_field = "publisher"
    workflow_steps = CATALOGUE_STEPS
    change_form_template = "disclosure/entity_admin_change_form.html"
    list_display = [
        "title",
        "index_no",
        "publisher",
        "topic",
        "genre",
        "status",
        "published_date",
        "published_late",
    ]
    list_select_related = ["publisher", "topic", "topic__parent"]
    list_filter = [
        "status",
        "genre",
        "validity",
        "disclosure_mode",
        "published_late",
        ("publisher", admin.RelatedOnlyFieldListFilter),
        ("topic", TopicInUseListFilter),
        "published_date",
    ]
    search_fields = ["title", "index_no", "document_no", "keywords"]
    date_hierarchy = "published_date"
    autocomplete_fields = ["publisher", "co_publishers"]
    raw_id_fields = ["amends", "repeals"]
    inlines = [CatalogueAttachmentInline, CatalogueEntryEventInline]
    actions = ["submit_selected", "publish_selected"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "publisher", "co_publishers", "document_no", "formed_date"]},
        ),
        (
            _("Classification"),
            {"fields": ["topic", "genre", "keywords", "audience", "art20_item"]},
        ),
        (pgettext_lazy("catalogue entry", "Content"), {"fields": ["summary", "body"]}),
        (
            _("Disclosure and validity"),
            {
                "fields": [
                    "disclosure_mode",
                    "exemption_reason",
                    "scope",
                    "validity",
                    "valid_until",
                    "amends",
                    "repeals",
                ]
            },
        ),
        (_("Workflow"), {"fields": WORKFLOW_READONLY}),
        (_("Personal data check"), {"fields": ["personal_data_check"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is not None and obj.status != S.DRAFT:
            # Only drafts change; published information is corrected by a new entry.
            return [
                field.name
                for field in CatalogueEntry._meta.get_fields()
                if getattr(field, "editable", False) and not field.auto_created
            ] + [*WORKFLOW_READONLY, "personal_data_check"]
        return [*WORKFLOW_READONLY, "personal_data_check"]

    @admin.display(description=_("Personal data found"))
    def personal_data_check(self, obj: CatalogueEntry | None) -> str:
        """What the personal-data scanner found in the entry, and whether a reviewer cleared it."""
        if obj is None or obj.pk is None:
            return _("Checked when the entry is published.")
        findings = catalogue_entry_findings(obj)
        unscanned = attachments_not_scanned(obj)
        parts = []
        if findings:
            cleared = catalogue_actions.catalogue_entry_personal_data_cleared(obj)
            parts.append(
                format_html(
                    "<p><strong>{}</strong></p><ul>{}</ul>",
                    _("A reviewer confirmed that these are no personal data.")
                    if cleared
                    else _(
                        "Publication waits until a reviewer redacts these numbers or confirms "
                        "that they are no personal data."
                    ),
                    format_html_join(
                        "",
                        "<li>{}: {} <code>{}</code></li>",
                        ((f.where, f.kind_label, f.masked) for f in findings),
                    ),
                )
            )
        else:
            parts.append(
                format_html(
                    "<p>{}</p>",
                    _("No resident ID, mobile or bank-card numbers found in the text."),
                )
            )
        if unscanned:
            parts.append(
                format_html(
                    "<p>{} {}</p>",
                    _("Not readable by the scanner, check by eye:"),
                    "、".join(unscanned),
                )
            )
        return format_html("{}", format_html_join("", "{}", ((part,) for part in parts)))

    def allowed_steps(self, request: HttpRequest, obj: CatalogueEntry) -> list:
        """The workflow's buttons; the personal-data ones only while findings wait for review."""
        gate_open = (
            obj.status == S.IN_REVIEW
            and bool(catalogue_entry_findings(obj))
            and not catalogue_actions.catalogue_entry_personal_data_cleared(obj)
        )
        return [
            step
            for step in self.workflow_steps
            if request.user.has_perm(step.permission)
            and (gate_open if step.name in PERSONAL_DATA_STEPS else obj.can_move_to(step.to_status))
        ]

    def _fields_from(self, form: ModelForm) -> dict[str, Any]:
        editable = catalogue_actions.EDITABLE_FIELDS | catalogue_actions.M2M_FIELDS
        return {
            name: value
            for name, value in form.cleaned_data.items()
            if name in editable and name in form.changed_data
        }

    def save_model(self, request: HttpRequest, obj: CatalogueEntry, form: ModelForm, change: bool):  # noqa: ANN201
        """Create or update the draft through the actions (sanitising, deadline, event)."""
        if change:
            fields = self._fields_from(form)
            if fields:
                catalogue_actions.catalogue_entry_update(entry=obj, by=request.user, fields=fields)
            return
        data = dict(form.cleaned_data)
        fields = {
            name: data[name]
            for name in catalogue_actions.EDITABLE_FIELDS | catalogue_actions.M2M_FIELDS
            if name in data and name not in ("publisher", "title", "formed_date")
        }
        created = catalogue_actions.catalogue_entry_create(
            by=request.user,
            publisher=data["publisher"],
            title=data["title"],
            formed_date=data["formed_date"],
            fields=fields,
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: ModelForm, formsets: list, change: bool):  # noqa: ANN201
        # The m2m relations were set by the action; only the inlines are left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ):  # noqa: ANN201
        if formset.model is not CatalogueAttachment:
            return super().save_formset(request, form, formset, change)
        entry = form.instance
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() and not formset._should_delete_form(inline_form):
                continue
            attachment = inline_form.instance
            if formset._should_delete_form(inline_form):
                if attachment.pk:
                    catalogue_actions.catalogue_attachment_remove(
                        attachment=attachment, by=request.user
                    )
                    formset.deleted_objects.append(attachment)
            elif attachment.pk is None:
                added = catalogue_actions.catalogue_attachment_add(
                    entry=entry,
                    by=request.user,
                    file=inline_form.cleaned_data["file"],
                    title=inline_form.cleaned_data.get("title", ""),
                )
                formset.new_objects.append(added)
            else:
                attachment.save(update_fields=["title", "sort_order"])
                formset.changed_objects.append((attachment, inline_form.changed_data))
        return None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An entry that was published keeps its row (its index number is never reused).
        if obj is not None and obj.status != S.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    def _bulk(
        self, request: HttpRequest, queryset: QuerySet, call: Any, done: Callable[[int], str]
    ) -> None:
        succeeded = 0
        for entry in queryset:
            try:
                call(entry)
            except WORKFLOW_ERRORS as error:
                message = "; ".join(error.messages) if isinstance(error, ValidationError) else error
                self.message_user(request, f"{entry}: {message}", messages.ERROR)
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done(succeeded), messages.SUCCESS)

    @admin.action(description=_("Submit selected entries for confidentiality review"))
    def submit_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(
            request,
            queryset,
            lambda entry: catalogue_actions.catalogue_entry_submit_for_review(
                entry=entry, by=request.user
            ),
            lambda count: (
                ngettext(
                    "%(count)d entry submitted for review.",
                    "%(count)d entries submitted for review.",
                    count,
                )
                % {"count": count}
            ),
        )

    @admin.action(description=_("Pass review and publish selected entries"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._bulk(
            request,
            queryset,
            lambda entry: catalogue_actions.catalogue_entry_publish(entry=entry, by=request.user),
            lambda count: (
                ngettext("%(count)d entry published.", "%(count)d entries published.", count)
                % {"count": count}
            ),
        )
