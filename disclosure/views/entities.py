"""Public pages for administrative entities: directory, entity page, guide, announcements.

Only announced entities are public; any other entity, or a guide version that was never
published, is a 404 (the selectors apply the visibility rule).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from disclosure.models.entities import DisclosureGuide
from disclosure.sanitize import sanitize_html
from disclosure.selectors.entities import (
    entity_announcements_current,
    entity_page_get,
    entity_public_queryset,
    entity_tree,
    guide_versions,
)


def entity_directory(request: HttpRequest) -> HttpResponse:
    """The directory of announced entities, as a tree."""
    return render(request, "disclosure/entity_directory.html", {"tree": entity_tree()})


def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An entity's page: functions, contacts, current guide, enforcement lists, latest entries.

    Two queries whatever the number of rows (disclosure.selectors.entities.entity_page_get).
    """
    page = entity_page_get(pk=pk)
    if page is None:
        raise Http404
    # The entries' links as prefix + pk: one reverse instead of one per entry (tests compare the
    # list with the catalogue's include, which calls get_absolute_url).
    entry_url = reverse("disclosure:catalogue-entry", kwargs={"pk": 0})
    return render(
        request,
        "disclosure/entity_detail.html",
        {
            "entity": page.entity,
            "guide": page.guide,
            "powers": page.powers,
            "officers": page.officers,
            "inspection_items": page.inspection_items,
            "children": page.children,
            "entries": page.entries,
            "entry_url_prefix": entry_url.removesuffix("0/"),
        },
    )


def guide_detail(request: HttpRequest, pk: int, version: int | None = None) -> HttpResponse:
    """An entity's disclosure guide (the current one, or a given version) and its history."""
    entity = get_object_or_404(entity_public_queryset(), pk=pk)
    versions = list(guide_versions(entity=entity).select_related("published_by"))
    if version is None:
        guide = next((g for g in versions if g.status == DisclosureGuide.Status.PUBLISHED), None)
    else:
        guide = next((g for g in versions if g.version == version), None)
    if guide is None:
        raise Http404
    # Sanitised on publication too; sanitising again here keeps the page safe whatever wrote
    # the row (a data migration, a bulk import).
    body = mark_safe(sanitize_html(guide.body))  # noqa: S308 - allow-list sanitised just above
    return render(
        request,
        "disclosure/guide_detail.html",
        {"entity": entity, "guide": guide, "guide_body": body, "versions": versions},
    )


def announcement_list(request: HttpRequest) -> HttpResponse:
    """The 公示 page: entities whose announcement period includes today."""
    today = timezone.localdate()
    return render(
        request,
        "disclosure/announcement_list.html",
        {"entities": entity_announcements_current(day=today), "today": today},
    )
