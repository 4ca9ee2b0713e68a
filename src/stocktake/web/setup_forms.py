"""Forms of the review set-up pages (web/views/setup.py, setup_framework.py,
setup_people.py). They check what a person typed; the actions in ``reviews.actions``
decide what may be done and say why not."""

from __future__ import annotations

from django import forms

from stocktake.reviews.models import Role
from stocktake.web.org_forms import _ErrorList

MAX_FRAMEWORK_BYTES = 1024 * 1024
DATE_FIELDS = ("opens_on", "closes_on", "reflection_by", "report_due_on")


def _date(label: str) -> forms.DateField:
    return forms.DateField(
        required=False,
        error_messages={"invalid": f"The {label} must be a real date, for example 2026-03-31"},
    )


class ReviewDetailsForm(_ErrorList, forms.Form):
    title = forms.CharField(
        max_length=255,
        error_messages={
            "required": "Enter the review's title",
            "max_length": "The title must be 255 characters or fewer",
        },
    )
    scope = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"max_length": "The scope must be 5,000 characters or fewer"},
    )
    region = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a region or system from the list"},
    )
    opens_on = _date("opening date")
    closes_on = _date("closing date")
    reflection_by = _date("date reflection sessions end")
    report_due_on = _date("report's due date")

    def __init__(self, *args, regions: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "")] + regions


class NewReviewForm(ReviewDetailsForm):
    slug = forms.SlugField(
        required=False,
        max_length=80,
        error_messages={
            "invalid": "The web address may use only lower-case letters, digits and hyphens",
            "max_length": "The web address must be 80 characters or fewer",
        },
    )
    framework = forms.ChoiceField(
        error_messages={
            "required": "Choose the framework to start from",
            "invalid_choice": "Choose a framework from the list",
        }
    )

    field_order = ["title", "slug", "scope", "region", *DATE_FIELDS, "framework"]

    def __init__(self, *args, frameworks: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = frameworks


class FrameworkItemForm(_ErrorList, forms.Form):
    name = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a name",
            "max_length": "The name must be 200 characters or fewer",
        },
    )
    description = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"max_length": "The description must be 5,000 characters or fewer"},
    )
    keywords = forms.CharField(
        required=False,
        max_length=5000,
        widget=forms.Textarea,
        error_messages={"max_length": "Keywords must be 5,000 characters or fewer in all"},
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)


class FrameworkUploadForm(_ErrorList, forms.Form):
    file = forms.FileField(
        error_messages={
            "required": "Select a YAML file to import",
            "empty": "The selected file is empty",
        }
    )
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError(
                "The selected file must be a YAML file (ending .yaml or .yml)"
            )
        if upload.size > MAX_FRAMEWORK_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 1 MB")
        try:
            return upload.read().decode("utf-8-sig"), upload.name
        except UnicodeDecodeError:
            raise forms.ValidationError("The selected file must be saved as UTF-8 text") from None


class ParticipantSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=255)


class RoleForm(_ErrorList, forms.Form):
    role = forms.ChoiceField(
        choices=Role.choices,
        error_messages={
            "required": "Choose a role",
            "invalid_choice": "Choose a role from the list",
        },
    )
    organisation = forms.TypedChoiceField(
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": "Choose an organisation taking part"},
    )

    def __init__(self, *args, organisations: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "")] + organisations

    def clean(self):
        data = super().clean()
        if data.get("role") in (Role.CONTRIBUTOR, Role.ACTION_OWNER) and not data.get(
            "organisation"
        ):
            self.add_error("organisation", "Choose the organisation they speak for")
        return data


class MemberForm(RoleForm):
    """Add a member: who (an email address or username), and their role as in RoleForm."""

    field_order = ["who", "full_name", "role", "organisation"]
    who = forms.CharField(
        max_length=254,
        error_messages={
            "required": "Enter their email address or username",
            "max_length": "Enter 254 characters or fewer",
        },
    )
    full_name = forms.CharField(
        required=False,
        max_length=150,
        error_messages={"max_length": "The name must be 150 characters or fewer"},
    )
