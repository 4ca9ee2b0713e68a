"""Forms of the recommendations builder. The owner is typed by name and found by the
register's own resolver (as on the register's pages: a name, an acronym, an alias or
"Full Name (ACR)"); the due date is the NHS.UK date input's three boxes."""

from __future__ import annotations

import datetime as dt

from django import forms

from stocktake.reviews.orgtree import OrgTree
from stocktake.web.org_forms import organisation_named

MAX_TEXT = 5_000  # characters of a recommendation
DUE_PARTS = ("due-day", "due-month", "due-year")


def parse_due_date(day: str, month: str, year: str) -> dt.date | None:
    """The date the three boxes give, None when all are empty; ValidationError otherwise."""
    parts = [" ".join(str(part or "").split()) for part in (day, month, year)]
    if not any(parts):
        return None
    missing = [name for name, part in zip(("a day", "a month", "a year"), parts, strict=True)
               if not part]
    if missing:
        raise forms.ValidationError(f"The due date must include {' and '.join(missing)}")
    if not all(part.isdigit() for part in parts) or len(parts[2]) != 4:
        raise forms.ValidationError("The due date must be a real date, like 31 3 2026")
    try:
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
    except ValueError:
        raise forms.ValidationError("The due date must be a real date, like 31 3 2026") from None


class RecommendationForm(forms.Form):
    """Add or edit a recommendation: its words, theme, owner, lead contact and due date."""

    text = forms.CharField(max_length=MAX_TEXT, error_messages={
        "required": "Enter the recommendation",
        "max_length": f"The recommendation must be {MAX_TEXT:,} characters or fewer"})
    theme = forms.ChoiceField(required=False, error_messages={
        "invalid_choice": "Choose a theme from the list"})
    owner = forms.CharField(required=False, max_length=255, error_messages={
        "max_length": "The owner's name must be 255 characters or fewer"})
    lead_contact = forms.CharField(required=False, max_length=255, error_messages={
        "max_length": "The lead contact must be 255 characters or fewer"})
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, themes, tree: OrgTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.themes = {theme.key: theme for theme in themes}
        self.fields["theme"].choices = [("", "Further recommendations (no theme)")] + [
            (theme.key, theme.name) for theme in themes]
        self.tree = tree

    def clean_text(self):
        text = self.cleaned_data["text"].replace("\r\n", "\n").strip()
        if not text:
            raise forms.ValidationError("Enter the recommendation")
        return text

    def clean_theme(self):
        return self.themes.get(self.cleaned_data.get("theme") or "")

    def clean_owner(self):
        text = " ".join(self.cleaned_data.get("owner", "").split())
        return organisation_named(self.tree, text, what="owner") if text else None

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned["due_date"] = parse_due_date(*(self.data.get(name, "") for name in DUE_PARTS))
        except forms.ValidationError as exc:
            self.add_error(None, exc)
            self._due_error = exc.messages[0]
        return cleaned

    def error_list(self) -> list[dict]:
        """Items for the NHS.UK error summary; the due date's links to its day box."""
        return [{"text": message, "href": f"#{name}" if name != "__all__" else "#due-day"}
                for name, messages in self.errors.items() for message in messages]

    def field_errors(self) -> dict[str, str]:
        errors = {name: messages[0] for name, messages in self.errors.items()
                  if name != "__all__"}
        if getattr(self, "_due_error", None):
            errors["due"] = self._due_error
        return errors

    def changes(self) -> dict:
        """The fields an action takes, once the form is valid."""
        data = self.cleaned_data
        return {"text": data["text"], "theme": data["theme"], "owner": data["owner"],
                "lead_contact": data.get("lead_contact", ""), "due_date": data["due_date"]}
