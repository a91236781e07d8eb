"""Values every page template needs: the district's name and contacts."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def portal(request: HttpRequest) -> dict:
    english = (get_language() or "").startswith("en")
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
    }
