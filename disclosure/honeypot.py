"""The honeypot on public submission forms: a field people never see and bots fill in.

The form templates include `includes/honeypot.html` (a text input hidden by CSS and from
assistive technology, never autofilled). A POST that fills it is refused silently: the view
stores nothing and answers as if the page had merely been reloaded, so the bot learns nothing.
"""

from django.http import HttpRequest

HONEYPOT_FIELD = "website"


def honeypot_filled(request: HttpRequest) -> bool:
    """True when the request's POST filled in the honeypot field (a bot; store nothing)."""
    return request.method == "POST" and bool(request.POST.get(HONEYPOT_FIELD, "").strip())
