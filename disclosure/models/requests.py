"""Disclosure on request (依申请公开): applications, their clocks, consultations, fees, appeals.

The rules are the Regulation on Open Government Information (2019, 条例) Art 27-45 and the
fee rules of 国办函〔2020〕109号. The reply's outcome is one of the exact leaf rows of the annual
report's Table 三 (国办公开办函〔2021〕30号), so that the report counts what the office decided.
"""

import datetime
import uuid
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.models.events import WorkflowEvent
from disclosure.tracking import Trackable

REPLY_WORKDAYS = 20  # 条例 Art 33 ¶2
EXTENSION_MAX_WORKDAYS = 20  # 条例 Art 33 ¶2
CORRECTION_NOTICE_WORKDAYS = 7  # 条例 Art 30
CONSULTATION_WORKDAYS = 15  # 条例 Art 32, 34
FEE_PAYMENT_WORKDAYS = 20  # 国办函〔2020〕109号: within 20 WD of the day after the notice


class ApplicantType(models.TextChoices):
    """Table 三's columns: 自然人 and the five kinds of 法人或其他组织."""

    # Translators: 自然人
    NATURAL_PERSON = "natural_person", _("Natural person")
    # Translators: 商业企业
    COMMERCIAL = "commercial", _("Commercial enterprise")
    # Translators: 科研机构
    RESEARCH = "research", _("Research institution")
    # Translators: 社会公益组织
    PUBLIC_INTEREST = "public_interest", _("Public-interest organisation")
    # Translators: 法律服务机构
    LEGAL_SERVICE = "legal_service", _("Legal service institution")
    # Translators: 其他
    OTHER_ORGANISATION = "other_org", _("Other organisation")


class Outcome(models.TextChoices):
    """The reply's outcome: exactly the leaf rows of Table 三 (三、本年度办理结果)."""

    # Translators: 予以公开
    DISCLOSED = "disclosed", _("Disclosed")
    # Translators: 部分公开（区分处理的，只计这一情形，不计其他情形）
    PARTLY_DISCLOSED = (
        "partly_disclosed",
        _("Partly disclosed (separable handling counts here only)"),
    )
    # Translators: 属于国家秘密
    WITHHELD_STATE_SECRET = "withheld_state_secret", _("State secret")
    # Translators: 其他法律行政法规禁止公开
    WITHHELD_PROHIBITED = (
        "withheld_prohibited",
        _("Disclosure prohibited by other laws or administrative regulations"),
    )
    # Translators: 危及"三安全一稳定"
    WITHHELD_SECURITY = (
        "withheld_security",
        _('Would endanger the "three securities and one stability"'),
    )
    # Translators: 保护第三方合法权益
    WITHHELD_THIRD_PARTY = (
        "withheld_third_party",
        _("Protection of a third party's lawful rights and interests"),
    )
    # Translators: 属于三类内部事务信息
    WITHHELD_INTERNAL = "withheld_internal", _("Internal affairs information (three kinds)")
    # Translators: 属于四类过程性信息
    WITHHELD_PROCESS = "withheld_process", _("Process information (four kinds)")
    # Translators: 属于行政执法案卷
    WITHHELD_ENFORCEMENT_FILE = (
        "withheld_enforcement_file",
        _("Administrative enforcement case file"),
    )
    # Translators: 属于行政查询事项
    WITHHELD_INQUIRY = "withheld_inquiry", _("Administrative inquiry matter")
    # Translators: 本机关不掌握相关政府信息
    UNAVAILABLE_NOT_HELD = (
        "unavailable_not_held",
        _("This body does not hold the government information"),
    )
    # Translators: 没有现成信息需要另行制作
    UNAVAILABLE_NEEDS_CREATION = (
        "unavailable_needs_creation",
        _("No existing information; it would have to be created"),
    )
    # Translators: 补正后申请内容仍不明确
    UNAVAILABLE_UNCLEAR = "unavailable_unclear", _("Application still unclear after correction")
    # Translators: 信访举报投诉类申请
    NOT_HANDLED_PETITION = "not_handled_petition", _("Petition, report or complaint")
    # Translators: 重复申请
    NOT_HANDLED_REPEAT = "not_handled_repeat", _("Repeated application")
    # Translators: 要求提供公开出版物
    NOT_HANDLED_PUBLICATION = "not_handled_publication", _("Request for public publications")
    # Translators: 无正当理由大量反复申请
    NOT_HANDLED_EXCESSIVE = (
        "not_handled_excessive",
        _("Numerous repeated applications without good reason"),
    )
    # Translators: 要求行政机关确认或重新出具已获取信息
    NOT_HANDLED_CONFIRMATION = (
        "not_handled_confirmation",
        _("Request to confirm or reissue information already obtained"),
    )
    # Translators: 申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请
    OTHER_NO_CORRECTION = (
        "other_no_correction",
        _(
            "Applicant did not correct in time without good reason; the application is not "
            "handled further"
        ),
    )
    # Translators: 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请
    OTHER_FEE_UNPAID = (
        "other_fee_unpaid",
        _("Applicant did not pay the notified fee in time; the application is not handled further"),
    )
    # Translators: 其他
    OTHER = "other", _("Other")


