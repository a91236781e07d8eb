"""Demo officials, one or two per role, for trying the work queue and the dashboard.

Idempotent. Run after `load_demo` (`manage.py load_demo_officials`): it puts the demo
administrator (`demo`) in the district administrators' group and creates the officials below,
with the demo password in demo mode (unusable otherwise).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from disclosure.models import AdministrativeEntity
from disclosure.models.memberships import EntityMembership
from workspace.roles import ROLES_BY_KEY, sync_roles

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "gongkai-demo-2026"  # noqa: S105 - printed in the README; demo mode only

# username, name shown, role, entities (by name) they belong to
OFFICIALS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("jiaoyuju", "教育局信息员", "department_officer", ("西岗区教育局",)),
    ("weishengju", "卫生局信息员", "department_officer", ("西岗区卫生局",)),
    ("fuwuzhongxin-ks", "服务中心科室", "department_officer", ("西岗区行政服务中心",)),
    ("gongkaiban", "区政务公开办", "disclosure_office", ()),
    ("jianchaju-ts", "监察局投诉受理", "supervision_bureau", ("西岗区监察局",)),
    ("tejianyuan", "特邀监察员", "invited_supervisor", ()),
    ("shenji", "区审计局审计员", "auditor", ()),
    ("quguanli", "区级管理员", "district_administrator", ()),
)


def load(*, out=None) -> list[str]:  # noqa: ANN001
    """Create or update the role groups and the demo officials; returns their usernames."""
    sync_roles()
    user_model = get_user_model()
    groups = {key: Group.objects.get(name=role.group_name) for key, role in ROLES_BY_KEY.items()}
    demo = user_model.objects.filter(username=DEMO_USERNAME).first()
    if demo is not None:
        demo.groups.add(groups["district_administrator"])
    made = []
    for username, name, role, entity_names in OFFICIALS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": name, "is_staff": True}
        )
        if created:
            if settings.DEMO_MODE:
                user.set_password(DEMO_PASSWORD)
            else:
                user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(groups[role])
        for entity in AdministrativeEntity.objects.filter(name__in=entity_names):
            EntityMembership.objects.get_or_create(user=user, entity=entity)
        made.append(username)
    if out is not None:
        password = f"password {DEMO_PASSWORD}" if settings.DEMO_MODE else "no password"
        out.write(f"Demo officials ({password}): {', '.join(made)}")
    return made
