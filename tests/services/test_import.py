"""CSV import of cases: whole rows or nothing, idempotent, rejected rows with line and reason."""

import io

import pytest
from django.core.management import CommandError, call_command

import workdays.calendar as calendar_module
from services.actions.imports import cases_import_csv, csv_text
from services.models import ServiceCase, ServiceCaseEvent
from tests.factories.disclosure import UserFactory
from tests.factories.services import ServiceItemFactory

pytestmark = pytest.mark.django_db
HEADER = (
    "case_no,item_code,applicant_type,applicant_name,applicant_contact,channel,received_on,"
    "accepted_on,completed_on,result,result_reason,query_code,window\n"
)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    calendar_module._snapshot = None


@pytest.fixture
def importer():
    return UserFactory(perms=["services.import_servicecase", "services.handle_servicecase"])


@pytest.fixture
def item():
    return ServiceItemFactory(implementation_code="21020300XK00101000")


def _csv(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


GOOD = [
    "WS-0001,21020300XK00101000,person,张伟,13900000001,online,2006-03-01,2006-03-01,"
    "2006-03-02,approved,,ABC12345,",
    "WS-0002,21020300XK00101000,sme,大连星海商贸有限公司,,window,2006-03-01,2006-03-02,,,,,",
    "WS-0003,21020300XK00101000,person,李娜,,online,2006-03-03,,,,,,",
]


def test_import_creates_cases_through_the_actions_and_is_idempotent(importer, item):
    text = _csv(*GOOD)
    seen = []
    report = cases_import_csv(text=text, by=importer, progress=lambda d, t: seen.append((d, t)))
    assert (report.created, report.skipped_existing, report.rejected) == (3, 0, [])
    assert seen[-1] == (3, 3)
    done = ServiceCase.objects.get(case_no="WS-0001")
    assert done.status == "completed" and done.due_date is not None
    assert done.tracking_password_check("ABC12345")
    assert ServiceCase.objects.get(case_no="WS-0002").status == "accepted"
    assert ServiceCase.objects.get(case_no="WS-0003").status == "received"
    events = ServiceCaseEvent.objects.count()

    again = cases_import_csv(text=text, by=importer)
    assert (again.created, again.skipped_existing) == (0, 3)
    assert ServiceCase.objects.count() == 3 and ServiceCaseEvent.objects.count() == events


def test_bad_rows_are_rejected_with_line_numbers_and_nothing_half_stored(importer, item):
    text = _csv(
        GOOD[0],
        # unknown item
        "WS-0101,NO-SUCH-ITEM,person,王芳,,online,2006-03-01,,,,,,",
        # malformed date
        "WS-0102,21020300XK00101000,person,王芳,,online,2006-13-45,,,,,,",
        # passes the row checks, fails in the actions after receipt: completed before accepted
        "WS-0103,21020300XK00101000,person,王芳,,online,2006-03-01,2006-03-05,2006-03-02,"
        "approved,,,",
        # refusal without reasons: the completion step fails, the receipt must roll back too
        "WS-0104,21020300XK00101000,person,王芳,,online,2006-03-01,2006-03-01,2006-03-02,"
        "refused,,,",
    )
    report = cases_import_csv(text=text, by=importer)
    assert report.created == 1
    by_line = {row.line: row for row in report.rejected}
    assert sorted(by_line) == [3, 4, 5, 6]
    assert any("item_code" in reason for reason in by_line[3].reasons)
    assert any("received_on" in reason for reason in by_line[4].reasons)
    assert set(ServiceCase.objects.values_list("case_no", flat=True)) == {"WS-0001"}
    assert not ServiceCaseEvent.objects.exclude(case__case_no="WS-0001").exists()


def test_missing_columns_reject_the_file(importer, item):
    report = cases_import_csv(text="case_no,item_code\nX,Y\n", by=importer)
    assert report.rejected[0].line == 1 and report.created == 0


def test_gb18030_export_is_read():
    assert csv_text("申请人".encode("gb18030")) == "申请人"
    assert csv_text("\ufeff申请人".encode()) == "申请人"


def test_command_prints_report_and_progress(importer, item, tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(_csv(GOOD[0], "WS-0101,NO-SUCH-ITEM,person,王芳,,online,2006-03-01,,,,,,"))
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_cases", str(path), "--user", importer.username, stdout=out)
    assert "3" in out.getvalue()  # the rejected row's line number
    assert "2/2" in capsys.readouterr().err
    assert ServiceCase.objects.count() == 1


def test_import_needs_the_permission(item):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        cases_import_csv(text=_csv(*GOOD), by=UserFactory())
    assert not ServiceCase.objects.exists()
