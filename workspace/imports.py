"""Bulk import with a dry-run preview and row-level errors, at `<admin>/import/<kind>/`.

An official uploads a CSV or XLSX file for one kind of record; the portal imports it inside a
transaction that is rolled back (the dry run) and shows, line by line, what would be created,
updated or left alone and every error on its line. Confirming imports the same file for real,
all or nothing. Rows are written by the apps' actions through their resources
(disclosure.resources.ActionResource), on behalf of the official and within their departments.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import tablib
from django import forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from import_export.resources import ModelResource

MAX_IMPORT_BYTES = 5 * 1024 * 1024
SIGNING_SALT = "workspace.imports"


@dataclass(frozen=True)
class ImportKind:
    """One kind of record that officials may import."""

    slug: str
    label: Any
    model_path: str
    resource_path: str

    @property
    def model(self) -> type[models.Model]:
        from django.apps import apps

        return apps.get_model(self.model_path)

    @property
    def resource_class(self) -> type[ModelResource]:
        return import_string(self.resource_path)


KINDS: dict[str, ImportKind] = {
    kind.slug: kind
    for kind in (
        ImportKind(
            "entities",
            _("Administrative entities"),
            "disclosure.AdministrativeEntity",
            "disclosure.resources.AdministrativeEntityResource",
        ),
        ImportKind(
            "institutions",
            _("Public institutions"),
            "disclosure.PublicInstitution",
            "disclosure.resources.PublicInstitutionResource",
        ),
        ImportKind(
            "fee-items",
            _("Fee items"),
            "disclosure.FeeItem",
            "disclosure.resources.FeeItemResource",
        ),
        ImportKind(
            "service-items",
            _("Service items"),
            "services.ServiceItem",
            "services.resources.ServiceItemResource",
        ),
        ImportKind(
            "catalogue-entries",
            _("Catalogue entries"),
            "disclosure.CatalogueEntry",
            "disclosure.resources.CatalogueEntryResource",
        ),
    )
}


class ImportFileError(ValueError):
    """The uploaded file cannot be read as a table."""


def dataset_from_bytes(raw: bytes, *, name: str) -> tablib.Dataset:
    """Read an uploaded CSV (UTF-8, with or without BOM, or GB18030 from Chinese Excel) or XLSX."""
    if name.lower().endswith(".xlsx"):
        try:
            return tablib.Dataset().load(raw, format="xlsx")
        except Exception as error:  # openpyxl raises many kinds for a damaged workbook
            raise ImportFileError(_("The file is not a readable Excel workbook.")) from error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(_("The file is not text in UTF-8 or GB18030."))
    try:
        dataset = tablib.Dataset().load(text, format="csv")
    except Exception as error:  # tablib/csv raise several kinds for a malformed file
        raise ImportFileError(_("The file is not a readable CSV table.")) from error
    if not dataset.headers:
        raise ImportFileError(_("The file has no header row."))
    return dataset


def import_dataset(kind: ImportKind, dataset: tablib.Dataset, *, user: Any, dry_run: bool):
    """Import `dataset` as `kind` on behalf of `user`: all rows or, on any error, none."""
    resource = kind.resource_class(user=user)
    return resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        collect_failed_rows=False,
        rollback_on_validation_errors=True,
    )


@dataclass
class PreviewLine:
    """One line of the preview: its line in the file, what happens to it, and any errors."""

    line: int
    action: str
    record: str
    errors: list[str]


ACTION_LABELS = {
    "new": _("new"),
    "update": _("update"),
    "skip": _("unchanged"),
    "delete": _("delete"),
    "error": _("error"),
    "invalid": _("error"),
}


def preview_lines(result: Any) -> list[PreviewLine]:
    """The result's rows as lines of the file (line 1 is the header)."""
    lines = []
    for number, row in enumerate(result.rows, start=2):
        errors: list[str] = []
        if row.validation_error is not None:
            error = row.validation_error
            if hasattr(error, "message_dict"):
                for field, field_messages in error.message_dict.items():
                    prefix = "" if field == "__all__" else f"{field}: "
                    errors += [prefix + str(message) for message in field_messages]
            else:
                errors += [str(message) for message in error.messages]
        errors += [str(failure.error) for failure in row.errors]
        lines.append(
            PreviewLine(
                line=number,
                action=str(ACTION_LABELS.get(row.import_type, row.import_type)),
                record=row.object_repr or "",
                errors=errors,
            )
        )
    return lines


