"""Forms of the recommendations register: the filters and an owner's update."""

from __future__ import annotations

from django import forms

from stocktake.report.models import RecommendationStatus
from stocktake.track.actions.progress import MAX_NOTE, PROGRESS_STATUSES
from stocktake.track.models import Rag
from stocktake.track.registers import RegisterFilters


def register_filters(params, *, owners: set[int], themes: set[str]) -> RegisterFilters:
    """The filters of the register's query string; anything unknown is ignored (a link
    kept from another review, an owner no longer in the register)."""
    status = params.get("status", "")
    rag = params.get("rag", "")
    owner = params.get("owner", "")
    theme = params.get("theme", "")
    return RegisterFilters(
        status=status if status in RecommendationStatus.values else "",
        rag=rag if rag in (*Rag.values, "none") else "",
        owner=int(owner) if owner.isdigit() and int(owner) in owners else None,
        theme=theme if theme in themes or theme == "none" else "",
        overdue=params.get("overdue") == "1",
    )


class ProgressForm(forms.Form):
    """An owner's update: status, RAG, narrative, evidence, the system it is about."""

    status = forms.ChoiceField(choices=[(s, s) for s in PROGRESS_STATUSES], error_messages={
        "required": "Choose the recommendation's status now",
        "invalid_choice": "Choose one of the statuses listed"})
    rag = forms.ChoiceField(required=False, choices=[("", ""), *Rag.choices], error_messages={
        "invalid_choice": "Choose red, amber, green or not rated"})
    note = forms.CharField(required=False, max_length=MAX_NOTE, error_messages={
        "max_length": f"The update must be {MAX_NOTE:,} characters or fewer"})
    evidence_links = forms.CharField(required=False, max_length=6_000, error_messages={
        "max_length": "The evidence links are too long: give at most 10"})
    reason = forms.CharField(required=False, max_length=MAX_NOTE, error_messages={
        "max_length": f"The reason must be {MAX_NOTE:,} characters or fewer"})
    organisation = forms.CharField(required=False)
    latest = forms.IntegerField(required=False, min_value=0)  # the latest update when loaded
    attachment = forms.FileField(required=False, error_messages={
        "empty": "The attachment is empty", "invalid": "The attachment could not be read"})

    def __init__(self, *args, systems: set[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.systems = systems  # None: one status for all

    def clean_note(self):
        return self.cleaned_data.get("note", "").replace("\r\n", "\n").strip()

    def clean_reason(self):
        return self.cleaned_data.get("reason", "").replace("\r\n", "\n").strip()

    def clean_evidence_links(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("evidence_links", "").splitlines()
                if line.strip()]

    def clean_organisation(self):
        if self.systems is None:
            return None
        value = self.cleaned_data.get("organisation", "")
        if not value.isdigit() or int(value) not in self.systems:
            raise forms.ValidationError("Choose the system this update is about")
        return int(value)

    def error_list(self) -> list[dict]:
        """Items for the NHS.UK error summary, each linking to its field."""
        first = {"status": "status", "rag": "rag"}
        return [{"text": message, "href": f"#{first.get(name, name)}"}
                for name, messages in self.errors.items() for message in messages]

    def field_errors(self) -> dict[str, str]:
        return {name: messages[0] for name, messages in self.errors.items()}
