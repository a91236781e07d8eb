"""CSV and XLSX export of any admin list, scoped exactly as the list, without personal data.

Two admin actions added site-wide (workspace.login_site): they export the rows the official
selected (or all rows of the filtered list) from the model admin's own `get_queryset`, so an
officer exports only what their list shows. The columns come from the app's `resources.py`
(a django-import-export ModelResource for the model) or, where an app declares none, from all
the model's fields; either way the personal fields below are never written.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.resources import ModelResource, modelresource_factory

# Fields that never leave the portal in an export: people's identities, contacts and secrets.
PERSONAL_FIELDS: dict[str, frozenset[str]] = {
    "complaints.complaint": frozenset(
        {"complainant_name", "complainant_mobile", "complainant_email"}
    ),
    "complaints.supervisor": frozenset({"phone", "email", "address"}),
    "complaints.open311key": frozenset({"key"}),
    "disclosure.informationrequest": frozenset(
        {
            "applicant_name",
            "id_type",
            "id_number",
            "contact_phone",
            "contact_email",
            "contact_address",
        }
    ),
    "services.servicecase": frozenset({"applicant_name", "applicant_contact"}),
    "services.rating": frozenset({"rater_name", "rater_phone"}),
    "otp_totp.totpdevice": frozenset({"key"}),
}
# Secrets by name, on whatever model they appear.
SECRET_FIELDS = frozenset({"password", "tracking_password_hash"})

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def personal_fields(model: type[models.Model]) -> frozenset[str]:
    """The fields of `model` that an export must leave out."""
    return PERSONAL_FIELDS.get(model._meta.label_lower, frozenset()) | SECRET_FIELDS


def resource_for(model: type[models.Model]) -> type[ModelResource]:
    """The ModelResource for `model` from its app's resources.py, else one over all its fields."""
    try:
        module = importlib.import_module(f"{model._meta.app_config.name}.resources")
    except ModuleNotFoundError:
        module = None
    if module is not None:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, ModelResource)
                and value is not ModelResource
                and getattr(value._meta, "model", None) is model
                and getattr(value, "for_export", True)
            ):
                return value
    excluded = [f.name for f in model._meta.get_fields() if f.name in personal_fields(model)]
    return modelresource_factory(model, meta_options={"exclude": excluded})


def export_dataset(model_admin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet):
    """The rows of `queryset` the admin list shows `request.user`, as a tablib Dataset."""
    model = model_admin.model
    scoped = model_admin.get_queryset(request).filter(pk__in=queryset.values("pk"))
    # Each row names its related records: load them with the rows, not one query per row.
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    many = [f.name for f in model._meta.many_to_many]
    scoped = scoped.select_related(*relations).prefetch_related(*many).order_by("pk")
    dataset = resource_for(model)().export(queryset=scoped)
    forbidden = personal_fields(model)
    for header in list(dataset.headers or []):
        if header in forbidden:
            del dataset[header]
    return dataset


def _filename(model: type[models.Model], extension: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{model._meta.app_label}-{model._meta.model_name}-{stamp}.{extension}"


@admin.action(description=_("Export selected as CSV"), permissions=["view"])
def export_csv(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet
) -> HttpResponse:
    """Download the selected rows as CSV (UTF-8 with a byte-order mark, so Excel reads Chinese)."""
    dataset = export_dataset(model_admin, request, queryset)
    response = HttpResponse("\ufeff" + dataset.export("csv"), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(model_admin.model, "csv")}"'
    )
    return response


@admin.action(description=_("Export selected as Excel (XLSX)"), permissions=["view"])
def export_xlsx(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet
) -> HttpResponse:
    """Download the selected rows as an Excel workbook."""
    dataset = export_dataset(model_admin, request, queryset)
    response = HttpResponse(dataset.export("xlsx"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="{_filename(model_admin.model, "xlsx")}"'
    )
    return response


def export_rows(dataset: Any) -> list[dict[str, Any]]:
    """A Dataset's rows as dicts (used by tests and the round trip)."""
    return [dict(zip(dataset.headers, row, strict=True)) for row in dataset]
