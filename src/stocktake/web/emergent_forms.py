"""Forms of the emergent themes pages (POSTs; pages render them with NHS.UK macros)."""

from __future__ import annotations

from django import forms

from stocktake.web.assess_forms import MAX_SEED

UNFITTED, EVERY = "unfitted", "all"


class _Form(forms.Form):
    def value_of(self, name: str, default: str = "") -> str:
        if not self.is_bound:
            return str(self.initial.get(name, default))
        return str(self.data.get(name, "")).strip()

    def error_list(self) -> list[dict]:
        if not self.is_bound:
            return []
        return [
            {"text": message, "href": f"#{name}"}
            for name, messages in self.errors.items()
            for message in messages
        ]

    def first_error(self) -> str:
        return next(
            (m for messages in self.errors.values() for m in messages),
            "Something was wrong with what was sent",
        )


class EmergentRunForm(_Form):
    """Start a run: which findings to cluster, and the seed recorded with it."""

    which = forms.ChoiceField(
        choices=[(UNFITTED, "Findings that fit no framework theme well"), (EVERY, "Every finding")]
    )
    seed = forms.IntegerField(min_value=0, max_value=MAX_SEED)

    def __init__(self, data=None):
        super().__init__(data, initial={"which": UNFITTED, "seed": 0})
        self.fields["which"].error_messages.update(
            required="Choose which findings to cluster",
            invalid_choice="Choose which findings to cluster",
        )
        self.fields["seed"].error_messages.update(
            required="Enter a seed, for example 0",
            invalid="Seed must be a whole number, for example 0",
            min_value="Seed must be 0 or more",
            max_value=f"Seed must be {MAX_SEED} or less",
        )


class RenameForm(_Form):
    label = forms.CharField(max_length=200)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["label"].error_messages.update(
            required="Enter the theme's name",
            max_length="The theme's name must be 200 characters or fewer",
        )


class MergeForm(_Form):
    other = forms.ChoiceField()

    def __init__(self, data=None, *, choices: list[tuple[str, str]]):
        super().__init__(data)
        self.fields["other"].choices = choices
        self.fields["other"].error_messages.update(
            required="Choose the theme to merge into this one",
            invalid_choice="Choose a theme of this run to merge into this one",
        )


class PromoteForm(_Form):
    name = forms.CharField(max_length=200, required=False)

    def __init__(self, data=None):
        super().__init__(data)
        self.fields["name"].error_messages.update(
            max_length="The framework theme's name must be 200 characters or fewer"
        )