class ImportForm(forms.Form):
    """The file to import."""

    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_("The first row names the columns, as in an export of the same list."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 5 MB."), code="too_large")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."), code="extension")
        return upload


def _may_import(user: Any, model: type[models.Model]) -> bool:
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.add_{opts.model_name}") or user.has_perm(
        f"{opts.app_label}.change_{opts.model_name}"
    )


def import_url_for(model: type[models.Model], user: Any, *, site: Any) -> str | None:
    """The import page for `model`'s kind, if it has one and `user` may import; else None."""
    for kind in KINDS.values():
        if kind.model_path.lower() == model._meta.label_lower and _may_import(user, model):
            return reverse(f"{site.name}:workspace_import", args=[kind.slug])
    return None


def import_view(request: HttpRequest, kind: str, *, site: Any) -> HttpResponse:
    """Upload → dry-run preview with row-level errors → confirm → import (all or nothing)."""
    import_kind = KINDS.get(kind)
    if import_kind is None or not _may_import(request.user, import_kind.model):
        raise Http404
    context: dict[str, Any] = {
        **site.each_context(request),
        "kind": import_kind,
        "title": _("Import: %(kind)s") % {"kind": import_kind.label},
        "opts": import_kind.model._meta,
        "columns": [
            field.column_name
            for field in import_kind.resource_class(user=request.user).get_import_fields()
        ],
    }
    form = ImportForm()
    if request.method == "POST" and "confirm" in request.POST:
        try:
            payload = signing.loads(
                request.POST.get("payload", ""), salt=SIGNING_SALT, max_age=3600
            )
            if payload["kind"] != kind or payload["user"] != request.user.pk:
                raise signing.BadSignature
            dataset = dataset_from_bytes(base64.b64decode(payload["data"]), name=payload["name"])
        except (signing.BadSignature, KeyError, ImportFileError):
            messages.error(request, _("The preview has expired; upload the file again."))
            return HttpResponseRedirect(request.path)
        result = import_dataset(import_kind, dataset, user=request.user, dry_run=False)
        if not (result.has_errors() or result.has_validation_errors()):
            totals = result.totals
            messages.success(
                request,
                _("Imported: %(new)s new, %(update)s updated, %(skip)s unchanged.")
                % {"new": totals["new"], "update": totals["update"], "skip": totals["skip"]},
            )
            opts = import_kind.model._meta
            return HttpResponseRedirect(
                reverse(f"{site.name}:{opts.app_label}_{opts.model_name}_changelist")
            )
        context.update(lines=preview_lines(result), has_errors=True)
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            raw = upload.read()
            try:
                dataset = dataset_from_bytes(raw, name=upload.name)
            except ImportFileError as error:
                form.add_error("file", str(error))
            else:
                result = import_dataset(import_kind, dataset, user=request.user, dry_run=True)
                has_errors = result.has_errors() or result.has_validation_errors()
                context.update(lines=preview_lines(result), has_errors=has_errors)
                if not has_errors:
                    context["payload"] = signing.dumps(
                        {
                            "kind": kind,
                            "user": request.user.pk,
                            "name": upload.name,
                            "data": base64.b64encode(raw).decode("ascii"),
                        },
                        salt=SIGNING_SALT,
                        compress=True,
                    )
    context["form"] = form
    return render(request, "workspace/import.html", context)


def import_index_view(request: HttpRequest, *, site: Any) -> HttpResponse:
    """The kinds of record the official may import."""
    kinds = [kind for kind in KINDS.values() if _may_import(request.user, kind.model)]
    context = {**site.each_context(request), "title": _("Import"), "kinds": kinds}
    return render(request, "workspace/import_index.html", context)
