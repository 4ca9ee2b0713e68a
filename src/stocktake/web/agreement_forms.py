"""Forms of the double-coding pages: start an exercise, code a finding, reconcile."""

from __future__ import annotations

from django import forms

from stocktake.assess.agreement.actions import MAX_SAMPLE

MAX_SEED = 2**31 - 1


class _Errors:
    def error_list(self) -> list[dict]:
        return [{"text": message, "href": f"#{name}"}
                for name, messages in self.errors.items() for message in messages]


class StartForm(_Errors, forms.Form):
    title = forms.CharField(max_length=200, error_messages={
        "required": "Enter a title", "max_length": "Title must be 200 characters or fewer"})
    size = forms.IntegerField(min_value=1, max_value=MAX_SAMPLE, initial=30, error_messages={
        "required": "Enter how many findings to sample",
        "invalid": "Sample size must be a whole number, for example 30",
        "min_value": "Sample size must be 1 or more",
        "max_value": f"Sample size must be {MAX_SAMPLE} or fewer"})
    seed = forms.IntegerField(min_value=0, max_value=MAX_SEED, initial=0, error_messages={
        "required": "Enter a seed, for example 0",
        "invalid": "Seed must be a whole number, for example 0",
        "min_value": "Seed must be 0 or more", "max_value": f"Seed must be {MAX_SEED} or less"})
    coders = forms.MultipleChoiceField(error_messages={
        "required": "Choose at least two coders",
        "invalid_choice": "Choose coders from the list"})

    def __init__(self, data=None, *, coders: list[tuple[str, str]]):
        super().__init__(data, initial={"size": 30, "seed": 0})
        self.fields["coders"].choices = coders

    def clean_coders(self):
        chosen = self.cleaned_data["coders"]
        if len(chosen) < 2:
            raise forms.ValidationError("Choose at least two coders")
        return chosen


class JudgementForm(_Errors, forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    themes = forms.MultipleChoiceField(required=False, error_messages={
        "invalid_choice": "Choose themes from the list"})
    domain = forms.ChoiceField(required=False, error_messages={
        "invalid_choice": "Choose a domain from the list"})

    def __init__(self, data=None, *, themes: list[tuple[str, str]],
                 domains: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["themes"].choices = themes
        self.fields["domain"].choices = [("", "Not decided")] + domains


class ReconcileForm(_Errors, forms.Form):
    themes = forms.MultipleChoiceField(required=False, error_messages={
        "invalid_choice": "Choose themes from the list"})

    def __init__(self, data=None, *, themes: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["themes"].choices = themes
