"""The personal-data gate: a catalogue entry showing an ID, mobile or bank-card number waits for a
reviewer to redact it or confirm it is no personal data, and that decision is in its history."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.actions.catalogue import (
    catalogue_attachment_add,
    catalogue_entry_confirm_no_personal_data,
    catalogue_entry_publish,
    catalogue_entry_redact_personal_data,
    catalogue_entry_return,
    catalogue_entry_submit_for_review,
)
from disclosure.models.catalogue import CatalogueEntry, CatalogueEntryEvent
from disclosure.personal_data import (
    CONFIRMED_NOTE,
    REDACTED_NOTE,
    PersonalDataUnreviewed,
    personal_data_redact,
    personal_data_scan,
)
from tests.factories.disclosure import (
    CatalogueEntryFactory,
    UserFactory,
    catalogue_reviewer,
    make_credit_code,
    make_resident_id,
)
from tests.factories.workflow import seen_url

pytestmark = pytest.mark.django_db
Status = CatalogueEntry.Status

VALID_ID = make_resident_id(birth="19900307", serial="457")
BAD_CHECKSUM_ID = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
VISA_TEST_CARD = "4111111111111111"  # Luhn-valid


def _kinds(text: str) -> list[str]:
    return [finding.kind for finding in personal_data_scan(text)]


# --- the scanner ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (f"申请人身份证号{VALID_ID}，住址略。", ["resident_id"]),
        (f"号码{BAD_CHECKSUM_ID}校验位不对", []),
        ("联系人手机13812345678。", ["mobile"]),
        ("手机：+86 138-1234-5678", ["mobile"]),
        ("电话：0411-83630000", []),
        (f"银行卡号 {VISA_TEST_CARD} 开户行", ["bank_card"]),
        ("银行卡号 4111 1111 1111 1111", ["bank_card"]),
        ("卡号 4111111111111112", []),  # fails the Luhn check
        (f"统一社会信用代码{make_credit_code(7)}", []),
        ("文号西政发〔2006〕5号，索引号11210203MB0000000X/2025-00001", []),
        (f"<p>身份证<b>{VALID_ID}</b></p>", ["resident_id"]),
    ],
)
def test_the_scanner_finds_what_identifies_a_person_and_nothing_else(text, kinds) -> None:
    assert _kinds(text) == kinds


def test_findings_are_masked_and_redaction_keeps_the_markup() -> None:
    (finding,) = personal_data_scan(f"<p>{VALID_ID}</p>", where="正文")
    assert VALID_ID not in finding.masked and finding.masked.startswith(VALID_ID[:3])
    redacted = personal_data_redact(f"<p>身份证{VALID_ID}，手机13812345678</p>")
    assert redacted.startswith("<p>") and redacted.endswith("</p>")
    assert VALID_ID not in redacted and "13812345678" not in redacted
    assert personal_data_scan(redacted) == []


# --- the gate ------------------------------------------------------------------------------------


def _in_review(**fields) -> CatalogueEntry:
    entry = CatalogueEntryFactory(**fields)
    catalogue_entry_submit_for_review(entry=entry, by=entry.author)
    entry.refresh_from_db()
    return entry


def test_a_valid_resident_id_blocks_publication() -> None:
    entry = _in_review(body=f"<p>经查，当事人身份证号码{VALID_ID}。</p>")
    with pytest.raises(PersonalDataUnreviewed) as refused:
        catalogue_entry_publish(entry=entry, by=catalogue_reviewer())
    assert "resident identity number" in str(refused.value) or "身份" in str(refused.value)
    assert VALID_ID not in str(refused.value)  # the message masks the number too
    entry.refresh_from_db()
    assert entry.status == Status.IN_REVIEW and entry.index_no is None


@pytest.mark.parametrize("field", ["title", "summary", "keywords"])
def test_every_public_text_field_is_scanned(field) -> None:
    entry = _in_review(**{field: f"联系电话13912345678 {field}"})
    with pytest.raises(PersonalDataUnreviewed):
        catalogue_entry_publish(entry=entry, by=catalogue_reviewer())


def test_an_invalid_checksum_number_does_not_block() -> None:
    entry = _in_review(body=f"<p>编号{BAD_CHECKSUM_ID}</p>")
    catalogue_entry_publish(entry=entry, by=catalogue_reviewer())
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED


def test_confirming_records_the_reviewer_and_unblocks() -> None:
    entry = _in_review(body="<p>举报电话13812345678（公开的服务热线）</p>")
    reviewer = catalogue_reviewer()
    catalogue_entry_confirm_no_personal_data(entry=entry, by=reviewer, note="这是单位热线")
    event = CatalogueEntryEvent.objects.filter(entry=entry).latest("id")
    assert event.actor == reviewer
    assert event.note.startswith(CONFIRMED_NOTE) and "这是单位热线" in event.note
    assert "13812345678" not in event.note  # the history masks it as well
    catalogue_entry_publish(entry=entry, by=reviewer)
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED and "13812345678" in entry.body


def test_a_confirmation_does_not_survive_a_return_and_resubmission() -> None:
    entry = _in_review(body=f"<p>{VALID_ID}</p>")
    reviewer = catalogue_reviewer()
    catalogue_entry_confirm_no_personal_data(entry=entry, by=reviewer)
    catalogue_entry_return(entry=entry, by=reviewer, note="请修改")
    catalogue_entry_submit_for_review(entry=entry, by=entry.author)
    with pytest.raises(PersonalDataUnreviewed):
        catalogue_entry_publish(entry=entry, by=reviewer)


def test_redacting_masks_the_text_records_it_and_unblocks() -> None:
    entry = _in_review(
        title="关于张某的处罚决定",
        body=f"<p>当事人身份证{VALID_ID}，银行卡{VISA_TEST_CARD}。</p>",
    )
    reviewer = catalogue_reviewer()
    catalogue_entry_redact_personal_data(entry=entry, by=reviewer)
    entry.refresh_from_db()
    assert VALID_ID not in entry.body and VISA_TEST_CARD not in entry.body
    assert entry.body.startswith("<p>当事人身份证") and entry.status == Status.IN_REVIEW
    event = CatalogueEntryEvent.objects.filter(entry=entry).latest("id")
    assert event.actor == reviewer and event.note.startswith(REDACTED_NOTE)
    catalogue_entry_publish(entry=entry, by=reviewer)
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED


def test_only_a_reviewer_other_than_the_author_decides() -> None:
    entry = _in_review(body=f"<p>{VALID_ID}</p>")
    with pytest.raises(PermissionDenied):
        catalogue_entry_confirm_no_personal_data(entry=entry, by=UserFactory())
    with pytest.raises(PermissionDenied):
        catalogue_entry_confirm_no_personal_data(entry=entry, by=entry.author)
    assert not CatalogueEntryEvent.objects.filter(note__startswith=CONFIRMED_NOTE).exists()


def test_a_document_attachment_is_read_and_its_numbers_block() -> None:
    entry = CatalogueEntryFactory()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(
            "word/document.xml",
            f"<w:document><w:p><w:r><w:t>身份证{VALID_ID[:9]}</w:t></w:r>"
            f"<w:r><w:t>{VALID_ID[9:]}</w:t></w:r></w:p></w:document>",
        )
    upload = SimpleUploadedFile("名单.docx", buffer.getvalue())
    catalogue_attachment_add(entry=entry, by=entry.author, file=upload, title="名单")
    catalogue_entry_submit_for_review(entry=entry, by=entry.author)
    with pytest.raises(PersonalDataUnreviewed) as refused:
        catalogue_entry_publish(entry=entry, by=catalogue_reviewer())
    assert "名单" in str(refused.value)


# --- the admin -----------------------------------------------------------------------------------


@pytest.fixture
def reviewer_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("pd-reviewer", password="x"))
    return client


def test_the_admin_lists_the_findings_and_offers_the_decisions(reviewer_client) -> None:
    entry = _in_review(body="<p>手机13812345678</p>")
    page = reviewer_client.get(f"/admin/disclosure/catalogueentry/{entry.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "138******78" in html and "13812345678" not in html.split("personal_data_check")[-1]
    assert "workflow/confirm-no-personal-data/" in html
    assert "workflow/redact-personal-data/" in html


def test_publishing_in_the_admin_shows_the_findings_instead_of_failing(reviewer_client) -> None:
    entry = _in_review(body=f"<p>{VALID_ID}</p>")
    url = seen_url(f"/admin/disclosure/catalogueentry/{entry.pk}/workflow/publish/", entry)
    refused = reviewer_client.post(url, {"note": ""})
    assert refused.status_code == 200
    assert VALID_ID[:3] + "*" in refused.content.decode()
    entry.refresh_from_db()
    assert entry.status == Status.IN_REVIEW

    confirm = seen_url(
        f"/admin/disclosure/catalogueentry/{entry.pk}/workflow/confirm-no-personal-data/", entry
    )
    assert reviewer_client.post(confirm, {"note": "测试数据"}).status_code == 302
    assert reviewer_client.post(url, {"note": ""}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == Status.PUBLISHED
    page = reviewer_client.get(f"/admin/disclosure/catalogueentry/{entry.pk}/change/")
    assert "workflow/confirm-no-personal-data/" not in page.content.decode()


def test_no_buttons_when_nothing_is_found(reviewer_client) -> None:
    entry = _in_review()
    html = reviewer_client.get(f"/admin/disclosure/catalogueentry/{entry.pk}/change/").content
    assert b"workflow/publish/" in html and b"personal-data/" not in html


# --- complaints: the reply and the conclusion are the complainant's, never public ----------------


def test_a_complaints_reply_and_conclusion_never_reach_a_public_surface(client) -> None:
    from complaints.actions.complaints import (
        complaint_conclude,
        complaint_reply,
    )
    from tests.factories.complaints import (
        complaint_handler,
        complaint_to_investigating,
        submit_complaint,
    )

    complaint, _credentials = submit_complaint()
    handler = complaint_handler()
    complaint_to_investigating(complaint, handler)
    complaint_conclude(
        complaint=complaint,
        by=handler,
        finding="substantiated",
        measures=["admonishment"],
        conclusion=f"经查，工作人员（身份证{VALID_ID}）拒不改正。",
    )
    complaint_reply(complaint=complaint, by=handler, reply="请致电13812345678联系承办人。")
    public = [
        client.get("/complaints/").content.decode(),
        client.get("/en/complaints/").content.decode(),
        client.get("/api/v1/complaints/ledger/").content.decode(),
        client.get("/open311/v2/requests.json").content.decode(),
        client.get("/open311/v2/requests.xml").content.decode(),
    ]
    assert complaint.tracking_no in public[0]  # the ledger lists it, with its outcome type only
    for body in public:
        assert VALID_ID not in body and "13812345678" not in body
        assert "拒不改正" not in body and "联系承办人" not in body