# Table 三's outcome groups, in the form's order: (group code, numeral, outcomes).
OUTCOME_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("disclosed", "（一）", (Outcome.DISCLOSED,)),
    ("partly_disclosed", "（二）", (Outcome.PARTLY_DISCLOSED,)),
    (
        "withheld",
        "（三）",
        (
            Outcome.WITHHELD_STATE_SECRET,
            Outcome.WITHHELD_PROHIBITED,
            Outcome.WITHHELD_SECURITY,
            Outcome.WITHHELD_THIRD_PARTY,
            Outcome.WITHHELD_INTERNAL,
            Outcome.WITHHELD_PROCESS,
            Outcome.WITHHELD_ENFORCEMENT_FILE,
            Outcome.WITHHELD_INQUIRY,
        ),
    ),
    (
        "unavailable",
        "（四）",
        (
            Outcome.UNAVAILABLE_NOT_HELD,
            Outcome.UNAVAILABLE_NEEDS_CREATION,
            Outcome.UNAVAILABLE_UNCLEAR,
        ),
    ),
    (
        "not_handled",
        "（五）",
        (
            Outcome.NOT_HANDLED_PETITION,
            Outcome.NOT_HANDLED_REPEAT,
            Outcome.NOT_HANDLED_PUBLICATION,
            Outcome.NOT_HANDLED_EXCESSIVE,
            Outcome.NOT_HANDLED_CONFIRMATION,
        ),
    ),
    ("other", "（六）", (Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_FEE_UNPAID, Outcome.OTHER)),
)

OUTCOME_GROUP_LABELS: dict[str, object] = {
    # Translators: 予以公开
    "disclosed": _("Disclosed"),
    # Translators: 部分公开（区分处理的，只计这一情形，不计其他情形）
    "partly_disclosed": _("Partly disclosed (separable handling counts here only)"),
    # Translators: 不予公开
    "withheld": _("Withheld"),
    # Translators: 无法提供
    "unavailable": _("Cannot be provided"),
    # Translators: 不予处理
    "not_handled": _("Not handled"),
    # Translators: 其他处理
    "other": _("Other handling"),
}

# The legal basis printed in the reply letter for each outcome (条例 articles).
REGULATION = "《中华人民共和国政府信息公开条例》"
OUTCOME_CITATIONS: dict[str, str] = {
    Outcome.DISCLOSED: REGULATION + "第三十六条第（一）项、第（二）项",
    Outcome.PARTLY_DISCLOSED: REGULATION + "第三十七条",
    Outcome.WITHHELD_STATE_SECRET: REGULATION + "第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_PROHIBITED: REGULATION + "第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_SECURITY: REGULATION + "第十四条、第三十六条第（三）项",
    Outcome.WITHHELD_THIRD_PARTY: REGULATION + "第十五条、第三十二条",
    Outcome.WITHHELD_INTERNAL: REGULATION + "第十六条第一款",
    Outcome.WITHHELD_PROCESS: REGULATION + "第十六条第二款",
    Outcome.WITHHELD_ENFORCEMENT_FILE: REGULATION + "第十六条第二款",
    Outcome.WITHHELD_INQUIRY: REGULATION + "第三十六条第（七）项",
    Outcome.UNAVAILABLE_NOT_HELD: REGULATION + "第三十六条第（四）项、第（五）项",
    Outcome.UNAVAILABLE_NEEDS_CREATION: REGULATION + "第三十八条",
    Outcome.UNAVAILABLE_UNCLEAR: REGULATION + "第三十条",
    Outcome.NOT_HANDLED_PETITION: REGULATION + "第三十九条第一款",
    Outcome.NOT_HANDLED_REPEAT: REGULATION + "第三十六条第（六）项",
    Outcome.NOT_HANDLED_PUBLICATION: REGULATION + "第三十九条第二款",
    Outcome.NOT_HANDLED_EXCESSIVE: REGULATION + "第三十五条",
    Outcome.NOT_HANDLED_CONFIRMATION: REGULATION + "第三十八条",
    Outcome.OTHER_NO_CORRECTION: REGULATION + "第三十条",
    Outcome.OTHER_FEE_UNPAID: "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    Outcome.OTHER: REGULATION + "",
}


