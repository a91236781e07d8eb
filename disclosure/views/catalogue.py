"""Public pages of the government-information catalogue (政府信息公开目录).

The list (/catalogue/) with search, facets, sorting and pagination; the entry page
(/catalogue/entries/<pk>/, stable: the primary key never changes, a title may), which for a
withdrawn entry shows the withdrawal notice with status 410 Gone; and a redirect from an index
number (/catalogue/index/<索引号>/) to the entry page. Visibility lives in the selectors.
"""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from disclosure.models.catalogue import CatalogueEntry
from disclosure.sanitize import sanitize_html
from disclosure.search import SearchQueryError
from disclosure.selectors.catalogue import (
    CatalogueFilters,
    FacetValue,
    catalogue_entry_get_public,
    catalogue_entry_list,
    catalogue_entry_page,
    catalogue_entry_pk_for_index_no,
    catalogue_entry_relations,
    catalogue_facets,
    catalogue_facets_total,
    catalogue_filters_empty,
    catalogue_list_known_count,
)

FACETS: tuple[tuple[str, Any], ...] = (
    ("publisher", _("Publisher")),
    ("topic", _("Topic")),
    ("genre", _("Genre")),
    ("year", _("Year")),
    ("validity", _("Validity")),
    ("disclosure_mode", _("Disclosure mode")),
)

SORT_CHOICES = [
    ("relevance", _("Relevance")),
    ("date", _("Newest first")),
    ("date_asc", _("Oldest first")),
    ("title", _("Title")),
]


class CatalogueSearchForm(forms.Form):
    """The catalogue's query string: search text, facets and sort, each validated."""

    q = forms.CharField(label=_("Search government information"), required=False, strip=True)
    # An id past the database's 64-bit range is a field error, not an overflow (issue 10).
    publisher = forms.IntegerField(
        label=_("Publisher"), required=False, min_value=1, max_value=2**63 - 1
    )
    topic = forms.IntegerField(label=_("Topic"), required=False, min_value=1, max_value=2**63 - 1)
    genre = forms.ChoiceField(
        label=_("Genre"), required=False, choices=[("", "")] + CatalogueEntry.Genre.choices
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1949, max_value=2100)
    validity = forms.ChoiceField(
        label=_("Validity"), required=False, choices=[("", "")] + CatalogueEntry.Validity.choices
    )
    disclosure_mode = forms.ChoiceField(
        label=_("Disclosure mode"),
        required=False,
        choices=[("", "")] + CatalogueEntry.DisclosureMode.choices,
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)


def _query_string(params: dict[str, Any], **changes: Any) -> str:
    """The list's query string with some parameters changed (None removes one), page reset."""
    merged = {**params, **changes}
    merged.pop("page", None)
    return "?" + urlencode({key: value for key, value in merged.items() if value not in (None, "")})


# A facet lists its most frequent values (and the chosen one): at a million entries there are
# a thousand publishers, and a link for each cost more to render than the rest of the page.
# Every publisher is in the directory of entities, each with its latest entries.
FACET_VALUES_SHOWN = 30


def _facet_groups(
    facets: dict[str, list[FacetValue]], params: dict[str, Any]
) -> list[dict[str, Any]]:
    groups = []
    for name, label in FACETS:
        current = str(params.get(name) or "")
        every = facets.get(name, [])
        shown = [
            value
            for rank, value in enumerate(every)
            if rank < FACET_VALUES_SHOWN or str(value.value) == current
        ]
        values = [
            {
                "label": value.label,
                "count": value.count,
                "selected": str(value.value) == current,
                "url": _query_string(
                    params, **{name: None if str(value.value) == current else value.value}
                ),
            }
            for value in shown
        ]
        groups.append(
            {
                "name": name,
                "label": label,
                "values": values,
                "more": len(every) - len(shown),
                "clear_url": _query_string(params, **{name: None}) if current else "",
            }
        )
    return groups


def catalogue_list(request: HttpRequest) -> HttpResponse:
    """The catalogue: search box, facet counts over the filtered set, sort, pagination.

    A bad parameter (a facet value that is not one, a search the search engine refuses) is
    shown as a field error on the form with status 400, never a server error.
    """
    form = CatalogueSearchForm(request.GET or None)
    status = 200
    params: dict[str, Any] = {}
    filters = CatalogueFilters()
    if form.is_bound:
        if form.is_valid():
            params = {key: value for key, value in form.cleaned_data.items() if value}
            filters = CatalogueFilters.from_mapping(params)
        else:
            status = 400
    context: dict[str, Any] = {"form": form, "search_query": request.GET.get("q", "")[:200]}
    if status == 200:
        try:
            entries = catalogue_entry_list(filters=filters)
        except SearchQueryError as error:
            form.add_error("q", str(error))
            status = 400
    if status == 200:
        if catalogue_filters_empty(filters):
            # The whole catalogue: facets from the maintained counts, which also give the total.
            facets = catalogue_facets(filters, shown=FACET_VALUES_SHOWN)
            # (None or 0: no counts kept yet, e.g. after a bulk load: count the entries.)
            total = catalogue_facets_total(facets) or None
            page = catalogue_entry_page(entries, page=request.GET.get("page"), known_count=total)
        else:
            known = catalogue_list_known_count(filters)
            page = catalogue_entry_page(entries, page=request.GET.get("page"), known_count=known)
            # Counted per value only for a small set (decided by the page's capped count).
            facets = catalogue_facets(
                filters,
                counted=not page.paginator.capped,
                results=entries,
                shown=FACET_VALUES_SHOWN,
            )
        context.update(
            page=page,
            entries=page.object_list,
            facets_counted=all(
                value.count is not None for values in facets.values() for value in values
            ),
            facet_groups=_facet_groups(facets, params),
            sort=filters.sort or ("relevance" if filters.q else "date"),
            sort_links=[
                {"value": value, "label": label, "url": _query_string(params, sort=value)}
                for value, label in SORT_CHOICES
                if value != "relevance" or filters.q
            ],
            page_query=_query_string(params).lstrip("?"),
            feed_links=_feed_links(filters),
        )
    else:
        context.update(entries=[], facet_groups=[], feed_links=_feed_links(CatalogueFilters()))
    return render(request, "disclosure/catalogue_list.html", context, status=status)


