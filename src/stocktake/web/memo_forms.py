"""The memos page's filters and the search page's form (GET forms, validated like the
findings list's: an invalid value is dropped and named in the error summary)."""

from __future__ import annotations

from django import forms

from stocktake.assess.actions import MAX_MEMO
from stocktake.assess.models import MemoKind
from stocktake.assess.search.terms import MAX_LENGTH
from stocktake.web.forms import FindingFilterForm


class _GetForm(forms.Form):
    def filters(self) -> dict[str, str]:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}

    def value_of(self, name: str) -> str:
        return (self.data.get(name) or "").strip() if self.is_bound else ""

    def error_list(self) -> list[dict]:
        if not self.is_bound:
            return []
        self.is_valid()
        return [{"text": m, "href": f"#{name}"} for name, ms in self.errors.items() for m in ms]


class MemoFilterForm(_GetForm):
    kind = forms.ChoiceField(
        required=False,
        choices=MemoKind.choices,
        error_messages={"invalid_choice": "Select what memos are about from the list"},
    )
    author = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select an author from the list"}
    )
    q = forms.CharField(
        required=False,
        max_length=200,
        strip=True,
        error_messages={"max_length": "Text to search for must be 200 characters or fewer"},
    )

    def __init__(self, data=None, *, authors):
        super().__init__(data)
        self.fields["author"].choices = authors


class MemoForm(forms.Form):
    text = forms.CharField(
        max_length=MAX_MEMO,
        strip=True,
        error_messages={
            "required": "Write the memo's text",
            "max_length": f"A memo is at most {MAX_MEMO:,} characters",
        },
    )


class SearchForm(FindingFilterForm):
    """The findings list's filters, the words to search for (required) and what to search."""

    kind = forms.ChoiceField(
        required=False, error_messages={"invalid_choice": "Select what to search from the list"}
    )

    LABELS = {**FindingFilterForm.LABELS, "q": "Search for", "kind": "Search in"}

    def __init__(self, data=None, *, domains, themes, organisations, kinds):
        super().__init__(data, domains=domains, themes=themes, organisations=organisations)
        self.fields["kind"].choices = kinds
        self.fields["kind"].label = self.LABELS["kind"]
        self.fields["q"].label = self.LABELS["q"]
        self.fields["q"].max_length = MAX_LENGTH
        self.fields["q"].error_messages["max_length"] = (
            f"Text to search for must be {MAX_LENGTH} characters or fewer"
        )
        # "none" (no domain, no theme) is for the findings list; search narrows by a value.
        for name in ("domain", "theme"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != "none"]