def fee_by_piece(ordinal: int) -> Decimal:
    """信息处理费 按件 for the `ordinal`-th application of one applicant in one natural month.

    国办函〔2020〕109号: the first 10 are free; the 11th to 30th cost 100 元 each; from the 31st,
    each further block of 10 costs 100 元 more per piece (31-40: 200, 41-50: 300, ...).
    """
    if ordinal <= 10:
        return Decimal(0)
    if ordinal <= 30:
        return Decimal(100)
    return Decimal(100 + 100 * ((ordinal - 31) // 10 + 1))


def fee_by_volume(pages: int) -> Decimal:
    """信息处理费 按量 for `pages` pages (paper, e-mail or copied data), progressive tiers.

    国办函〔2020〕109号: up to 30 pages free; pages 31-100 at 10 元; 101-200 at 20 元; from 201
    at 40 元 each.
    """
    tiers = ((30, 0), (100, 10), (200, 20), (None, 40))
    total, lower = 0, 0
    for upper, price in tiers:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            total += (top - lower) * price
        if upper is None or pages <= upper:
            break
        lower = upper
    return Decimal(total)


class InformationRequestQuerySet(models.QuerySet):
    """Reusable filters for information requests."""

    def received(self) -> "InformationRequestQuerySet":
        """Requests the office has received (they count in the annual report)."""
        return self.filter(received_date__isnull=False)

    def open(self) -> "InformationRequestQuerySet":
        """Requests still running (received, not concluded)."""
        return self.received().filter(concluded_date__isnull=True)


class InformationRequest(Trackable):
    """One application for government information (条例 Art 27-29)."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        RECEIVED = "received", _("Received")
        CORRECTION_REQUESTED = "correction_requested", _("Correction requested")
        ABANDONED = "abandoned", _("Deemed abandoned")
        IN_REVIEW = "in_review", _("In review")
        CONSULTING = "consulting", _("Consulting third parties or agencies")
        EXTENDED = "extended", _("Time limit extended")
        FEE_NOTIFIED = "fee_notified", _("Fee notified")
        PAID = "paid", _("Fee paid")
        LAPSED = "lapsed", _("Lapsed: fee not paid")
        REPLIED = "replied", _("Replied")
        CLOSED = "closed", _("Closed")

    class IdType(models.TextChoices):
        RESIDENT_ID = "resident_id", _("Resident identity card")
        PASSPORT = "passport", _("Passport")
        CREDIT_CODE = "credit_code", _("Unified social credit code")
        OTHER = "other", _("Other identity document")

    class DeliveryForm(models.TextChoices):
        PAPER = "paper", _("Paper")
        EMAIL = "email", _("E-mail")
        ELECTRONIC = "electronic", _("Electronic data")
        ONSITE = "onsite", _("Reading on site")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        REGISTERED_POST = "registered_post", _("Registered post")
        ORDINARY_POST = "ordinary_post", _("Ordinary post")
        ONLINE = "online", _("Online")
        FAX = "fax", _("Fax")

    class FeeMethod(models.TextChoices):
        BY_PIECE = "by_piece", _("By piece")
        BY_VOLUME = "by_volume", _("By volume (pages)")

    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("entity addressed"),
        on_delete=models.PROTECT,
        related_name="information_requests",
    )
    applicant_type = models.CharField(
        _("applicant type"), max_length=20, choices=ApplicantType.choices
    )
    applicant_name = models.CharField(_("applicant name"), max_length=200)
    id_type = models.CharField(_("identity document"), max_length=16, choices=IdType.choices)
    id_number = models.CharField(_("identity document number"), max_length=40)
    contact_phone = models.CharField(_("phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_address = models.CharField(_("postal address"), max_length=300, blank=True)
    info_title = models.CharField(_("title of the information"), max_length=300, blank=True)
    info_document_no = models.CharField(_("document number"), max_length=100, blank=True)
    info_description = models.TextField(_("description of the information"), blank=True)
    delivery_form = models.CharField(
        _("delivery form"), max_length=16, choices=DeliveryForm.choices
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    received_date = models.DateField(_("date of receipt"), null=True, blank=True, db_index=True)
    clock_start = models.DateField(_("reply clock starts"), null=True, blank=True)
    correction_notice_date = models.DateField(_("correction notice date"), null=True, blank=True)
    correction_items = models.TextField(_("items to correct"), blank=True)
    correction_period_end = models.DateField(_("correction period ends"), null=True, blank=True)
    corrected_date = models.DateField(_("corrected application received"), null=True, blank=True)
    extension_workdays = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extension_approved_by = models.CharField(_("extension approved by"), max_length=60, blank=True)
    extension_date = models.DateField(_("extension date"), null=True, blank=True)
    fee_method = models.CharField(
        _("fee method"), max_length=16, choices=FeeMethod.choices, blank=True
    )
    fee_units = models.PositiveIntegerField(_("pieces or pages"), default=0)
    fee_amount = models.DecimalField(
        _("fee (yuan)"), max_digits=10, decimal_places=2, default=Decimal(0)
    )
    fee_notice_date = models.DateField(_("fee notice received"), null=True, blank=True)
    fee_paid_date = models.DateField(_("fee paid on"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=32, choices=Outcome.choices, blank=True, db_index=True
    )
    reply_date = models.DateField(_("reply date"), null=True, blank=True)
    reply_letter = models.TextField(_("reply letter"), blank=True)
    concluded_date = models.DateField(_("concluded on"), null=True, blank=True, db_index=True)
    closed_date = models.DateField(_("closed on"), null=True, blank=True)
    due_date = models.DateField(_("reply due"), null=True, blank=True, db_index=True)
    reminded_for = models.DateField(_("reminder sent for due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["tracking_password_hash"])
    objects = InformationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("handle_informationrequest", _("Can handle information requests")),
            ("approve_extension_informationrequest", _("Can approve reply extensions")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extension_workdays__lte=EXTENSION_MAX_WORKDAYS),
                name="request_extension_at_most_20",
            ),
            models.CheckConstraint(
                condition=~models.Q(contact_phone="")
                | ~models.Q(contact_email="")
                | ~models.Q(contact_address=""),
                name="request_has_contact",
            ),
            models.CheckConstraint(
                condition=~models.Q(info_title="")
                | ~models.Q(info_document_no="")
                | ~models.Q(info_description=""),
                name="request_describes_information",
            ),
            models.CheckConstraint(
                condition=models.Q(concluded_date__isnull=True) | ~models.Q(outcome=""),
                name="request_concluded_has_outcome",
            ),
            models.CheckConstraint(
                condition=models.Q(concluded_date__isnull=True)
                | models.Q(
                    received_date__isnull=False, concluded_date__gte=models.F("received_date")
                ),
                name="request_concluded_after_receipt",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_no or f"#{self.pk}"

    def can_move_to(self, status: str) -> bool:
        """Whether the request workflow allows a move from the current status to `status`."""
        return status in REQUEST_TRANSITIONS.get(self.status, frozenset())

    @property
    def information_summary(self) -> str:
        """The information sought, in one line: title, document number or description."""
        return self.info_title or self.info_document_no or self.info_description[:80]


_S = InformationRequest.Status

REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    _S.SUBMITTED: frozenset({_S.RECEIVED}),
    _S.RECEIVED: frozenset({_S.CORRECTION_REQUESTED, _S.IN_REVIEW, _S.REPLIED}),
    _S.CORRECTION_REQUESTED: frozenset({_S.IN_REVIEW, _S.ABANDONED}),
    _S.IN_REVIEW: frozenset({_S.CONSULTING, _S.EXTENDED, _S.FEE_NOTIFIED, _S.REPLIED}),
    _S.CONSULTING: frozenset({_S.IN_REVIEW, _S.EXTENDED}),
    _S.EXTENDED: frozenset({_S.CONSULTING, _S.FEE_NOTIFIED, _S.REPLIED}),
    _S.FEE_NOTIFIED: frozenset({_S.PAID, _S.LAPSED}),
    _S.PAID: frozenset({_S.REPLIED}),
    _S.REPLIED: frozenset({_S.CLOSED}),
    _S.ABANDONED: frozenset({_S.CLOSED}),
    _S.LAPSED: frozenset({_S.CLOSED}),
    _S.CLOSED: frozenset(),
}
TRANSITIONS = REQUEST_TRANSITIONS


class RequestEvent(WorkflowEvent):
    """One step of a request's workflow (the office's register, 条例 Art 45)."""

    request = models.ForeignKey(
        InformationRequest,
        verbose_name=_("information request"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from status"), max_length=24, choices=InformationRequest.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=24, choices=InformationRequest.Status.choices
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("request event")
        verbose_name_plural = _("request events")


class RequestConsultation(models.Model):
    """A written consultation of a third party or another agency (条例 Art 32, 34): clock paused."""

    class Kind(models.TextChoices):
        THIRD_PARTY = "third_party", _("Third party")
        AGENCY = "agency", _("Other agency")

    request = models.ForeignKey(
        InformationRequest,
        verbose_name=_("information request"),
        on_delete=models.CASCADE,
        related_name="consultations",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    party = models.CharField(_("consulted party"), max_length=200)
    sent_date = models.DateField(_("sent on"))
    due_date = models.DateField(_("answer due"))
    answered_date = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)
    objects_to_disclosure = models.BooleanField(_("objects to disclosure"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["sent_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(answered_date__isnull=True)
                | models.Q(answered_date__gte=models.F("sent_date")),
                name="consultation_answer_after_sending",
            )
        ]

    def __str__(self) -> str:
        return self.party

    def pause_last(self) -> datetime.date:
        """The last day the reply clock stays paused: the answer, else its 15-WD due date."""
        return self.answered_date or self.due_date


class RequestAppeal(models.Model):
    """An administrative reconsideration or lawsuit about a request (Table 四)."""

    class Kind(models.TextChoices):
        # Translators: 行政复议
        RECONSIDERATION = "reconsideration", _("Administrative reconsideration")
        # Translators: 行政诉讼–未经复议直接起诉
        LITIGATION_DIRECT = "litigation_direct", _("Lawsuit without prior reconsideration")
        # Translators: 行政诉讼–复议后起诉
        LITIGATION_AFTER = "litigation_after", _("Lawsuit after reconsideration")

    class Result(models.TextChoices):
        # Translators: 结果维持
        UPHELD = "upheld", _("Upheld")
        # Translators: 结果纠正
        CORRECTED = "corrected", _("Corrected")
        # Translators: 其他结果
        OTHER = "other", _("Other result")
        # Translators: 尚未审结
        PENDING = "pending", _("Not yet concluded")

    request = models.ForeignKey(
        InformationRequest,
        verbose_name=_("information request"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    filed_date = models.DateField(_("filed on"))
    result = models.CharField(
        _("result"), max_length=12, choices=Result.choices, default=Result.PENDING
    )
    decided_date = models.DateField(_("decided on"), null=True, blank=True)
    body = models.CharField(_("reconsideration body or court"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["filed_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result="pending") | models.Q(decided_date__isnull=False),
                name="appeal_decided_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_date}"


def request_document_upload_to(instance: "RequestDocument", filename: str) -> str:
    """MEDIA_ROOT/requests/<random>.<ext>: never guessable, never the uploaded file's name.

    Reply documents go to one applicant only: they are served by the tracking session's private
    download view, never from a public media URL.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    if not extension.isalnum() or len(extension) > 5:
        extension = "bin"
    return f"requests/{uuid.uuid4().hex}.{extension}"


class RequestDocument(models.Model):
    """A document attached to the reply (checked by content, as catalogue attachments are)."""

    request = models.ForeignKey(
        InformationRequest,
        verbose_name=_("information request"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=request_document_upload_to, max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0, editable=False)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reply document")
        verbose_name_plural = _("reply documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title
