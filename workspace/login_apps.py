"""The admin app, configured to use the officials' admin site (workspace.login_site).

Kept apart from the site itself: Django imports this module while it loads the apps, before any
model may be imported; the site is built later, when the admin first needs it.
"""

from django.contrib.admin.apps import AdminConfig


class GongkaiAdminConfig(AdminConfig):
    """django.contrib.admin, with `admin.site` an instance of GongkaiAdminSite."""

    default_site = "workspace.login_site.GongkaiAdminSite"
