"""Department scoping: which entities' records an official may keep.

One mechanism for every surface (admin, officials' pages, API, exports): each asks
`entity_ids_for_official(user)` and filters by it.
"""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from disclosure.models import AdministrativeEntity
from disclosure.models.memberships import EntityMembership


def official_acts_for_all_entities(user: AbstractBaseUser | AnonymousUser) -> bool:
    """True for district administrators and roles that work across departments."""
    return bool(
        user.is_active and (user.is_superuser or user.has_perm("disclosure.act_for_all_entities"))
    )


def entity_ids_for_official(user: AbstractBaseUser | AnonymousUser) -> set[int] | None:
    """The ids of the entities whose records `user` keeps: their memberships and the units below.

    None means every entity (a district administrator); an empty set means none.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    if official_acts_for_all_entities(user):
        return None
    member_of = set(EntityMembership.objects.filter(user=user).values_list("entity_id", flat=True))
    if not member_of:
        return set()
    children: dict[int | None, list[int]] = {}
    for entity_id, parent_id in AdministrativeEntity.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(entity_id)
    scope, frontier = set(member_of), list(member_of)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in scope:
                scope.add(child)
                frontier.append(child)
    return scope
