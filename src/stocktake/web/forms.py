"""Forms. Pages render them with the NHS.UK macros (see jinja2/includes/fields.html)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from stocktake.collect.models import Polarity
from stocktake.core.text import a_or_an


class FindingFilterForm(forms.Form):
    """The findings list's GET filters. Choices come from what the user can see."""

    domain = forms.ChoiceField(required=False)
    theme = forms.ChoiceField(required=False)
    organisation = forms.ChoiceField(required=False)
    polarity = forms.ChoiceField(required=False, choices=Polarity.choices)
    q = forms.CharField(required=False, max_length=200, strip=True)

    LABELS = {
        "domain": "Domain",
        "theme": "Theme",
        "organisation": "Organisation or system",
        "polarity": "Polarity",
        "q": "Text contains",
    }

    def __init__(self, data=None, *, domains, themes, organisations):
        super().__init__(data)
        self.fields["domain"].choices = domains
        self.fields["theme"].choices = themes
        self.fields["organisation"].choices = organisations
        for name, label in self.LABELS.items():
            self.fields[name].label = label
        self.fields["q"].error_messages["max_length"] = (
            "Text to search for must be 200 characters or fewer"
        )
        for name in ("domain", "theme", "organisation", "polarity"):
            self.fields[name].error_messages["invalid_choice"] = (
                f"Select {a_or_an(self.LABELS[name].lower())} from the list"
            )

    def filters(self) -> dict[str, str]:
        """The valid, non-empty filter values (an invalid one is dropped and reported)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}

    def value_of(self, name: str) -> str:
        """What the user asked for, for redisplay (valid or not)."""
        if not self.is_bound:
            return ""
        return (self.data.get(name) or "").strip()

    def choice_label(self, name: str, value: str) -> str:
        return dict(self.fields[name].choices).get(value, value)

    def error_list(self) -> list[dict]:
        """Items for the NHS.UK error summary, each linking to its field."""
        if not self.is_bound:
            return []
        self.is_valid()
        return [
            {"text": message, "href": f"#{name}"}
            for name, messages in self.errors.items() for message in messages
        ]


class SignInForm(AuthenticationForm):
    """Django's sign-in form, its "required" errors naming the field (NHS.UK wording)."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
