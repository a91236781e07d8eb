"""Public pages for public institutions (公用事业单位办事公开), and two pages for officials.

Public: /institutions/ (sectors and supervising departments), a sector's institutions ranked by
completeness, a department's institutions, an institution's page (items, fees, commitments,
supervision phone, a link to complain about it), the fee search and a sector's fee comparison,
and the completeness ranking of every sector. Inactive institutions, unpublished items and fees
not in force do not appear (the selectors apply the rule).

Officials (logged-in staff, scoped by `institution_ids_for_official`): what is missing or stale
for each institution they keep, and the fee self-inspection (治理"三乱").
"""

import datetime
from decimal import Decimal

from django import forms
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from disclosure.models.entities import AdministrativeEntity
from disclosure.models.institutions import FeeItem, PublicInstitution, Sector
from disclosure.sanitize import sanitize_html
from disclosure.selectors.institutions import (
    completeness_for_official,
    completeness_of,
    completeness_ranking,
    fee_search,
    fee_self_inspection,
    institution_list,
    institution_page,
    sector_fee_comparison,
    sector_fee_table,
    sector_list,
    supervising_departments,
)

FEES_PER_PAGE = 50
COMPLAINT_URL = "/complaints/new/"


class FeeSearchForm(forms.Form):
    """The fee search's parameters; a bad value is a field error, never a 500."""

    q = forms.CharField(label=_("Fee or institution"), max_length=50, required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("All sectors"),
    )
    category = forms.ChoiceField(
        label=_("Category"),
        choices=[("", _("All categories")), *FeeItem.Category.choices],
        required=False,
    )
    unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", _("All units")), *FeeItem.Unit.choices], required=False
    )
    max_amount = forms.DecimalField(
        label=_("At most (yuan)"),
        min_value=Decimal("0"),
        max_digits=10,
        decimal_places=2,
        required=False,
    )


def institution_index(request: HttpRequest) -> HttpResponse:
    """Sectors, supervising departments and the fee search: the section's front page."""
    return render(
        request,
        "disclosure/institution_index.html",
        {
            "sectors": sector_list(),
            "departments": supervising_departments(),
            "form": FeeSearchForm(),
        },
    )


def sector_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A sector's institutions, ranked by the completeness of their disclosures."""
    sector = get_object_or_404(Sector, code=code)
    ranking = completeness_ranking(sector=sector)
    rows = ranking[0][1] if ranking else []
    return render(request, "disclosure/sector_detail.html", {"sector": sector, "rows": rows})


def sector_fees(request: HttpRequest, code: str) -> HttpResponse:
    """A sector's fee comparison: each fee's lowest and highest amounts, then every fee."""
    sector = get_object_or_404(Sector, code=code)
    return render(
        request,
        "disclosure/sector_fees.html",
        {
            "sector": sector,
            "comparison": sector_fee_comparison(sector=sector),
            "fees": sector_fee_table(sector=sector),
        },
    )


def department_institutions(request: HttpRequest, pk: int) -> HttpResponse:
    """The institutions one department supervises."""
    department = get_object_or_404(AdministrativeEntity.objects.announced(), pk=pk)
    institutions = institution_list(department_id=department.pk)
    return render(
        request,
        "disclosure/institution_department.html",
        {"department": department, "institutions": institutions},
    )


def completeness_page(request: HttpRequest) -> HttpResponse:
    """Every sector's institutions ranked by completeness."""
    return render(
        request,
        "disclosure/institution_completeness.html",
        {"ranking": completeness_ranking(), "today": timezone.localdate()},
    )


def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An institution's page: contacts, each published item, fee table, completeness."""
    today = timezone.localdate()
    # Loaded as `institution_detail_queryset` loads it, in one fixed statement (a cold render).
    institution = institution_page(pk=pk, day=today)
    if institution is None:
        raise Http404(f"No {PublicInstitution._meta.object_name} matches the given query.")
    return render(
        request,
        "disclosure/institution_detail.html",
        institution_detail_context(institution=institution, today=today),
    )


def institution_detail_context(*, institution: PublicInstitution, today: datetime.date) -> dict:
    """The institution page's context, from an institution loaded by `institution_page` (or
    `institution_detail_queryset`).

    Rows are plain dicts with what each cell shows: dates as `|date:"Y-m-d"` would print them
    (ISO dates) and choice labels in the active language, so that the template does no filter,
    display method or include per row (they were most of a cold render's template time).
    """
    items = [
        {
            "pk": item.pk,
            "kind": item.kind.name,
            "updated": item.last_updated.isoformat(),
            "due": item.next_review_due.isoformat(),
            # Sanitised when saved; again here so that whatever wrote the row, the page is safe.
            "content": mark_safe(sanitize_html(item.content)),  # noqa: S308 - allow-list sanitised
            "stale": item.is_stale_on(today),
        }
        for item in sorted(
            institution.published_items, key=lambda i: (i.kind.sort_order, i.kind.code)
        )
    ]
    categories, units = dict(FeeItem.Category.choices), dict(FeeItem.Unit.choices)
    fees = [
        {
            "name": fee.name,
            "category": str(categories.get(fee.category, fee.category)),
            "is_range": fee.is_range,
            "amount_min": fee.amount_min,
            "amount_max": fee.amount_max,
            "unit": str(units.get(fee.unit, fee.unit)),
            "legal_basis": fee.legal_basis,
            "approval_document": fee.approval_document,
            "valid_from": fee.valid_from.isoformat(),
            "valid_to": fee.valid_to.isoformat() if fee.valid_to else "",
        }
        for fee in institution.fees_in_force
    ]
    return {
        "institution": institution,
        "sector_url": reverse("disclosure:sector-detail", args=[institution.sector.code]),
        "items": items,
        "fees": fees,
        "completeness": completeness_of(institution=institution, today=today),
        "complaint_url": f"{COMPLAINT_URL}?institution={institution.pk}",
    }


def fee_search_page(request: HttpRequest) -> HttpResponse:
    """Search every institution's published fees (学费, 挂号, 床位 …), paginated."""
    form = FeeSearchForm(request.GET or None)
    page = None
    searched = bool(request.GET)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        results = fee_search(
            q=data["q"] or "",
            sector=data["sector"],
            category=data["category"] or "",
            unit=data["unit"] or "",
            max_amount=data["max_amount"],
        )
        page = Paginator(results, FEES_PER_PAGE).get_page(request.GET.get("page"))
    status = 400 if form.is_bound and not form.is_valid() else 200
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "disclosure/fee_search.html",
        {"form": form, "page": page, "searched": searched, "query_string": params.urlencode()},
        status=status,
    )


@staff_member_required
def institution_review(request: HttpRequest) -> HttpResponse:
    """For officials: exactly what each institution they keep is missing or has let go stale."""
    return render(
        request,
        "disclosure/institution_review.html",
        {"rows": completeness_for_official(user=request.user), "today": timezone.localdate()},
    )


@staff_member_required
def fee_self_inspection_page(request: HttpRequest) -> HttpResponse:
    """For officials: the 治理"三乱" self-inspection, every fee by its basis, flagged if none."""
    fees = list(fee_self_inspection(user=request.user))
    without = sum(1 for fee in fees if not fee.has_basis)
    return render(
        request,
        "disclosure/fee_self_inspection.html",
        {"fees": fees, "without_basis": without},
    )
