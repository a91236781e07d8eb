"""The services app's models, one module per part of the domain."""

from services.models.cases import (  # noqa: F401
    ConsultationCount,
    JointMeetingDecision,
    ServiceCase,
    ServiceCaseEvent,
    ServiceCasePause,
)
from services.models.inspections import AnnualInspectionItem  # noqa: F401
from services.models.items import ServiceItem, ServiceMaterial, ServiceWindow  # noqa: F401
from services.models.ratings import (  # noqa: F401
    Rating,
    RatingAppeal,
    RatingSettings,
    RectificationTask,
    RectificationTaskEvent,
)
from services.models.stars import WindowMonthlyScore  # noqa: F401
from services.models.summaries import ServiceDailySummary, ServiceDurationCount  # noqa: F401
