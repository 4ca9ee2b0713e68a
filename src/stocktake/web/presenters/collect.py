"""The collect pages: the submission form, check your answers, participation, upload preview."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils import timezone
from markupsafe import Markup, escape

from stocktake.analysis import pii
from stocktake.collect.actions import FORM_KINDS, links_stopped
from stocktake.collect.form_findings import MAX_FIELD_CHARS
from stocktake.collect.models import InvitationKind, SectionKind
from stocktake.web.collect_forms import field_name
from stocktake.web.presenters.labels import format_date as _format_date


def format_date(value) -> str:
    """A date or an aware datetime as the local day, NHS.UK style."""
    if value is not None and hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return _format_date(value)


KIND_HINTS = {
    SectionKind.ACHIEVEMENTS: "What went well. Put each point on its own line or start it with a bullet (•, - or *).",
    SectionKind.CHALLENGES: "What was hard, and why. One point per line.",
    SectionKind.LEARNING: "What you learned that others should know.",
    SectionKind.EXAMPLES: "Each example on its own line: what was done, and what difference it made.",
    SectionKind.KEEP: "What you started or changed that should carry on.",
}


@dataclass(frozen=True)
class FormField:
    id: str
    name: str
    label: str
    hint: str
    value: str
    error: str | None
    maxlength: int = MAX_FIELD_CHARS


@dataclass(frozen=True)
class DomainFields:
    key: str
    name: str
    description: str
    fields: list[FormField]


def form_fields(domains: Iterable, *, values: Mapping[str, str],
                errors: Mapping[str, list[str]] | None = None) -> list[DomainFields]:
    """The form's textareas grouped by domain; ``values`` by field name."""
    errors = errors or {}
    groups = []
    for domain in domains:
        fields = []
        for kind in FORM_KINDS:
            name = field_name(domain.key, kind)
            found = errors.get(name)
            fields.append(FormField(
                id=name, name=name, label=SectionKind(kind).label, hint=KIND_HINTS[kind],
                value=values.get(name, "") or "", error=found[0] if found else None,
            ))
        groups.append(DomainFields(domain.key, domain.name, domain.description, fields))
    return groups


def section_values(sections: Iterable) -> dict[str, str]:
    """Saved sections (with their domain) as form values by field name."""
    return {field_name(s.domain.key, s.kind): s.text for s in sections
            if s.domain_id and s.kind in FORM_KINDS}


