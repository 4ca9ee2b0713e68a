"""Forms of the innovations register: log or edit an innovation, import a spreadsheet,
a golden thread's name, themes and moves. Validation messages say what and where; the
actions check again (scope, lengths, dates)."""

from __future__ import annotations

import datetime as dt

from django import forms

from stocktake.track.innovation_import import MAX_BYTES
from stocktake.web.org_forms import _ErrorList

LONG = 5000
SINCE_PARTS = ("since-month", "since-year")


def _text(label: str, *, required: bool = False, limit: int = LONG, message: str = ""):
    errors = {"max_length": f"{label} must be {limit:,} characters or fewer"}
    if required:
        errors["required"] = message or f"Enter {label.lower()}"
    widget = forms.Textarea if limit == LONG else forms.TextInput
    return forms.CharField(required=required, max_length=limit, widget=widget,
                           error_messages=errors, strip=True)


def parse_since(month: str, year: str, *, today: dt.date | None = None) -> dt.date | None:
    """The first day of the month the two boxes give; None when both are empty."""
    month, year = (" ".join(str(v or "").split()) for v in (month, year))
    if not month and not year:
        return None
    if not month:
        raise forms.ValidationError("The date it started must include a month")
    if not year:
        raise forms.ValidationError("The date it started must include a year")
    if not (month.isdigit() and year.isdigit() and 1 <= int(month) <= 12 and len(year) == 4):
        raise forms.ValidationError("The date it started must be a real month and year, "
                                    "for example 3 2024")
    started = dt.date(int(year), int(month), 1)
    if started < dt.date(1990, 1, 1):
        raise forms.ValidationError("The date it started must be after 1990")
    if started > (today or dt.date.today()):
        raise forms.ValidationError("The date it started must be this month or in the past")
    return started


class InnovationForm(_ErrorList, forms.Form):
    """Log or edit an innovation: a busy clinician's two minutes."""

    organisation = forms.TypedChoiceField(coerce=int, error_messages={
        "required": "Select the organisation the innovation belongs to",
        "invalid_choice": "Select an organisation from the list"})
    unit = _text("The business unit", limit=255)
    place = _text("The place", limit=255)
    title = _text("The title", required=True, limit=255,
                  message="Enter a short title for the innovation")
    what_changed = _text("What changed", required=True, message="Describe what changed")
    lead_name = _text("Who leads it", limit=255)
    lead_email = forms.EmailField(required=False, max_length=254, error_messages={
        "invalid": "Enter the lead's email address in the right format, like name@example.org"})
    benefits = _text("Benefits seen")
    risks = _text("Risks seen")
    support_needed = _text("Support needed")
    review = forms.TypedChoiceField(coerce=int, required=False, empty_value=None,
                                    error_messages={"invalid_choice":
                                                    "Select a review from the list"})
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, organisations, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(o.id, o.name) for o in organisations]
        self.fields["review"].choices = [("", "")] + [(r.id, r.title) for r in reviews]
        self._since_error = ""

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["started_on"] = parse_since(*(self.data.get(n, "") for n in SINCE_PARTS))
        except forms.ValidationError as exc:
            self._since_error = exc.messages[0]
            self.add_error(None, exc)
        return cleaned

    def error_list(self) -> list[dict]:
        return [{"text": message, "href": "#since-month" if name == "__all__" else f"#{name}"}
                for name, messages in self.errors.items() for message in messages]

    def field_errors(self) -> dict[str, str]:
        errors = super().field_errors()
        errors.pop("__all__", None)
        if self._since_error:
            errors["since"] = self._since_error
        return errors

    def changes(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in (
            "unit", "place", "title", "what_changed", "started_on", "lead_name", "lead_email",
            "benefits", "risks", "support_needed")}


class ImportUploadForm(_ErrorList, forms.Form):
    file = forms.FileField(error_messages={"required": "Select a CSV or Excel file to import",
                                           "empty": "The selected file is empty"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx", ".xlsm")):
            raise forms.ValidationError("The selected file must be a CSV file (.csv) or an "
                                        "Excel workbook (.xlsx)")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 10 MB")
        return upload


class ThreadForm(_ErrorList, forms.Form):
    name = forms.CharField(max_length=120, error_messages={
        "required": "Enter a name for the golden thread",
        "max_length": "The name must be 120 characters or fewer"})
    description = forms.CharField(required=False, max_length=LONG, widget=forms.Textarea,
                                  error_messages={"max_length": "The description must be "
                                                  f"{LONG:,} characters or fewer"})
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)
