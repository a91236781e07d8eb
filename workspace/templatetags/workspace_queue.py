"""Template tags of the officials' workspace: the queue's counts on the admin index."""

from django import template

from workspace.selectors.queue import KindCount, queue_counts

register = template.Library()


@register.simple_tag(takes_context=True)
def workspace_queue_counts(context: template.Context) -> list[KindCount]:
    """The signed-in official's queue counts per kind (empty without a request user)."""
    request = context.get("request")
    if request is None:
        return []
    return queue_counts(request.user)