def lines_html(text: str) -> Markup:
    """Free text with its line breaks kept (escaped), so bullets and lines are not run together."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n").split("\n")
    return Markup("<br>").join(escape(line) for line in lines)


def check_rows(groups: list[DomainFields], *, change_href: str | None) -> list[dict]:
    """One NHS.UK summary list per domain: [{"name":…, "rows": [...]}]."""
    result = []
    for group in groups:
        rows = []
        for f in group.fields:
            row = {"key": {"text": f.label},
                   "value": {"html": lines_html(f.value)} if f.value else {"text": "Not answered"}}
            if change_href:
                row["actions"] = {"items": [{"href": f"{change_href}#{f.id}", "text": "Change",
                                             "visuallyHiddenText": f"{f.label.lower()} for {group.name}"}]}
            rows.append(row)
        answered = sum(1 for f in group.fields if f.value)
        result.append({"key": group.key, "name": group.name, "rows": rows, "answered": answered})
    return result


# What the check page calls each kind of personal data, with its article.
PERSONAL_DATA_WORDS = {
    pii.NHS_NUMBER: "an NHS number",
    pii.EMAIL: "an email address",
    pii.UK_PHONE: "a phone number",
    pii.UK_POSTCODE: "a postcode",
    pii.PERSON_NAME: "a person's name",
}


def _and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def personal_data_warnings(groups: list[DomainFields], *, change_href: str) -> dict[str, list[dict]]:
    """Answers that may hold personal data (:func:`stocktake.analysis.pii.detect`, the same
    detector that flags findings on submission), by domain key: [{"label", "text", "href",
    "link_text"}], so a contributor can take it out before they submit."""
    found: dict[str, list[dict]] = {}
    for group in groups:
        for f in group.fields:
            kinds = {span.kind for span in pii.detect(f.value)} if f.value else set()
            if not kinds:
                continue
            words = [PERSONAL_DATA_WORDS[k] for k in pii.KINDS if k in kinds]
            found.setdefault(group.key, []).append({
                "label": f"{f.label} for {group.name}",
                "text": f"This answer may contain {_and_list(words)}. "
                        "Remove it unless it must be shared.",
                "href": f"{change_href}#{f.id}",
                "link_text": f"Change {f.label.lower()} for {group.name}",
            })
    return found


# -- participation -----------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    organisation: str
    contact: str
    email: str
    status: dict  # tag
    submitted: bool
    invited: str
    last_reminder: str
    link_state: str
    can_remind: bool


def participation_rows(participants: Iterable, *, submitted_ids: set[int],
                       invitations: Iterable, imported_ids: set[int] = frozenset(),
                       draft_ids: set[int] = frozenset()) -> list[ParticipantRow]:
    """``invitations``: the review's invitations, newest first. ``imported_ids``: participants
    with a submission imported from a file (they count as submitted); ``draft_ids``: those
    with a web-form draft saved.

    The status column says where the submission is (submitted, draft saved, not
    submitted); the invited column says only whether and when the contact was invited and
    whether their personal link works, so the two never contradict each other."""
    by_participant: dict[int, list] = {}
    for invitation in invitations:
        by_participant.setdefault(invitation.participant_id, []).append(invitation)
    rows = []
    for p in participants:
        links = by_participant.get(p.pk, [])
        reminders = [i for i in links if i.kind == InvitationKind.REMINDER and i.sent_at]
        live = [i for i in links if i.revoked_at is None and i.sent_at]
        sent = [i for i in links if i.kind == InvitationKind.INVITATION and i.sent_at]
        stopped = links_stopped(links)
        submitted = p.pk in submitted_ids or p.pk in imported_ids
        invited_on = p.invited_at or (min(i.sent_at for i in sent) if sent else None)
        if stopped:
            link_state = "Links stopped: invite again to send a new link"
        elif live:
            used = [i.last_used_at for i in live if i.last_used_at]
            link_state = f"Link last used {format_date(max(used))}" if used else "Link not used yet"
        elif links:
            link_state = "No working link"
        elif invited_on:
            link_state = "Invited outside stocktake: no personal link"
        else:
            link_state = ""
        if p.pk in imported_ids and not links:
            link_state = link_state or "Submission imported from a file"
        if submitted and p.pk in draft_ids:
            # A file was imported for them, but their own web form is still a draft.
            status = {"text": "File imported, form in draft", "colour": "yellow"}
        elif submitted:
            status = {"text": "Submitted", "colour": "green"}
        elif p.pk in draft_ids:
            status = {"text": "Draft saved", "colour": "yellow"}
        else:
            status = {"text": "Not submitted", "colour": "grey"}
        rows.append(ParticipantRow(
            id=p.pk, organisation=p.organisation.name, contact=p.contact_name or "No contact",
            email=p.contact_email, submitted=submitted, status=status,
            invited=format_date(invited_on) if invited_on else "Not invited",
            last_reminder=format_date(reminders[0].sent_at) if reminders else "None sent",
            link_state=link_state,
            can_remind=bool(links) and bool(p.contact_email) and not submitted and not stopped,
        ))
    return rows


# -- the upload preview ------------------------------------------------------------


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1048576:.1f} MB"


def organisation_lines(preview) -> list[str]:
    """A line for each organisation the file names, then one for each system or
    organisation the import adds that those lines have not mentioned: every
    organisation the import will create is listed."""
    lines, described = [], set()
    new_systems = {new.name for new in preview.created if new.level == "system"}
    for org in preview.organisations:
        where = f" ({org.system})" if org.system else ""
        if org.matched:
            lines.append(f"{org.name}{where}: matches {org.matched}")
        elif org.system in new_systems:
            lines.append(f"{org.name}{where}: new organisation, will be added in a new "
                         f"system, {org.system}, also added")
            described.add(("system", org.system))
        elif getattr(org, "new_chosen", False) and org.likely_match:
            lines.append(f"{org.name}{where}: new organisation, will be added (chosen as new "
                         f"rather than {org.likely_match})")
        else:
            lines.append(f"{org.name}{where}: new organisation, will be added"
                         + _likely(org.likely_match, choosable=True))
        described.add(("organisation", org.name))
    for new in preview.created:
        if (new.level, new.name) in described:
            continue
        described.add((new.level, new.name))
        likely = _likely(getattr(new, "likely_match", None))
        if new.level == "system":
            lines.append(f"{new.name}: new system, will be added{likely}")
        else:
            where = f" ({new.parent})" if new.parent else ""
            lines.append(f"{new.name}{where}: new organisation, will be added{likely}")
    return lines


def _likely(name: str | None, *, choosable: bool = False) -> str:
    """A new organisation's likely match in the register, as a suggestion; ``choosable``
    when the preview offers a choice of organisation for this name."""
    if not name:
        return ""
    if choosable:
        return (f" (likely the same as {name}: choose it, or a new organisation, under “Names "
                "that may already be in the register”)")
    return (f" (likely the same as {name}: to use that one, add this name to it as an "
            "alias in the organisation register, then upload again)")


@dataclass(frozen=True)
class ApproachView:
    paragraphs: list[str]
    source: str  # "partner-returns.docx, table 1, row 3"


def approach_views(approaches) -> list[ApproachView]:
    """An organisation's approaches (OrganisationApproach), each with the file it came from."""
    views = []
    for approach in approaches:
        where = [approach.source_document.original_name] if approach.source_document else []
        if approach.source_location:
            where.append(approach.source_location)
        views.append(ApproachView(paragraphs=[p for p in approach.text.splitlines() if p.strip()],
                                  source=", ".join(where)))
    return views


