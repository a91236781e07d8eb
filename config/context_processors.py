"""Values every page template needs: the district, its contacts, navigation and page settings.

Nothing here touches the database: the 404 page renders through these processors, and a page
must still render when a later query fails.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import get_language, get_language_info, pgettext_lazy
from django.utils.translation import gettext_lazy as _

LARGE_TEXT_COOKIE = "gongkai_large_text"


@dataclass(frozen=True)
class Section:
    """One of the portal's six public sections, as the header navigation and home tiles show it."""

    slug: str
    label: Promise
    summary: Promise


SECTIONS: tuple[Section, ...] = (
    Section(
        slug="catalogue",
        label=pgettext_lazy("site section", "Government information"),
        summary=_(
            "Browse and search the catalogue of government information by department, topic "
            "and year."
        ),
    ),
    Section(
        slug="services",
        label=pgettext_lazy("site section", "Services"),
        summary=_(
            "Service guides, committed time limits and fees of the administrative service centre."
        ),
    ),
    Section(
        slug="institutions",
        label=pgettext_lazy("site section", "Public institutions"),
        summary=_(
            "Fees, service commitments and supervision phones of schools, hospitals and clinics."
        ),
    ),
    Section(
        slug="complaints",
        label=pgettext_lazy("site section", "Efficiency complaints"),
        summary=_(
            "Report delays, shirking or improper fees and follow your complaint by its number."
        ),
    ),
    Section(
        slug="requests",
        label=pgettext_lazy("site section", "Information requests"),
        summary=_(
            "Apply for government information that has not been published; replies within 20 "
            "working days."
        ),
    ),
    Section(
        slug="statistics",
        label=pgettext_lazy("site section", "Statistics"),
        summary=_(
            "Service figures, on-time completion rates and the annual report on open government "
            "information."
        ),
    ),
)


def _prefixed_languages() -> dict[str, str]:
    """Language code -> URL prefix ("" for the default language, "/en" for English)."""
    return {
        code: "" if code == settings.LANGUAGE_CODE else f"/{code}"
        for code, _name in settings.LANGUAGES
    }


def neutral_path(path: str) -> str:
    """The path without its language prefix: "/en/services/?q=1" -> "/services/?q=1"."""
    for prefix in _prefixed_languages().values():
        if not prefix:
            continue
        if path == prefix or path.startswith(prefix + "/") or path.startswith(prefix + "?"):
            rest = path[len(prefix) :]
            return rest if rest.startswith("/") else "/" + rest
    return path


def localised_path(path: str, language: str | None = None) -> str:
    """A language-neutral path in the given (default: the active) language's URL space."""
    prefixes = _prefixed_languages()
    prefix = prefixes.get(language or get_language() or "", "")
    return prefix + path


def portal(request: HttpRequest) -> dict:
    """District, contacts, navigation, the language switch and the large-text setting."""
    language = get_language() or settings.LANGUAGE_CODE
    english = language.startswith("en")
    current_path = neutral_path(request.path)
    full_path = neutral_path(request.get_full_path())

    nav_sections = []
    for section in SECTIONS:
        root = f"/{section.slug}/"
        if current_path == root:
            current = "page"
        elif current_path.startswith(root):
            current = "true"
        else:
            current = ""
        nav_sections.append(
            {"section": section, "url": localised_path(root, language), "current": current}
        )

    # The switch offers the other language, with `next` already pointing at this page in it:
    # set_language runs outside the language prefix and could not translate an /en/ path.
    other = next(
        (code for code, _name in settings.LANGUAGES if code != language),
        settings.LANGUAGE_CODE,
    )
    return {
        "district_name": settings.GONGKAI_DISTRICT_NAME_EN
        if english
        else settings.GONGKAI_DISTRICT_NAME,
        "district_contact": {
            "phone": settings.GONGKAI_CONTACT_PHONE,
            "address": settings.GONGKAI_CONTACT_ADDRESS,
            "email": settings.GONGKAI_CONTACT_EMAIL,
        },
        "demo_mode": settings.DEMO_MODE,
        "nav_sections": nav_sections,
        "home_url": localised_path("/", language),
        "search_url": localised_path("/catalogue/", language),
        "switch_language": {
            "code": other,
            "name": get_language_info(other)["name_local"],
            "next": localised_path(full_path, other),
        },
        "alternate_urls": [
            {"code": code, "url": localised_path(current_path, code)}
            for code, _name in settings.LANGUAGES
        ],
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "current_full_path": request.get_full_path(),
    }
