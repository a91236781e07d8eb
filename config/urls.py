"""URL wiring. Public pages sit in i18n_patterns: unprefixed URLs are Chinese, /en/… English."""

from csp.decorators import csp_update
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from config import views
from disclosure.sitemaps import sitemap_view

api_patterns = [
    path("", views.api_root, name="api-root"),
    path("workdays/", include("workdays.api.urls")),
    path("disclosure/", include("disclosure.api.urls")),
    path("services/", include("services.api.urls")),
    path("complaints/", include("complaints.api.urls")),
]

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path(".well-known/security.txt", views.security_txt, name="security-txt"),
    path("sitemap.xml", sitemap_view, name="sitemap"),
    # Without a CSRF token, like /large-text/: a forged post can only switch a reader's language,
    # and a token in every page's header would keep every page out of the page cache.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("large-text/", views.large_text, name="large-text"),
    path(settings.GONGKAI_ADMIN_PATH, admin.site.urls),  # GONGKAI_ADMIN_PATH, default admin/
    path("officials/", include("workspace.urls")),
    path("api/v1/", include(api_patterns)),
    path("open311/v2/", include("complaints.views.open311")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's initialiser as a file: no inline script (CSP). Swagger UI
    # sets inline styles, so this one page may use them.
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("workdays.urls")),
    path("", include("disclosure.urls")),
    path("", include("services.urls")),
    path("", include("complaints.urls")),
    prefix_default_language=False,
)

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
