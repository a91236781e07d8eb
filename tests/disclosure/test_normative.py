"""Normative-document filing (规范性文件审核备案) and the annual report's counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from disclosure.actions.normative import (
    normative_filing_file,
    normative_filing_record_repeal,
    normative_filing_return,
    normative_filing_start_review,
    normative_filing_submit,
)
from disclosure.exceptions import NotANormativeDocument, TransitionNotAllowed
from disclosure.models import AdministrativeEntity, CatalogueEntry
from disclosure.models.normative import (
    NORMATIVE_FILING_TRANSITIONS,
    NormativeFiling,
    NormativeFilingEvent,
)
from disclosure.selectors.entities import normative_document_counts
from tests.factories.disclosure import (
    AdministrativeEntityFactory,
    CatalogueEntryFactory,
    UserFactory,
)
from tests.factories.workflow import seen_url

pytestmark = pytest.mark.django_db

F = NormativeFiling.Status
PERMS = [
    "disclosure.add_normativefiling",
    "disclosure.change_normativefiling",
    "disclosure.review_normativefiling",
]
DAY = datetime.date(2006, 3, 1)


@pytest.fixture
def official():
    return UserFactory(perms=PERMS)


def _entry(**kwargs) -> CatalogueEntry:
    return CatalogueEntryFactory(genre=CatalogueEntry.Genre.NORMATIVE_DOCUMENT, **kwargs)


def _submit(official, number: int = 1, **kwargs) -> NormativeFiling:  # noqa: ANN001
    return normative_filing_submit(
        entry=_entry(),
        by=official,
        filing_no=f"西法备〔2006〕{number}号",
        submitted_date=DAY,
        **kwargs,
    )


def test_submit_review_file_writes_events(official) -> None:
    legal_office = AdministrativeEntityFactory(name="西岗区人民政府法制办公室")
    filing = _submit(official, issue_date=DAY)
    normative_filing_start_review(filing=filing, by=official, reviewing_body=legal_office)
    normative_filing_file(filing=filing, by=official, filed_date=DAY, note="准予备案")
    filing.refresh_from_db()
    assert filing.status == F.FILED
    assert filing.reviewing_body == legal_office
    assert filing.filed_date == DAY
    events = list(NormativeFilingEvent.objects.filter(filing=filing))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("", F.SUBMITTED),
        (F.SUBMITTED, F.IN_REVIEW),
        (F.IN_REVIEW, F.FILED),
    ]
    assert events[-1].note == "准予备案"
    assert all(e.actor == official for e in events)


def test_returned_for_correction_then_resubmitted(official) -> None:
    filing = _submit(official)
    normative_filing_start_review(filing=filing, by=official)
    normative_filing_return(filing=filing, by=official, note="缺少制定依据")
    assert filing.status == F.RETURNED
    later = DAY + datetime.timedelta(days=10)
    again = normative_filing_submit(entry=filing.entry, by=official, submitted_date=later)
    assert again.pk == filing.pk
    assert again.status == F.SUBMITTED
    assert again.submitted_date == later
    assert NormativeFilingEvent.objects.filter(filing=filing).count() == 4


ILLEGAL = [
    (source, target)
    for source in F.values
    for target in F.values
    if target not in NORMATIVE_FILING_TRANSITIONS[source]
]


def _move(target: str, filing: NormativeFiling, by) -> None:  # noqa: ANN001
    if target == F.IN_REVIEW:
        normative_filing_start_review(filing=filing, by=by)
    elif target == F.FILED:
        normative_filing_file(filing=filing, by=by, filed_date=DAY)
    elif target == F.RETURNED:
        normative_filing_return(filing=filing, by=by, note="退回")
    elif target == F.SUBMITTED:
        normative_filing_submit(entry=filing.entry, by=by, submitted_date=DAY)


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_every_illegal_move_is_refused(official, source: str, target: str) -> None:
    filing = NormativeFiling.objects.create(
        entry=_entry(),
        filing_no=f"备-{source}-{target}",
        submitted_date=DAY,
        status=source,
        filed_date=DAY if source == F.FILED else None,
    )
    with pytest.raises(TransitionNotAllowed):
        _move(target, filing, official)
    filing.refresh_from_db()
    assert filing.status == source
    assert not filing.events.exists()


def test_permissions_refused(official) -> None:
    clerk = UserFactory(perms=["disclosure.add_normativefiling"])
    filing = _submit(clerk)
    with pytest.raises(PermissionDenied):
        normative_filing_start_review(filing=filing, by=clerk)
    normative_filing_start_review(filing=filing, by=official)
    with pytest.raises(PermissionDenied):
        normative_filing_file(filing=filing, by=clerk, filed_date=DAY)
    with pytest.raises(PermissionDenied):
        normative_filing_return(filing=filing, by=clerk, note="x")
    with pytest.raises(PermissionDenied):
        normative_filing_submit(entry=_entry(), by=UserFactory(), filing_no="x", submitted_date=DAY)
    filing.refresh_from_db()
    assert filing.status == F.IN_REVIEW


def test_only_normative_documents_are_filed(official) -> None:
    entry = CatalogueEntryFactory(genre=CatalogueEntry.Genre.NOTICE)
    with pytest.raises(NotANormativeDocument):
        normative_filing_submit(entry=entry, by=official, filing_no="x", submitted_date=DAY)
    assert not NormativeFiling.objects.exists()


def test_return_needs_a_reason_and_first_submission_a_number(official) -> None:
    with translation.override("en"), pytest.raises(ValueError, match="filing number"):
        normative_filing_submit(entry=_entry(), by=official, submitted_date=DAY)
    filing = _submit(official)
    normative_filing_start_review(filing=filing, by=official)
    with translation.override("en"), pytest.raises(ValueError, match="corrected"):
        normative_filing_return(filing=filing, by=official, note=" ")


def test_repeal_must_not_precede_issue(official) -> None:
    filing = _submit(official, issue_date=datetime.date(2006, 5, 1))
    with pytest.raises(ValueError):
        normative_filing_record_repeal(
            filing=filing, by=official, repeal_date=datetime.date(2006, 4, 30)
        )
    normative_filing_record_repeal(
        filing=filing, by=official, repeal_date=datetime.date(2007, 1, 1)
    )
    filing.refresh_from_db()
    assert filing.repeal_date == datetime.date(2007, 1, 1)


def _issued(official, number: int, issued: datetime.date, repealed: datetime.date | None = None):  # noqa: ANN001
    filing = _submit(official, number=number, issue_date=issued)
    if repealed:
        normative_filing_record_repeal(filing=filing, by=official, repeal_date=repealed)
    return filing


def test_counts_for_the_annual_report_reconcile_across_years(official) -> None:
    d = datetime.date
    _issued(official, 1, d(2004, 3, 1))
    _issued(official, 2, d(2005, 6, 1), repealed=d(2006, 2, 1))
    _issued(official, 3, d(2005, 12, 31), repealed=d(2005, 12, 31))  # issued and repealed same day
    _issued(official, 4, d(2006, 1, 1))
    _issued(official, 5, d(2006, 7, 1), repealed=d(2006, 12, 31))
    _issued(official, 6, d(2006, 12, 31), repealed=d(2007, 1, 1))
    _issued(official, 7, d(2007, 5, 5))
    _submit(official, number=8)  # not issued yet: not counted

    assert normative_document_counts(2005) == {"issued": 2, "repealed": 1, "in_force": 2}
    assert normative_document_counts(2006) == {"issued": 3, "repealed": 2, "in_force": 3}
    assert normative_document_counts(2007) == {"issued": 1, "repealed": 1, "in_force": 3}
    # 现行有效(y) = 现行有效(y−1) + 制发(y) − 废止(y)
    for year in range(2004, 2009):
        this, last = normative_document_counts(year), normative_document_counts(year - 1)
        assert this["in_force"] == last["in_force"] + this["issued"] - this["repealed"]


def test_counts_are_zero_without_filings() -> None:
    assert normative_document_counts(2006) == {"issued": 0, "repealed": 0, "in_force": 0}


def test_demo_files_the_seeds_ten_normative_documents() -> None:
    import io

    from disclosure.demo import entities as demo

    demo.load(out=io.StringIO())
    for seed in demo.NORMATIVE_DOCUMENTS:
        _entry(
            title=seed.title,
            document_no=seed.document_no,
            publisher=AdministrativeEntity.objects.get(name=seed.publisher),
            formed_date=seed.issued,
        )
    out = io.StringIO()
    demo.load_normative_filings(out)
    demo.load_normative_filings(io.StringIO())  # idempotent
    assert NormativeFiling.objects.filter(status=F.FILED).count() == 10
    assert NormativeFilingEvent.objects.filter(to_status=F.RETURNED).count() == 1
    assert normative_document_counts(2006) == {"issued": 10, "repealed": 0, "in_force": 10}
    assert NormativeFiling.objects.filter(entry__title="关于统一规范性文件备案格式的通知").exists()
    assert "10 filed" in out.getvalue()


def test_admin_filing_add_and_workflow_buttons(client) -> None:
    admin_user = UserFactory(is_superuser=True)
    client.force_login(admin_user)
    entry = _entry()
    response = client.post(
        "/admin/disclosure/normativefiling/add/",
        {
            "entry": entry.pk,
            "filing_no": "西法备〔2006〕99号",
            "submitted_date": "2006-03-01",
            "issue_date": "2006-02-20",
            "events-TOTAL_FORMS": "0",
            "events-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    filing = NormativeFiling.objects.get(entry=entry)
    assert filing.status == F.SUBMITTED
    assert filing.events.get().to_status == F.SUBMITTED
    base = f"/admin/disclosure/normativefiling/{filing.pk}/workflow"
    # each form posts the status its page showed (stale pages: seen_url)
    assert client.post(seen_url(f"{base}/start_review/", filing), {"note": ""}).status_code == 302
    # returning without a reason is refused by the form
    assert client.post(seen_url(f"{base}/return/", filing), {"note": ""}).status_code == 200
    filed = {"note": "", "filed_date": "2006-03-10"}
    assert client.post(seen_url(f"{base}/file/", filing), filed).status_code == 302
    filing.refresh_from_db()
    assert filing.status == F.FILED
    assert filing.filed_date == datetime.date(2006, 3, 10)
