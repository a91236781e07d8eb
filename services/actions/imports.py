"""Import service cases from the online approval system's CSV export (网上并联审批系统).

Columns (a header row; UTF-8, with or without BOM, or GB18030):

| column | required | content |
|---|---|---|
| case_no | yes | the case number in the online system (unique; the import is idempotent on it) |
| item_code | yes | the item's implementation code (实施编码) |
| applicant_type | yes | person, enterprise, sme or organisation |
| applicant_name | yes | the applicant (private: never published) |
| applicant_contact | no | phone or address (private) |
| channel | no | window, online (default) or agency |
| received_on | yes | YYYY-MM-DD |
| accepted_on | no | YYYY-MM-DD; empty while not accepted |
| completed_on | no | YYYY-MM-DD; needs accepted_on and result |
| result | no | approved or refused (refused needs result_reason) |
| result_reason | no | the reasons of a refusal |
| query_code | no | the applicant's query code (stored only as a hash) |
| window | no | the window number |

Each row lands whole or not at all (one savepoint per row, through the same actions as the
windows use); a row whose case number exists is skipped; rejected rows are reported with their
line number and reasons.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from disclosure.actions.workflow import require_perm
from disclosure.exceptions import TransitionNotAllowed
from disclosure.tracking import tracking_number_normalise
from services.actions.cases import case_accept, case_complete, case_receive
from services.models import ServiceCase, ServiceItem, ServiceWindow

User = AbstractBaseUser | AnonymousUser
COLUMNS = (
    "case_no",
    "item_code",
    "applicant_type",
    "applicant_name",
    "applicant_contact",
    "channel",
    "received_on",
    "accepted_on",
    "completed_on",
    "result",
    "result_reason",
    "query_code",
    "window",
)
REQUIRED = ("case_no", "item_code", "applicant_type", "applicant_name", "received_on")


@dataclass
class RejectedRow:
    line: int
    case_no: str
    reasons: list[str]


@dataclass
class ImportReport:
    created: int = 0
    skipped_existing: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.rejected


def csv_text(raw: bytes) -> str:
    """Decode an export: UTF-8 (BOM or not), else GB18030 (what Chinese office software writes)."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("gb18030")


def _date(value: str, column: str, errors: list[str]) -> datetime.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        errors.append(
            _("%(column)s: “%(value)s” is not a date (YYYY-MM-DD).")
            % {"column": column, "value": value}
        )
        return None


def _messages(error: Exception) -> list[str]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        return [f"{name}: {' '.join(msgs)}" for name, msgs in error.message_dict.items()]
    if isinstance(error, ValidationError):
        return list(error.messages)
    return [str(error)]


def cases_import_csv(
    *,
    text: str,
    by: User,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import the rows of `text`; each whole or not at all; idempotent on the case number."""
    require_perm(by, "services.import_servicecase")
    reader = csv.DictReader(io.StringIO(text))
    report = ImportReport()
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        report.rejected.append(
            RejectedRow(
                line=1,
                case_no="",
                reasons=[_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)}],
            )
        )
        return report
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        rows.append((reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}))
    items = {i.implementation_code: i for i in ServiceItem.objects.all()}
    windows = {w.number: w for w in ServiceWindow.objects.all()}
    existing = set(
        ServiceCase.objects.filter(
            case_no__in=[tracking_number_normalise(r["case_no"]) for _line, r in rows]
        ).values_list("case_no", flat=True)
    )
    for done, (line, row) in enumerate(rows, start=1):
        case_no = tracking_number_normalise(row.get("case_no", ""))
        if case_no and case_no in existing:
            report.skipped_existing += 1
        else:
            reasons = _import_row(row, by=by, items=items, windows=windows)
            if reasons:
                report.rejected.append(RejectedRow(line=line, case_no=case_no, reasons=reasons))
            else:
                report.created += 1
                existing.add(case_no)
        if progress is not None:
            progress(done, len(rows))
    return report


def _import_row(
    row: dict[str, str],
    *,
    by: User,
    items: dict[str, ServiceItem],
    windows: dict[str, ServiceWindow],
) -> list[str]:
    """Store one row through the actions inside a savepoint; return the reasons it was refused."""
    errors: list[str] = []
    for name in REQUIRED:
        if not row.get(name):
            errors.append(_("%(column)s: this column is required.") % {"column": name})
    item = items.get(row.get("item_code", ""))
    if row.get("item_code") and item is None:
        errors.append(
            _("item_code: no service item has the code “%(code)s”.") % {"code": row["item_code"]}
        )
    applicant_type = row.get("applicant_type", "")
    if applicant_type and applicant_type not in ServiceCase.ApplicantType.values:
        errors.append(_("applicant_type: unknown value “%(value)s”.") % {"value": applicant_type})
    channel = row.get("channel") or ServiceCase.Channel.ONLINE
    if channel not in ServiceCase.Channel.values:
        errors.append(_("channel: unknown value “%(value)s”.") % {"value": channel})
    window = windows.get(row.get("window", "")) if row.get("window") else None
    if row.get("window") and window is None:
        errors.append(_("window: no window number “%(value)s”.") % {"value": row["window"]})
    received_on = _date(row.get("received_on", ""), "received_on", errors)
    accepted_on = _date(row.get("accepted_on", ""), "accepted_on", errors)
    completed_on = _date(row.get("completed_on", ""), "completed_on", errors)
    result = row.get("result", "")
    if completed_on and not accepted_on:
        errors.append(_("completed_on: a completed case needs accepted_on."))
    if completed_on and result not in ServiceCase.Result.values:
        errors.append(_("result: a completed case is approved or refused."))
    if errors or item is None or received_on is None:
        return errors
    try:
        with transaction.atomic():
            case = case_receive(
                item=item,
                applicant_type=applicant_type,
                applicant_name=row["applicant_name"],
                applicant_contact=row.get("applicant_contact", ""),
                channel=channel,
                window=window,
                received_on=received_on,
                case_no=row["case_no"],
                query_code=row.get("query_code", ""),
                by=by,
            ).case
            if accepted_on:
                case_accept(case=case, on=accepted_on, by=by)
            if completed_on:
                case_complete(
                    case=case,
                    result=result,
                    reason=row.get("result_reason", ""),
                    on=completed_on,
                    by=by,
                )
    except (ValidationError, TransitionNotAllowed, PermissionDenied, ValueError) as error:
        return _messages(error)
    return []


def import_report_lines(report: ImportReport) -> Iterable[str]:
    """The report as lines for a console or a page."""
    yield _("Created: %(n)d; already present (skipped): %(s)d; rejected: %(r)d.") % {
        "n": report.created,
        "s": report.skipped_existing,
        "r": len(report.rejected),
    }
    for row in report.rejected:
        yield _("Line %(line)d (%(case)s): %(reasons)s") % {
            "line": row.line,
            "case": row.case_no or "-",
            "reasons": "; ".join(row.reasons),
        }