def _feed_links(filters: CatalogueFilters) -> list[dict[str, str]]:
    """Atom feeds for <link rel="alternate">: the catalogue, and the chosen publisher's."""
    links = [{"url": reverse("disclosure:catalogue-feed"), "title": str(_("Latest information"))}]
    if filters.publisher:
        links.append(
            {
                "url": reverse(
                    "disclosure:catalogue-feed-entity", kwargs={"pk": filters.publisher}
                ),
                "title": str(_("Latest information of this publisher")),
            }
        )
    return links


def catalogue_entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An entry's page: the metadata table as Chinese portals show it, body, attachments, links.

    A withdrawn entry keeps its URL: the page says it was withdrawn, when and why, shows its
    identifying metadata only, and answers 410 Gone. Drafts and entries in review are 404.
    Two queries for a published entry (the entry; its related rows), one for a withdrawn one.
    """
    try:
        entry = catalogue_entry_get_public(pk=pk)
    except CatalogueEntry.DoesNotExist as error:
        raise Http404(_("No such government information.")) from error
    if entry.is_withdrawn:
        return render(request, "disclosure/entry_withdrawn.html", {"entry": entry}, status=410)
    feed_links = [
        {
            "url": reverse("disclosure:catalogue-feed-entity", kwargs={"pk": entry.publisher_id}),
            "title": str(_("Latest information of %(publisher)s"))
            % {"publisher": entry.publisher.name},
        }
    ]
    if entry.topic_id:
        feed_links.append(
            {
                "url": reverse(
                    "disclosure:catalogue-feed-topic", kwargs={"code": entry.topic.code}
                ),
                "title": str(_("Latest information on %(topic)s")) % {"topic": entry.topic.name},
            }
        )
    # Bodies are sanitised when written; sanitising again on display guards rows that reached
    # the table another way (a bulk load, a restore), as the guide pages do.
    body = mark_safe(sanitize_html(entry.body))  # noqa: S308 - allow-list sanitised just here
    relations = catalogue_entry_relations(entry=entry)
    entity_url = _url_by_pk("disclosure:entity-detail")
    for co_publisher in relations.co_publishers:
        co_publisher["url"] = entity_url(co_publisher["pk"])
    if relations.attachments:
        attachment_url = _url_by_pk("disclosure:catalogue-attachment", "attachment_pk", pk=entry.pk)
        for attachment in relations.attachments:
            attachment["url"] = attachment_url(attachment["pk"])
    related = relations.amends + relations.amended_by + relations.repeals + relations.repealed_by
    if related:
        entry_url = _url_by_pk("disclosure:catalogue-entry")
        for other in related:
            other["url"] = entry_url(other["pk"])
    context = {
        "entry": entry,
        "body": body,
        "feed_links": feed_links,
        "publisher_url": entity_url(entry.publisher_id),
        "relations": relations,
        "has_related": bool(related),
    }
    return render(request, "disclosure/entry_detail.html", context)


# A primary key no row has, reversed once per list of links; each link then replaces it (one
# reverse() per page instead of one {% url %} per row; the language prefix stays right).
_PK_PLACEHOLDER = 2**62 + 12345


def _url_by_pk(viewname: str, key: str = "pk", **kwargs: Any) -> Callable[[int], str]:
    """A function giving the URL of `viewname` for a primary key, its other arguments fixed."""
    head, _placeholder, tail = reverse(
        viewname, kwargs={**kwargs, key: _PK_PLACEHOLDER}
    ).rpartition(str(_PK_PLACEHOLDER))
    return lambda pk: f"{head}{pk}{tail}"


def catalogue_entry_by_index_no(request: HttpRequest, index_no: str) -> HttpResponseRedirect:
    """Redirect an index number (索引号, immutable) to its entry's page."""
    pk = catalogue_entry_pk_for_index_no(index_no=index_no)
    if pk is None:
        raise Http404(_("No government information has this index number."))
    return HttpResponseRedirect(reverse("disclosure:catalogue-entry", kwargs={"pk": pk}))
