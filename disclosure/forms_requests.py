"""The public application form for information requests (条例 Art 29)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from disclosure.models.entities import AdministrativeEntity
from disclosure.models.requests import ApplicantType, InformationRequest
from disclosure.selectors.entities import entity_public_queryset
from disclosure.validators import validate_plain_text

INFO_DESCRIPTION_MAX = 4000


class InformationRequestForm(forms.Form):
    """What a citizen or organisation fills in; the rules are checked by `request_submit`."""

    entity = forms.ModelChoiceField(
        label=_("Entity you apply to"),
        queryset=AdministrativeEntity.objects.none(),
        empty_label=_("Choose an entity"),
    )
    applicant_type = forms.ChoiceField(label=_("Applicant type"), choices=ApplicantType.choices)
    applicant_name = forms.CharField(label=_("Name (person or organisation)"), max_length=200)
    id_type = forms.ChoiceField(
        label=_("Identity document"), choices=InformationRequest.IdType.choices
    )
    id_number = forms.CharField(label=_("Identity document number"), max_length=40)
    contact_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("E-mail"), required=False)
    contact_address = forms.CharField(label=_("Postal address"), max_length=300, required=False)
    info_title = forms.CharField(
        label=_("Title of the information"), max_length=300, required=False
    )
    info_document_no = forms.CharField(label=_("Document number"), max_length=100, required=False)
    info_description = forms.CharField(
        label=_("Other description of the information"),
        required=False,
        max_length=INFO_DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    delivery_form = forms.ChoiceField(
        label=_("How you want to receive it"), choices=InformationRequest.DeliveryForm.choices
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = entity_public_queryset().order_by("sort_order", "name")
        for field in self.fields.values():  # plain typed text only (no tags, no control chars)
            if type(field) is forms.CharField:
                field.validators.append(validate_plain_text)
