"""The officials' roles: one auth Group per role, holding the domain apps' permission codenames.

Staff powers are `Meta.permissions` codenames (and Django's add/change/view ones) held by
groups and checked with `has_perm` inside the actions. Which records a role's member may touch
is not decided here but by memberships (`disclosure.EntityMembership`) and the owning apps'
scoping selectors (`entity_ids_for_official`, `complaints_visible_to`, ...).

Roles:

- district administrator: everything, deletion included (deletion is for administrators only);
- disclosure office: reviews and publishes catalogue entries, handles information requests,
  compiles the annual report, across every department;
- department officer: their own entity's records (entries, guides, requests, cases, items,
  ratings' rectification, institutions they supervise, progress of their rectification projects);
- supervision bureau: every complaint, supervisors, visits, rectification projects, window scores;
- invited supervisor: their own inspection visits;
- auditor: reads every record of every department, changes nothing (view permissions only).

`sync_roles()` creates or updates the groups; the data migration and `manage.py sync_roles`
both call it, so it is safe to rerun after a new permission is added.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The apps whose records officials keep (the auditor reads all of them).
DOMAIN_APPS = ("workdays", "disclosure", "services", "complaints")
# The district administrator also manages accounts, groups and (if installed) login security.
ADMIN_APPS = (*DOMAIN_APPS, "auth", "admin", "axes", "otp_totp", "otp_static")

ACT_FOR_ALL = "disclosure.act_for_all_entities"


def _crud(app_label: str, *models: str, delete: bool = False) -> tuple[str, ...]:
    verbs = ("view", "add", "change", "delete") if delete else ("view", "add", "change")
    return tuple(f"{app_label}.{verb}_{model}" for model in models for verb in verbs)


def _view(app_label: str, *models: str) -> tuple[str, ...]:
    return tuple(f"{app_label}.view_{model}" for model in models)


@dataclass(frozen=True)
class Role:
    """One role: its key (stable), its group name (Chinese, stored), its label and powers.

    `permissions` are dotted "app_label.codename"; `all_of_apps` adds every permission of those
    apps and `view_of_apps` every view permission of those apps.
    """

    key: str
    group_name: str
    label: Promise
    description: Promise
    permissions: tuple[str, ...] = ()
    all_of_apps: tuple[str, ...] = ()
    view_of_apps: tuple[str, ...] = ()


DISTRICT_ADMINISTRATOR = Role(
    key="district_administrator",
    group_name="区级管理员",
    label=_("District administrator"),
    description=_("Keeps every record of every department; the only role that may delete."),
    all_of_apps=ADMIN_APPS,
)

DISCLOSURE_OFFICE = Role(
    key="disclosure_office",
    group_name="区政务公开办",
    label=_("Disclosure office"),
    description=_(
        "Reviews and publishes catalogue entries, handles information requests and compiles "
        "the annual report for the whole district."
    ),
    permissions=(
        ACT_FOR_ALL,
        *_crud("disclosure", "catalogueentry", "catalogueattachment", "topic"),
        "disclosure.review_catalogueentry",
        "disclosure.publish_catalogueentry",
        "disclosure.withdraw_catalogueentry",
        *_view("disclosure", "catalogueentryevent", "administrativeentity", "entitymembership"),
        "disclosure.change_administrativeentity",
        "disclosure.review_administrativeentity",
        "disclosure.confirm_administrativeentity",
        "disclosure.announce_administrativeentity",
        *_crud("disclosure", "disclosureguide"),
        "disclosure.publish_disclosureguide",
        *_view("disclosure", "normativefiling", "enforcementpower", "enforcementofficer"),
        *_view("disclosure", "randominspectionitem"),
        *_crud("disclosure", "informationrequest", "requestconsultation", "requestappeal"),
        *_crud("disclosure", "requestdocument"),
        *_view("disclosure", "requestevent"),
        "disclosure.handle_informationrequest",
        "disclosure.approve_extension_informationrequest",
        *_crud("disclosure", "annualreport"),
        *_view("disclosure", "annualreportevent"),
        "disclosure.publish_annualreport",
        *_view("disclosure", "publicinstitution", "institutiondisclosure", "feeitem", "sector"),
        *_view("disclosure", "disclosureitemkind", "sectorrequirement"),
        *_view("workdays", "calendarday", "calendaryear"),
    ),
)

DEPARTMENT_OFFICER = Role(
    key="department_officer",
    group_name="部门工作人员",
    label=_("Department officer"),
    description=_(
        "Keeps their own department's records: catalogue drafts, guides, information requests, "
        "service items and cases, the institutions it supervises."
    ),
    permissions=(
        *_crud("disclosure", "catalogueentry", "catalogueattachment"),
        *_view("disclosure", "catalogueentryevent", "topic"),
        *_view("disclosure", "administrativeentity", "administrativeentityevent"),
        "disclosure.change_administrativeentity",
        *_crud("disclosure", "disclosureguide", "normativefiling"),
        *_crud("disclosure", "enforcementpower", "enforcementofficer", "randominspectionitem"),
        *_crud("disclosure", "informationrequest", "requestconsultation", "requestdocument"),
        *_view("disclosure", "requestevent", "requestappeal"),
        "disclosure.handle_informationrequest",
        *_view("disclosure", "publicinstitution", "institutiondisclosure", "feeitem"),
        "disclosure.change_publicinstitution",
        "disclosure.change_institutiondisclosure",
        "disclosure.publish_institutiondisclosure",
        "disclosure.add_feeitem",
        "disclosure.change_feeitem",
        "disclosure.publish_feeitem",
        *_crud("services", "servicecase", "servicecasepause", "serviceitem", "servicematerial"),
        *_crud("services", "consultationcount"),
        *_view("services", "servicecaseevent", "servicewindow", "jointmeetingdecision"),
        "services.handle_servicecase",
        "services.manage_serviceitem",
        *_view("services", "rating", "rectificationtask", "rectificationtaskevent"),
        "services.change_rectificationtask",
        "services.handle_rectificationtask",
        *_view("services", "ratingappeal"),
        "services.add_ratingappeal",
        *_view("complaints", "complaint", "rectificationproject", "rectificationprojectevent"),
        *_crud("complaints", "rectificationprogress"),
        "complaints.report_rectification_progress",
        *_view("workdays", "calendarday", "calendaryear"),
    ),
)

SUPERVISION_BUREAU = Role(
    key="supervision_bureau",
    group_name="区监察局",
    label=_("Supervision bureau"),
    description=_(
        "Handles and supervises every complaint; manages supervisors, inspection visits and "
        "rectification projects."
    ),
    permissions=(
        *_crud("complaints", "complaint", "complaintattachment", "complaintpause"),
        *_view("complaints", "complaintevent", "complaintidentityreveal"),
        "complaints.handle_complaint",
        "complaints.supervise_complaints",
        "complaints.reveal_complainant",
        *_crud("complaints", "open311key", "supervisor", "inspectionvisit", "visitfinding"),
        *_crud("complaints", "rectificationproject", "rectificationprogress"),
        *_view("complaints", "inspectionvisitevent", "rectificationprojectevent"),
        "complaints.manage_supervision",
        "complaints.report_rectification_progress",
        *_view("services", "servicewindow", "windowmonthlyscore", "serviceitem"),
        "services.record_windowmonthlyscore",
        *_view("disclosure", "administrativeentity"),
        *_view("workdays", "calendarday", "calendaryear"),
    ),
)

INVITED_SUPERVISOR = Role(
    key="invited_supervisor",
    group_name="特邀监察员",
    label=_("Invited supervisor"),
    description=_("Records their own inspection visits and findings."),
    permissions=(
        "complaints.record_own_visits",
        *_crud("complaints", "inspectionvisit", "visitfinding"),
    ),
)

AUDITOR = Role(
    key="auditor",
    group_name="审计员",
    label=_("Auditor"),
    description=_("Reads every record of every department and changes nothing."),
    # act_for_all_entities widens the scope of what the auditor reads to every department; it
    # grants no change by itself (each action asks for its own codename).
    permissions=(ACT_FOR_ALL,),
    view_of_apps=DOMAIN_APPS,
)

ROLES: tuple[Role, ...] = (
    DISTRICT_ADMINISTRATOR,
    DISCLOSURE_OFFICE,
    DEPARTMENT_OFFICER,
    SUPERVISION_BUREAU,
    INVITED_SUPERVISOR,
    AUDITOR,
)
ROLES_BY_KEY = {role.key: role for role in ROLES}


def _dotted_q(dotted: Iterable[str]) -> Q:
    condition = Q(pk__in=[])
    for name in dotted:
        app_label, codename = name.split(".", 1)
        condition |= Q(content_type__app_label=app_label, codename=codename)
    return condition


def role_permissions(role: Role, *, permission_model=Permission):  # noqa: ANN001, ANN201
    """The Permission rows `role` holds (a queryset of `permission_model`)."""
    condition = _dotted_q(role.permissions)
    if role.all_of_apps:
        condition |= Q(content_type__app_label__in=role.all_of_apps)
    if role.view_of_apps:
        condition |= Q(content_type__app_label__in=role.view_of_apps, codename__startswith="view_")
    return permission_model.objects.filter(condition)


def role_missing_permissions(role: Role, *, permission_model=Permission) -> list[str]:  # noqa: ANN001
    """The dotted names in `role.permissions` that match no Permission row (a typo or a rename)."""
    found = {
        f"{app_label}.{codename}"
        for app_label, codename in role_permissions(
            role, permission_model=permission_model
        ).values_list("content_type__app_label", "codename")
    }
    return sorted(set(role.permissions) - found)


def sync_roles(
    *,
    group_model=Group,
    permission_model=Permission,  # noqa: ANN001
) -> dict[str, int]:
    """Create or update one group per role with exactly the role's permissions.

    Idempotent; returns {group name: number of permissions}. The models may be a migration's
    historical models (the data migration passes them).
    """
    counts: dict[str, int] = {}
    for role in ROLES:
        group, _created = group_model.objects.get_or_create(name=role.group_name)
        permissions = list(role_permissions(role, permission_model=permission_model))
        group.permissions.set(permissions)
        counts[role.group_name] = len(permissions)
    return counts


def roles_of(user) -> list[Role]:  # noqa: ANN001
    """The roles `user` holds through their groups, in the order of `ROLES`."""
    if not user.is_authenticated:
        return []
    names = set(user.groups.values_list("name", flat=True))
    return [role for role in ROLES if role.group_name in names]