def file_submission_lines(items) -> list[str]:
    """Each submission imported from a file, as its organisation's contributors read it."""
    return [f"{item.file_name}, received {format_date(item.received)}: "
            f"{item.findings} finding{'' if item.findings == 1 else 's'}" for item in items]


# The levels a lead may invite, or choose as the organisation a file is from: a system
# (for its system-wide return) and the organisations in it. Places and units are not
# offered: a place is a footprint, not a body that writes a return.
CHOOSABLE_LEVELS = ("system", "organisation")
NO_SYSTEM = "Not in a system"


@dataclass(frozen=True)
class ChoiceGroup:
    name: str  # the system's name, or "Not in a system"
    choices: list[tuple[int, str]]  # (organisation id, text) in order


def organisation_groups(tree, region_id) -> list[ChoiceGroup]:
    """The organisations of a region that can be chosen, grouped by their system: each
    system first (for its own return), then its organisations, by name."""
    systems = tree.below(region_id, levels=[CHOOSABLE_LEVELS[0]])
    members: dict[int | None, list] = {system.id: [] for system in systems}
    for org in tree.below(region_id, levels=[CHOOSABLE_LEVELS[1]]):
        system = tree.system_of(org.id)
        members.setdefault(system.id if system else None, []).append(org)
    groups = [ChoiceGroup(system.name, [(system.id, f"{system.name} (the system as a whole)")]
                          + [(org.id, org.name) for org in members[system.id]])
              for system in systems]
    if members.get(None):
        groups.append(ChoiceGroup(NO_SYSTEM, [(org.id, org.name) for org in members[None]]))
    return groups


def organisation_choices(groups: list[ChoiceGroup]) -> list[tuple[int, str]]:
    """Every choice of the groups, for a form's validation."""
    return [choice for group in groups for choice in group.choices]


def move_organisation_items(participating: list[tuple[int, str]], groups: list[ChoiceGroup],
                            current: tuple[int, str] | None) -> list[dict]:
    """NHS.UK select items for the organisation a finding or example is from: the review's
    participating organisations first, then the rest of its region as the upload preview
    offers them; ``current`` (id, name) is selected (and offered, wherever it is)."""
    current_id = current[0] if current else None
    items: list[dict] = []
    if current is None:
        items.append({"value": "", "text": "No organisation"})
    taking_part = {pk for pk, _ in participating}
    if current and current_id not in taking_part and current_id not in {
            pk for pk, _ in organisation_choices(groups)}:
        items.append({"value": str(current_id), "text": current[1]})
    items += [{"value": str(pk), "text": f"{name} (taking part)"} for pk, name in participating]
    items += [item for item in organisation_items(groups, "")[1:]
              if int(item["value"]) not in taking_part]
    for item in items:
        item["selected"] = item["value"] == (str(current_id) if current_id else "")
    return items


def organisation_items(groups: list[ChoiceGroup], placeholder: str) -> list[dict]:
    """NHS.UK select items, system by system: the system, then its organisations indented
    and naming it (the NHS.UK select has no option groups)."""
    items: list[dict] = [{"value": "", "text": placeholder}]
    for group in groups:
        in_system = group.name != NO_SYSTEM
        for index, (pk, text) in enumerate(group.choices):
            indent = in_system and index > 0
            items.append({"value": str(pk),
                          "text": f"\u2003{text} ({group.name})" if indent else text})
    return items
