"""Builders for the workspace tests: officials in a role, and one record of each queue kind."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from complaints.models import Complaint
from disclosure.models import CatalogueEntry, InformationRequest
from disclosure.models.memberships import EntityMembership
from services.models import Rating, RectificationTask, ServiceCase
from tests.factories.complaints import ComplaintFactory, RectificationProjectFactory
from tests.factories.disclosure import CatalogueEntryFactory, UserFactory, make_request
from tests.factories.services import ServiceCaseFactory, ServiceItemFactory
from workspace.roles import ROLES_BY_KEY, sync_roles


def official(role: str, *entities: object, **kwargs: object) -> object:
    """A staff user in `role`'s group, member of `entities`; a fresh copy (no perm cache)."""
    group = Group.objects.filter(name=ROLES_BY_KEY[role].group_name).first()
    if group is None:  # a transactional test flushed the migration's groups
        sync_roles()
        group = Group.objects.get(name=ROLES_BY_KEY[role].group_name)
    user = UserFactory(**kwargs)
    user.groups.add(group)
    for entity in entities:
        EntityMembership.objects.create(user=user, entity=entity)
    return get_user_model().objects.get(pk=user.pk)


def entry_in_review(entity: object, due: datetime.date, **kwargs: object) -> CatalogueEntry:
    return CatalogueEntryFactory(
        publisher=entity, status=CatalogueEntry.Status.IN_REVIEW, publication_due=due, **kwargs
    )


def draft_entry(entity: object, due: datetime.date | None, **kwargs: object) -> CatalogueEntry:
    return CatalogueEntryFactory(publisher=entity, publication_due=due, **kwargs)


def accepted_case(entity: object, due: datetime.date, **kwargs: object) -> ServiceCase:
    start = due - datetime.timedelta(days=14)
    return ServiceCaseFactory(
        item=ServiceItemFactory(entity=entity),
        status=ServiceCase.Status.ACCEPTED,
        received_on=start,
        accepted_on=start,
        due_date=due,
        **kwargs,
    )


def complaint_due(entity: object, due: datetime.date, **kwargs: object) -> Complaint:
    start = due - datetime.timedelta(days=14)
    values = {"status": Complaint.Status.REGISTERED, **kwargs}
    return ComplaintFactory(
        entity=entity, received_on=start, stage_started_on=start, stage_due_on=due, **values
    )


def request_due(entity: object, due: datetime.date) -> InformationRequest:
    request = make_request(entity=entity, received=due - datetime.timedelta(days=28))
    InformationRequest.objects.filter(pk=request.pk).update(due_date=due)
    request.refresh_from_db()
    return request


def task_due(entity: object, due: datetime.date) -> RectificationTask:
    opened = due - datetime.timedelta(days=10)
    case = ServiceCaseFactory(
        item=ServiceItemFactory(entity=entity),
        status=ServiceCase.Status.COMPLETED,
        received_on=opened,
        accepted_on=opened,
        due_date=opened,
        completed_on=opened,
        result="approved",
    )
    rating = Rating.objects.create(
        case=case, level=Rating.Level.VERY_DISSATISFIED, channel="window", rated_on=opened
    )
    return RectificationTask.objects.create(
        rating=rating, entity=entity, opened_on=opened, workdays=5, due_date=due
    )


def project_due(entity: object, due: datetime.date) -> object:
    return RectificationProjectFactory(
        responsible_entity=entity, start_date=due - datetime.timedelta(days=30), due_date=due
    )


def one_of_each(entity: object, due: datetime.date) -> list[object]:
    """One record of every queue kind for `entity`, all due on `due`."""
    return [
        entry_in_review(entity, due),
        accepted_case(entity, due),
        complaint_due(entity, due),
        request_due(entity, due),
        task_due(entity, due),
        project_due(entity, due),
    ]
