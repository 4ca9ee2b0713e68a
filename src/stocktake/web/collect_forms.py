"""Forms of the collect pages: upload, the submission form and invitations.

Every message is one line that names what it is about (the file, the field), for
the NHS.UK error summary; ``error_list`` gives the summary's items.
"""

from __future__ import annotations

from pathlib import Path

from django import forms

from stocktake.collect.actions import FORM_KINDS
from stocktake.collect.form_findings import MAX_FIELD_CHARS
from stocktake.collect.importers import SUPPORTED_SUFFIXES
from stocktake.collect.models import SectionKind


class _ErrorList:
    def error_list(self) -> list[dict]:
        """Items for the NHS.UK error summary, each linking to its field."""
        return [{"text": message, "href": f"#{self.anchor(name)}"}
                for name, messages in self.errors.items() for message in messages]

    def anchor(self, name: str) -> str:
        return name


# -- upload ----------------------------------------------------------------------------


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """The uploaded files as a list; each is checked by UploadForm.clean_files."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", _MultipleFileInput)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        if not isinstance(data, (list, tuple)):
            data = [data] if data else []
        return [upload for upload in data if upload and getattr(upload, "name", "")]


class UploadForm(_ErrorList, forms.Form):
    """Step 1 of the upload page. Files are checked by name and size limit here; their content
    (an empty file included) is checked when they are previewed, each file on its own."""

    files = MultipleFileField(required=False)

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_files(self):
        uploads = self.cleaned_data.get("files") or []
        if not uploads:
            raise forms.ValidationError("Select one or more files to upload")
        problems = []
        for upload in uploads:
            name, suffix = Path(upload.name).name, Path(upload.name).suffix.lower()
            if suffix not in SUPPORTED_SUFFIXES:
                problems.append(f"{name}: files ending {suffix or '(no extension)'!r} cannot be "
                                f"imported; use one of {', '.join(SUPPORTED_SUFFIXES)}")
            elif upload.size > self.max_bytes:
                problems.append(f"{name}: the file is {upload.size / 1048576:.1f} MB; the most "
                                f"accepted is {self.max_bytes / 1048576:.0f} MB")
        if problems:
            raise forms.ValidationError(problems)
        return uploads


class TemplateUploadForm(_ErrorList, forms.Form):
    """A contributor's filled-in Word template, read into their form (on the form's page)."""

    template = forms.FileField(required=False)

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def anchor(self, name: str) -> str:
        return "template-file"

    def clean_template(self):
        upload = self.cleaned_data.get("template")
        if not upload:
            raise forms.ValidationError("Select your filled-in Word template")
        name = Path(upload.name).name
        if Path(name).suffix.lower() != ".docx":
            raise forms.ValidationError(f"{name}: the template is a Word file ending .docx; "
                                        "save it as .docx and upload it again")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(f"{name}: the file is {upload.size / 1048576:.1f} MB; "
                                        f"the most accepted is {self.max_bytes / 1048576:.0f} MB")
        return upload


# -- the submission form -----------------------------------------------------------


class FormText(forms.CharField):
    """A textarea's text with browser line endings (CRLF) counted as one character, as the
    character count does."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value


def field_name(domain_key: str, kind: str) -> str:
    return f"{domain_key}--{kind}"


class SubmissionForm(_ErrorList, forms.Form):
    """One textarea per domain of the review's framework and per kind of section."""

    def __init__(self, *args, domains, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(domains)
        for domain in self.domains:
            for kind in FORM_KINDS:
                label = f"{SectionKind(kind).label} for {domain.name}"
                self.fields[field_name(domain.key, kind)] = FormText(
                    required=False, strip=True, max_length=MAX_FIELD_CHARS, label=label,
                    error_messages={"max_length": f"{label} must be "
                                                  f"{MAX_FIELD_CHARS:,} characters or fewer"},
                )

    def texts(self) -> dict:
        """(domain, kind) -> text, for collect.actions.save_draft."""
        return {(domain, kind): self.cleaned_data.get(field_name(domain.key, kind)) or ""
                for domain in self.domains for kind in FORM_KINDS}


# -- invitations --------------------------------------------------------------------


class InviteForm(_ErrorList, forms.Form):
    organisation = forms.TypedChoiceField(coerce=int, label="Organisation", error_messages={
        "required": "Select the organisation to invite",
        "invalid_choice": "Select an organisation from the list"})
    contact_name = forms.CharField(max_length=200, label="Contact's full name", error_messages={
        "required": "Enter the contact's full name",
        "max_length": "The contact's name must be 200 characters or fewer"})
    email = forms.EmailField(max_length=254, label="Contact's email address", error_messages={
        "required": "Enter the contact's email address",
        "invalid": "Enter an email address in the correct format, like name@example.org"})

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [("", "Choose an organisation")] + list(organisations)
