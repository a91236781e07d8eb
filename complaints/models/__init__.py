"""The complaints app's models: complaints (part A); supervision (part B) is appended below."""

from complaints.models.complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintIdentityReveal,
    ComplaintPause,
    Open311Key,
    Open311Token,
)

__all__ = [
    "Complaint",
    "ComplaintAttachment",
    "ComplaintEvent",
    "ComplaintIdentityReveal",
    "ComplaintPause",
    "Open311Key",
    "Open311Token",
]

# --- Supervision (part B) ---
from complaints.models.supervision import (  # noqa: E402
    InspectionVisit,
    InspectionVisitEvent,
    RectificationProgress,
    RectificationProject,
    RectificationProjectEvent,
    Supervisor,
    VisitFinding,
)

__all__ += [
    "InspectionVisit",
    "InspectionVisitEvent",
    "RectificationProgress",
    "RectificationProject",
    "RectificationProjectEvent",
    "Supervisor",
    "VisitFinding",
]
