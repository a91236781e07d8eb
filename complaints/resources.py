"""Export columns for complaints' records (django-import-export resources).

A complaint's export is the handling record: never the complainant's identity or contacts
(`IDENTITY_FIELDS`), never a supervisor's private contacts.
"""

from __future__ import annotations

from import_export.resources import ModelResource

from complaints.models import Complaint
from complaints.models.complaints import IDENTITY_FIELDS
from complaints.models.supervision import Supervisor


class ComplaintResource(ModelResource):
    """Complaints for export, without the complainant."""

    class Meta:
        model = Complaint
        exclude = (*IDENTITY_FIELDS, "tracking_password_hash")


class SupervisorResource(ModelResource):
    """Supervisors for export: name, role, affiliation and term; not their private contacts."""

    class Meta:
        model = Supervisor
        exclude = ("phone", "email", "address")
