"""The disclosure app's models, one module per part of the domain."""

from disclosure.models.catalogue import (  # noqa: F401
    CatalogueAttachment,
    CatalogueEntry,
    CatalogueEntryEvent,
    IndexNumberSerial,
    Topic,
)
from disclosure.models.catalogue_facets import CatalogueFacetCount, CatalogueFacetTotal  # noqa: F401
from disclosure.models.entities import (  # noqa: F401
    AdministrativeEntity,
    AdministrativeEntityEvent,
    DisclosureGuide,
    EnforcementOfficer,
    EnforcementPower,
    RandomInspectionItem,
)
from disclosure.models.institutions import (  # noqa: F401
    DisclosureItemKind,
    FeeItem,
    FeeItemEvent,
    InstitutionDisclosure,
    InstitutionDisclosureEvent,
    InstitutionMembership,
    PublicInstitution,
    Sector,
    SectorRequirement,
)
from disclosure.models.memberships import EntityMembership  # noqa: F401
from disclosure.models.normative import NormativeFiling, NormativeFilingEvent  # noqa: F401
from disclosure.models.reports import AnnualReport, AnnualReportEvent  # noqa: F401
from disclosure.models.requests import (  # noqa: F401
    InformationRequest,
    RequestAppeal,
    RequestConsultation,
    RequestDocument,
    RequestEvent,
)
