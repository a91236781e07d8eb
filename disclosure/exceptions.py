"""Errors the disclosure app's actions raise; their messages are shown to officials."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class TransitionNotAllowed(Exception):
    """A workflow move that the object's TRANSITIONS map does not allow from its current status.

    Actions check under a row lock, so when two officials make the same move at once the second
    is told the record was already moved (from == to), not given a puzzling refusal.
    """

    def __init__(self, *, obj: object, from_status: str, to_status: str) -> None:
        self.obj = obj
        self.from_status = from_status
        self.to_status = to_status
        if str(from_status) == str(to_status):
            display = getattr(obj, "get_status_display", None)
            to_status = display() if callable(display) else to_status
            message = _(
                "%(object)s is already “%(to)s”: someone else made this move first. Nothing "
                "was changed."
            )
        else:
            message = _("%(object)s cannot move from “%(from)s” to “%(to)s”.")
        super().__init__(message % {"object": obj, "from": from_status, "to": to_status})


class InvalidAnnouncementPeriod(ValueError):
    """An announcement (公示) period that ends before it starts."""

    def __init__(self) -> None:
        super().__init__(_("The announcement period must end on or after its first day."))


class NotANormativeDocument(ValueError):
    """A filing for a catalogue entry whose genre is not `normative_document`."""

    def __init__(self) -> None:
        super().__init__(_("Only a catalogue entry of genre “normative document” can be filed."))


class CatalogueEntryNotDraft(ValueError):
    """A change that only a draft catalogue entry accepts (its fields, its attachments)."""

    def __init__(self, *, status_label: object) -> None:
        self.status_label = status_label
        super().__init__(
            _("Only a draft can be changed; this entry is “%(status)s”.") % {"status": status_label}
        )


class CatalogueSelfReview(PermissionDenied):
    """The confidentiality review (保密审查) of an entry attempted by its own author."""

    def __init__(self) -> None:
        super().__init__(
            _("The confidentiality review must be done by someone other than the author.")
        )
