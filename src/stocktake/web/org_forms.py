"""Forms of the organisation register pages. Organisations typed by name (a parent, the
one to merge) are found by the register's own resolver (:class:`OrgTree`), so a name,
an acronym, an alias or "Full Name (ACR)" all work, as in imports and the CLI."""

from __future__ import annotations

from django import forms

from stocktake.reviews.models import OrganisationLevel, OrganisationType
from stocktake.reviews.orgtree import OrgTree

MAX_ALIASES_CHARS = 5000


class _ErrorList:
    def error_list(self) -> list[dict]:
        """Items for the NHS.UK error summary, each linking to its field."""
        return [{"text": message, "href": f"#{name}"}
                for name, messages in self.errors.items() for message in messages]

    def field_errors(self) -> dict[str, str]:
        return {name: messages[0] for name, messages in self.errors.items()}


def organisation_named(tree: OrgTree, text: str, *, what: str):
    """The organisation ``text`` names, or a ValidationError that offers the likely one."""
    found = tree.resolve(text)
    if found is None:
        likely = tree.likely_match(text)
        hint = (f" Did you mean {likely.name}?" if likely is not None
                else " Check the name in the register.")
        raise forms.ValidationError(f"There is no organisation called “{text}” for the "
                                    f"{what}.{hint}")
    return found


class OrganisationForm(_ErrorList, forms.Form):
    name = forms.CharField(max_length=255, error_messages={
        "required": "Enter the organisation's full name",
        "max_length": "The name must be 255 characters or fewer"})
    short_name = forms.CharField(required=False, max_length=60, error_messages={
        "max_length": "The acronym or short name must be 60 characters or fewer"})
    level = forms.ChoiceField(choices=OrganisationLevel.choices, error_messages={
        "required": "Select the level", "invalid_choice": "Select a level from the list"})
    kind = forms.ChoiceField(choices=OrganisationType.choices, error_messages={
        "required": "Select the type", "invalid_choice": "Select a type from the list"})
    parent = forms.CharField(required=False, max_length=255, error_messages={
        "max_length": "The parent's name must be 255 characters or fewer"})
    aliases = forms.CharField(required=False, max_length=MAX_ALIASES_CHARS,
                              widget=forms.Textarea, error_messages={
                                  "max_length": f"Other names must be {MAX_ALIASES_CHARS:,} "
                                                "characters or fewer in all"})

    def __init__(self, *args, tree: OrgTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree

    def clean_parent(self):
        text = " ".join(self.cleaned_data.get("parent", "").split())
        return organisation_named(self.tree, text, what="parent") if text else None

    def clean_aliases(self):
        return [line.strip() for line in self.cleaned_data.get("aliases", "").splitlines()
                if line.strip()]


class MergeForm(_ErrorList, forms.Form):
    other = forms.CharField(max_length=255, error_messages={
        "required": "Enter the name of the organisation to merge into this one",
        "max_length": "The name must be 255 characters or fewer"})

    def __init__(self, *args, tree: OrgTree, **kwargs):
        super().__init__(*args, **kwargs)
        self.tree = tree

    def clean_other(self):
        return organisation_named(self.tree, " ".join(self.cleaned_data["other"].split()),
                                  what="merge")


class RegisterUploadForm(_ErrorList, forms.Form):
    file = forms.FileField(error_messages={"required": "Select a CSV file to import",
                                           "empty": "The selected file is empty"})

    MAX_BYTES = 5 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file (ending .csv)")
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The selected file must be a CSV file saved as UTF-8") from None
