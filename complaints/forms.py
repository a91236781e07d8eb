"""Forms of the complaints app: filing a complaint and the complainant's follow-ups."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.actions.complaints import complaint_attachment_check
from complaints.models import Complaint
from complaints.models.complaints import ATTACHMENT_MAX_FILES
from disclosure.models import AdministrativeEntity
from disclosure.validators import validate_typed_text
from services.models import ServiceCase, ServiceItem, ServiceWindow

# ASCII digits only and nothing after (\d matches any script's digits, $ a final newline).
MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}\Z")
TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!]")
DESCRIPTION_MAX = 4000


def validate_mobile(value: str) -> None:
    """A mainland China mobile number: 11 digits starting 13–19."""
    if not MOBILE_RE.match(value):
        raise ValidationError(
            _("Enter a mainland China mobile number of 11 digits, such as 13812345678."),
            code="mobile",
        )


def validate_plain_text(value: str) -> None:
    """Plain text only: HTML or script tags are refused rather than silently stripped.

    Control characters, direction overrides and undecodable bytes are refused too.
    """
    if TAG_RE.search(value or ""):
        raise ValidationError(
            _("Write plain text: HTML tags such as <script> are not accepted."), code="tags"
        )
    validate_typed_text(value)


def normalise_mobile(value: str) -> str:
    value = re.sub(r"[\s\-－]", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files; each checked by content (images and PDF only) and size."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > ATTACHMENT_MAX_FILES:
            raise ValidationError(
                _("At most %(n)d files may be attached."), params={"n": ATTACHMENT_MAX_FILES}
            )
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for file in cleaned:
            complaint_attachment_check(file)
        return cleaned


class ComplaintForm(forms.Form):
    """A citizen's complaint. At least one target; real name with mobile, or anonymous."""

    entity = forms.ModelChoiceField(
        label=_("Department"),
        queryset=AdministrativeEntity.objects.none(),
        required=False,
    )
    window = forms.ModelChoiceField(
        label=_("Window"), queryset=ServiceWindow.objects.none(), required=False
    )
    item = forms.ModelChoiceField(
        label=_("Service item"), queryset=ServiceItem.objects.none(), required=False
    )
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=40,
        required=False,
        help_text=_("The number on your acknowledgement slip, if the complaint is about a case."),
    )
    category = forms.ChoiceField(
        label=_("What kind of problem"), choices=Complaint.Category.choices
    )
    description = forms.CharField(
        label=_("What happened"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=DESCRIPTION_MAX,
        validators=[validate_plain_text],
    )
    occurred_on = forms.DateField(
        label=_("When it happened"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    place = forms.CharField(
        label=_("Where it happened"),
        max_length=200,
        required=False,
        validators=[validate_plain_text],
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_(
            "Up to 5 JPEG or PNG images or PDF files, 5 MB each. Photo metadata is removed."
        ),
    )
    anonymous = forms.BooleanField(
        label=_("Complain anonymously (you can still track the complaint with its number)"),
        required=False,
    )
    complainant_name = forms.CharField(
        label=_("Your name"), max_length=60, required=False, validators=[validate_plain_text]
    )
    complainant_mobile = forms.CharField(label=_("Mobile number"), max_length=20, required=False)
    complainant_email = forms.EmailField(label=_("E-mail (optional)"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = AdministrativeEntity.objects.order_by("name")
        self.fields["window"].queryset = ServiceWindow.objects.filter(is_active=True).order_by(
            "number"
        )
        self.fields["item"].queryset = ServiceItem.objects.order_by("name")
        institution_model = _institution_model()
        if institution_model is not None:
            self.fields["institution"] = forms.ModelChoiceField(
                label=_("Public institution"),
                queryset=institution_model.objects.order_by("name"),
                required=False,
            )
            self.order_fields(["entity", "window", "item", "case_number", "institution"])
        self.case: ServiceCase | None = None

    def clean_case_number(self) -> str:
        number = (self.cleaned_data.get("case_number") or "").strip()
        if number:
            self.case = ServiceCase.objects.filter(case_no=number).first()
            if self.case is None:
                raise ValidationError(_("No case has this number."), code="unknown_case")
        return number

    def clean_occurred_on(self):
        value = self.cleaned_data.get("occurred_on")
        if value is not None and value > timezone.localdate():
            raise ValidationError(
                _("The date when it happened cannot be in the future."), code="future_date"
            )
        return value

    def clean_complainant_mobile(self) -> str:
        value = normalise_mobile(self.cleaned_data.get("complainant_mobile", ""))
        if value:
            validate_mobile(value)
        return value

    def clean(self) -> dict:
        data = super().clean()
        targets = ("entity", "window", "item", "case_number", "institution")
        if not any(data.get(name) for name in targets if name in self.fields) and not any(
            name in self.errors for name in targets
        ):
            raise ValidationError(
                _(
                    "Say what the complaint is about: choose a department, a window, a service "
                    "item or a public institution, or give a case number."
                ),
                code="no_target",
            )
        if not data.get("anonymous"):
            if not data.get("complainant_name"):
                self.add_error("complainant_name", _("Give your name, or complain anonymously."))
            if not data.get("complainant_mobile") and "complainant_mobile" not in self.errors:
                self.add_error(
                    "complainant_mobile", _("Give your mobile number, or complain anonymously.")
                )
        return data

    def action_kwargs(self) -> dict:
        """The cleaned data as `complaint_submit` takes it."""
        data = self.cleaned_data
        return {
            "entity": data.get("entity"),
            "window": data.get("window"),
            "item": data.get("item"),
            "case": self.case,
            "institution": data.get("institution"),
            "category": data["category"],
            "description": data["description"],
            "occurred_on": data.get("occurred_on"),
            "place": data.get("place", ""),
            "anonymous": bool(data.get("anonymous")),
            "complainant_name": data.get("complainant_name", ""),
            "complainant_mobile": data.get("complainant_mobile", ""),
            "complainant_email": data.get("complainant_email", ""),
            "attachments": data.get("attachments") or [],
        }


def _institution_model():
    from complaints.models import Complaint as model

    try:
        return model._meta.get_field("institution").related_model
    except Exception:  # noqa: BLE001 - the field is added once institutions exist
        return None


class AddInformationForm(forms.Form):
    text = forms.CharField(
        label=_("Additional information"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=DESCRIPTION_MAX,
        validators=[validate_plain_text],
        required=False,
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw the complaint?"),
        max_length=500,
        validators=[validate_plain_text],
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the reply?"),
        choices=Complaint.Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )


class ReconsiderationForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the complaint be reconsidered?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_plain_text],
    )
