"""The services app's models, one module per part of the domain."""

from services.models.cases import (  # noqa: F401
    ConsultationCount,
    JointMeetingDecision,
    ServiceCase,
    ServiceCaseEvent,
    ServiceCasePause,
)
from services.models.items import ServiceItem, ServiceMaterial, ServiceWindow  # noqa: F401
