"""Template tags of the catalogue, for pages other apps' engineers own.

`{% load catalogue %}{% catalogue_entity_entries entity %}` shows an entity's latest published
entries, a link to all of them and its Atom feed (used by disclosure/entity_detail.html).
"""

from typing import Any

from django import template

from disclosure.models.entities import AdministrativeEntity
from disclosure.selectors.catalogue import catalogue_entries_of_publisher

register = template.Library()

ENTITY_ENTRIES = 10


@register.inclusion_tag("disclosure/catalogue_entity_entries.html")
def catalogue_entity_entries(entity: AdministrativeEntity) -> dict[str, Any]:
    """The entity's latest published entries (one query), for its entity page."""
    return {
        "entity": entity,
        "entries": catalogue_entries_of_publisher(publisher=entity, limit=ENTITY_ENTRIES),
    }
