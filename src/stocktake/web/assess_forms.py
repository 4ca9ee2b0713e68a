"""Forms for analysis and reviewer coding (POSTs; pages render them with NHS.UK macros)."""

from __future__ import annotations

from django import forms

from stocktake.collect.models import Polarity

MAX_SEED = 2**31 - 1


class AnalyseForm(forms.Form):
    """Start an analysis run: which backend, and the seed recorded with it."""

    backend = forms.ChoiceField(label="Backend")
    seed = forms.IntegerField(label="Seed", min_value=0, max_value=MAX_SEED, initial=0)

    def __init__(self, data=None, *, backends: list[str], default: str):
        super().__init__(data, initial={"backend": default, "seed": 0})
        self.fields["backend"].choices = [(name, name) for name in backends]
        self.fields["backend"].error_messages.update(
            required="Select a backend", invalid_choice="Select a backend from the list")
        self.fields["seed"].error_messages.update(
            required="Enter a seed, for example 0",
            invalid="Seed must be a whole number, for example 0",
            min_value="Seed must be 0 or more",
            max_value=f"Seed must be {MAX_SEED} or less",
        )

    def value_of(self, name: str) -> str:
        """What to show in a field: what the user sent, else the initial value."""
        if self.is_bound:
            return str(self.data.get(name, "")).strip()
        return str(self.initial.get(name, ""))

    def error_list(self) -> list[dict]:
        return [{"text": message, "href": f"#{name}"}
                for name, messages in self.errors.items() for message in messages]


class CodeForm(forms.Form):
    """A reviewer's decision on one theme for one finding."""

    theme = forms.ChoiceField()
    applies = forms.ChoiceField(choices=[("yes", "Applies"), ("no", "Does not apply")])
    # The decision on the theme the page showed: a decision made meanwhile is not overwritten.
    # Absent (an older page, a script): no check.
    seen = forms.ChoiceField(choices=[("none", "none"), ("yes", "yes"), ("no", "no")],
                             required=False)

    def __init__(self, data=None, *, themes: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["theme"].choices = themes
        self.fields["theme"].error_messages.update(
            required="Select a theme", invalid_choice="Select a theme from the list")
        self.fields["applies"].error_messages.update(
            required="Say whether the theme applies",
            invalid_choice="Say whether the theme applies")


class PolarityForm(forms.Form):
    polarity = forms.ChoiceField(choices=Polarity.choices)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["polarity"].error_messages.update(
            required="Select a polarity", invalid_choice="Select a polarity from the list")


def first_error(form: forms.Form) -> str:
    """The first message of an invalid form, for a one-line error."""
    for messages in form.errors.values():
        return messages[0]
    return "Something was wrong with what was sent"
