"""Ratings (政务服务“好差评”, 国办发〔2019〕51号): one per completed case, five levels.

A rating of 2 or below (不满意, 非常不满意) opens a rectification task (整改): the department that
handled the case calls the rater back, classifies the problem (立行立改, 限期整改 or 解释说明),
fixes or explains it by a due date in working days, and records one follow-up rating. A
department may appeal against a malicious rating (申诉复核); another department decides, and an
upheld appeal takes the rating out of the statistics and the window's stars.

The rectification period is configurable (domain-rules §4: Chengdu 15, Dezhou 5 working days):
one `RatingSettings` row, edited in the admin, default 15.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from disclosure.models.events import WorkflowEvent

DEFAULT_RECTIFICATION_WORKDAYS = 15
# Ratings at or below this level are bad reviews (差评) and open a rectification task.
BAD_RATING_MAX_LEVEL = 2

# The indicators each channel rates (domain-rules §4).
ONLINE_INDICATORS = {
    "overall": _("Overall satisfaction"),
    "efficiency": _("Efficiency"),
    "guide_accuracy": _("Accuracy of the service guide"),
    "convenience": _("Convenience"),
    "platform_usability": _("Ease of use of the platform"),
}
OFFLINE_INDICATORS = {
    "overall": _("Overall satisfaction"),
    "service_efficiency": _("Service efficiency"),
    "service_level": _("Service quality"),
    "service_attitude": _("Service attitude"),
}


class RatingSettings(models.Model):
    """The district's rating rules, one row (pk 1): how long a department has to rectify."""

    rectification_workdays = models.PositiveSmallIntegerField(
        _("working days to rectify a bad rating"),
        default=DEFAULT_RECTIFICATION_WORKDAYS,
        help_text=_("Counted from the day of the rating; 15 and 5 are common."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating settings")
        verbose_name_plural = _("rating settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="ratingsettings_single_row"),
            models.CheckConstraint(
                condition=Q(rectification_workdays__gte=1, rectification_workdays__lte=60),
                name="ratingsettings_workdays_1_60",
            ),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "RatingSettings":
        """The settings row, created with the defaults on first use."""
        row, _created = cls.objects.get_or_create(pk=1)
        return row


class RatingQuerySet(models.QuerySet):
    def counted(self) -> "RatingQuerySet":
        """Ratings that count in statistics and stars: initial ones not excluded on appeal."""
        return self.filter(kind=Rating.Kind.INITIAL).exclude(status=Rating.Status.EXCLUDED)


class Rating(models.Model):
    """A rater's verdict on one completed case (一次一评 at a window, 一事一评 online)."""

    class Level(models.IntegerChoices):
        VERY_SATISFIED = 5, _("Very satisfied")
        SATISFIED = 4, _("Satisfied")
        FAIRLY_SATISFIED = 3, _("Fairly satisfied")
        DISSATISFIED = 2, _("Dissatisfied")
        VERY_DISSATISFIED = 1, _("Very dissatisfied")

    class Channel(models.TextChoices):
        WINDOW = "window", _("Rating device at the window")
        ONLINE = "online", _("Online service hall")
        MOBILE = "mobile", _("Mobile app")
        SMS = "sms", _("Text message")
        HOTLINE = "hotline", _("Hotline")

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Rating")
        FOLLOW_UP = "follow_up", _("Follow-up rating after rectification")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        UNDER_APPEAL = "under_appeal", _("Under appeal")
        EXCLUDED = "excluded", _("Excluded after appeal")

    ONLINE_CHANNELS = frozenset({Channel.ONLINE, Channel.MOBILE})

    case = models.ForeignKey(
        "services.ServiceCase",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.INITIAL)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    indicators = models.JSONField(
        _("indicator levels"),
        default=dict,
        blank=True,
        help_text=_("Level 1-5 for each of the channel's indicators."),
    )
    comment = models.TextField(_("comment"), blank=True)
    is_real_name = models.BooleanField(_("real name"), default=False)
    # Private: for the call-back only; never on a public page, export or API.
    rater_name = models.CharField(_("rater's name"), max_length=60, blank=True)
    rater_phone = models.CharField(_("rater's phone"), max_length=40, blank=True)
    # Denormalised from the case for period statistics and window stars without joins.
    window = models.ForeignKey(
        "services.ServiceWindow",
        verbose_name=_("window"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ratings",
    )
    rated_on = models.DateField(_("rated on"), db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.VALID
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()
    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["-rated_on", "-id"]
        permissions = [
            ("record_rating", _("Can record ratings given at windows or by phone")),
        ]
        indexes = [
            models.Index(fields=["window", "rated_on"], name="rating_window_rated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="rating_level_1_5"
            ),
            models.UniqueConstraint(fields=["case", "kind"], name="rating_one_per_case_and_kind"),
            models.CheckConstraint(
                condition=Q(is_real_name=False) | ~Q(rater_phone=""),
                name="rating_real_name_has_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.level}"

    @property
    def is_bad(self) -> bool:
        return self.level <= BAD_RATING_MAX_LEVEL

    @classmethod
    def indicators_for(cls, channel: str) -> dict:
        """The indicators a rating on `channel` scores (online or offline set)."""
        return ONLINE_INDICATORS if channel in cls.ONLINE_CHANNELS else OFFLINE_INDICATORS


class RectificationTask(models.Model):
    """The handling of a bad rating: call-back, classification, fix or explanation, follow-up."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", _("Fixed on the spot (立行立改)")
        DEADLINE = "deadline", _("Rectification by a deadline (限期整改)")
        EXPLANATION = "explanation", _("Explanation given (解释说明)")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CALLED_BACK = "called_back", _("Rater called back")
        RECTIFIED = "rectified", _("Rectified or explained")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled (rating excluded on appeal)")

    rating = models.OneToOneField(
        Rating,
        verbose_name=_("rating"),
        on_delete=models.PROTECT,
        related_name="rectification",
    )
    entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="rectification_tasks",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    opened_on = models.DateField(_("opened on"))
    workdays = models.PositiveSmallIntegerField(_("working days allowed"))
    due_date = models.DateField(_("due date"), db_index=True)
    called_back_on = models.DateField(_("called back on"), null=True, blank=True)
    call_back_note = models.TextField(_("call-back record"), blank=True)
    rectification_note = models.TextField(_("what was done"), blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    follow_up_rating = models.OneToOneField(
        Rating,
        verbose_name=_("follow-up rating"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_up_of",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rectification task")
        verbose_name_plural = _("rectification tasks")
        ordering = ["due_date", "id"]
        permissions = [
            ("handle_rectificationtask", _("Can call back raters and rectify bad ratings")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("opened_on")),
                name="rectificationtask_due_after_opened",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "cancelled"]) | ~Q(kind=""),
                name="rectificationtask_classified_after_call",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.get_status_display()}"

    def can_move_to(self, status: str) -> bool:
        return status in RECTIFICATION_TRANSITIONS.get(self.status, frozenset())


R = RectificationTask.Status
RECTIFICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    R.OPEN: frozenset({R.CALLED_BACK, R.CANCELLED}),
    R.CALLED_BACK: frozenset({R.RECTIFIED, R.CANCELLED}),
    R.RECTIFIED: frozenset({R.CLOSED}),
    R.CLOSED: frozenset(),
    R.CANCELLED: frozenset(),
}


class RectificationTaskEvent(WorkflowEvent):
    """One step of a rectification task."""

    task = models.ForeignKey(
        RectificationTask,
        verbose_name=_("rectification task"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    from_status = models.CharField(
        _("from status"), max_length=12, choices=RectificationTask.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to status"), max_length=12, choices=RectificationTask.Status.choices
    )

    class Meta(WorkflowEvent.Meta):
        verbose_name = _("rectification task event")
        verbose_name_plural = _("rectification task events")


class RatingAppeal(models.Model):
    """A department's appeal (申诉) against a malicious rating; another department decides."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UPHELD = "upheld", _("Upheld: rating excluded")
        REJECTED = "rejected", _("Rejected: rating stands")

    rating = models.OneToOneField(
        Rating, verbose_name=_("rating"), on_delete=models.PROTECT, related_name="appeal"
    )
    appellant_entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("appealing department"),
        on_delete=models.PROTECT,
        related_name="rating_appeals_made",
    )
    reason = models.TextField(_("reason"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    deciding_entity = models.ForeignKey(
        "disclosure.AdministrativeEntity",
        verbose_name=_("deciding department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rating_appeals_decided",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rating appeal")
        verbose_name_plural = _("rating appeals")
        ordering = ["-submitted_at", "-id"]
        permissions = [
            ("decide_ratingappeal", _("Can decide appeals against ratings")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deciding_entity__isnull=True)
                | ~Q(deciding_entity=models.F("appellant_entity")),
                name="ratingappeal_decided_by_another_department",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating_id}: {self.get_status_display()}"
