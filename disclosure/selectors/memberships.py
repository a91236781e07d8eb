"""Department scoping: which entities' records an official may keep.

One mechanism for every surface (admin, officials' pages, API, exports): each asks
`entity_ids_for_official(user)` and filters by it.

Per-request memo: one admin page asks for the scope once per registered model (module and view
permissions, the sidebar, the work-queue counts), so the answer is kept on the user object, as
Django keeps `_perm_cache` there. The authentication middleware loads a fresh user for every
request, so the memo lives exactly as long as the request and never passes to another request
or user. Code that changes a user's memberships and asks again with the same user object calls
`forget_official_scope(user)` (or reloads the user).
"""

from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from disclosure.models import AdministrativeEntity
from disclosure.models.memberships import EntityMembership

SCOPE_MEMO_ATTRIBUTE = "_official_scope_memo"

T = TypeVar("T")


def memoised_scope(user: AbstractBaseUser | AnonymousUser, key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per user object (one request); later calls with `key` reuse its result."""
    memo = getattr(user, SCOPE_MEMO_ATTRIBUTE, None)
    if memo is None:
        memo = {}
        setattr(user, SCOPE_MEMO_ATTRIBUTE, memo)
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def forget_official_scope(user: AbstractBaseUser | AnonymousUser) -> None:
    """Drop the scopes memoised on `user` (after changing its memberships in the same request)."""
    if getattr(user, SCOPE_MEMO_ATTRIBUTE, None) is not None:
        setattr(user, SCOPE_MEMO_ATTRIBUTE, None)


def official_acts_for_all_entities(user: AbstractBaseUser | AnonymousUser) -> bool:
    """True for district administrators and roles that work across departments."""
    return bool(
        user.is_active and (user.is_superuser or user.has_perm("disclosure.act_for_all_entities"))
    )


def entity_ids_for_official(user: AbstractBaseUser | AnonymousUser) -> set[int] | None:
    """The ids of the entities whose records `user` keeps: their memberships and the units below.

    None means every entity (a district administrator); an empty set means none. Computed once
    per request (see `memoised_scope`); each caller gets its own copy of the set.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    scope = memoised_scope(user, "entity_ids", lambda: _entity_ids_for_official(user))
    return None if scope is None else set(scope)


def _entity_ids_for_official(user: AbstractBaseUser) -> frozenset[int] | None:
    if official_acts_for_all_entities(user):
        return None
    member_of = set(EntityMembership.objects.filter(user=user).values_list("entity_id", flat=True))
    if not member_of:
        return frozenset()
    children: dict[int | None, list[int]] = {}
    for entity_id, parent_id in AdministrativeEntity.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(entity_id)
    scope, frontier = set(member_of), list(member_of)
    while frontier:
        for child in children.get(frontier.pop(), []):
            if child not in scope:
                scope.add(child)
                frontier.append(child)
    return frozenset(scope)
