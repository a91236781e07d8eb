"""Create the officials' role groups (see workspace.roles); `manage.py sync_roles` reruns it."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_role_groups(apps, schema_editor):  # noqa: ANN001, ANN201
    # Permissions are normally created after all migrations (post_migrate); create them now so
    # that a fresh database gets complete groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    from workspace.roles import sync_roles

    sync_roles(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("workdays", "0002_load_calendar"),
        ("disclosure", "0010_information_requests_annual_reports"),
        ("services", "0003_ratings_stars_inspections"),
        ("complaints", "0003_supervision_complaint_institution_links"),
    ]

    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
