"""The review as a REFI-QDA project (``.qdpx``), for NVivo, ATLAS.ti, MAXQDA or QualCoder.

A ``.qdpx`` file is a zip holding ``project.qde`` (XML in the namespace
``urn:QDA-XML:project:1.0``, checked against the official schema in
``schema/Project-mrt2019.xsd`` by :func:`validate`) and ``Sources/`` (one plain-text
file per source). What goes where:

- **Users**: one per role that decided codes ("Review lead", "Reviewer"), one for the
  analysis's suggestions and one for stocktake itself (the project's creator). People
  are never named.
- **CodeBook**: three groups (not codable themselves) of codable codes: the framework's
  themes, its domains, and the polarities (achievement, challenge, mixed, neutral).
- **Sources**: one ``TextSource`` per submission (an organisation's submitted document
  or form): its findings one after another, a blank line between them, in
  ``Sources/<guid>.txt``. Each finding is a ``PlainTextSelection`` over its characters,
  coded with the themes it counts under (made by the reviewer's role when a reviewer
  confirmed it, by the analysis otherwise), its domain and its polarity.
- **Variables** and **Cases**: a case per organisation, with its system and its type,
  referring to its sources.
- **Notes**: one per recommendation; the findings it cites refer to it (``NoteRef``).

GUIDs are derived from the review's slug and each object's id, so exporting the same
review twice gives the same GUIDs.
"""

from __future__ import annotations

import re
import uuid
import zipfile
from collections import defaultdict
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from lxml import etree

from stocktake import __version__
from stocktake.report.datapack.document import Progress, review_document
from stocktake.report.datapack.files import replacing
from stocktake.reviews.models import Review

NAMESPACE = "urn:QDA-XML:project:1.0"
SCHEMA = Path(__file__).with_name("schema") / "Project-mrt2019.xsd"
GUID_ROOT = uuid.UUID("6f0b8a52-4c1e-4a8e-9d53-5a1c3f7e2b10")  # stocktake's namespace for uuid5
SEPARATOR = "\n\n"  # between two findings in a source's text

ROLE_NAMES = {"lead": "Review lead", "reviewer": "Reviewer", "action_owner": "Action owner",
              "contributor": "Contributor", "viewer": "Viewer", None: "Reviewer (role not known)"}
POLARITIES = (("achievement", "Achievement"), ("challenge", "Challenge"), ("mixed", "Mixed"),
              ("neutral", "Neutral"))

# Characters XML 1.0 cannot hold.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str:
    return escape(_INVALID_XML.sub("", str(value)))


def _attr(value) -> str:
    return quoteattr(_INVALID_XML.sub("", str(value)))


class _Guids:
    """GUIDs derived from the review's slug, a kind and a key; shared ones (codes, users,
    notes) are worked out once."""

    SHARED = frozenset({"theme", "domain", "polarity", "user", "recommendation", "variable",
                        "group"})

    def __init__(self, slug: str):
        self.base = uuid.uuid5(GUID_ROOT, slug)
        self.known: dict[tuple[str, object], str] = {}

    def __call__(self, kind: str, key) -> str:
        if kind not in self.SHARED:
            return str(uuid.uuid5(self.base, f"{kind}/{key}"))
        found = self.known.get((kind, key))
        if found is None:
            found = self.known[(kind, key)] = str(uuid.uuid5(self.base, f"{kind}/{key}"))
        return found


def _iso_z(value: str | None) -> str | None:
    """An ISO date-time as xsd:dateTime wants it (a date alone is not one)."""
    if not value or "T" not in value:
        return None
    return value


def project_xml(document: dict) -> tuple[str, dict[str, str]]:
    """``project.qde``'s text and the source files (``Sources/<name>`` → text)."""
    review = document["review"]
    guid = _Guids(review["slug"])
    out: list[str] = []
    w = out.append
    creator = guid("user", "stocktake")
    machine_user = guid("user", "analysis")
    exported = _iso_z(document["exported_at"])

    w('<?xml version="1.0" encoding="utf-8"?>\n')
    w(f'<Project xmlns="{NAMESPACE}" name={_attr(review["title"])} '
      f'origin={_attr(f"stocktake {__version__}")} creatingUserGUID="{creator}"'
      + (f' creationDateTime="{exported}"' if exported else "") + ">\n")

    # -- users: roles, never names
    roles = sorted({code["decided_by"] for f in document["findings"] for code in f["human_codes"]},
                   key=lambda r: (r is None, r or ""))
    w("<Users>\n")
    w(f'<User guid="{creator}" name="stocktake export" id="stocktake"/>\n')
    w(f'<User guid="{machine_user}" name="Analysis (machine suggestions)" id="analysis"/>\n')
    for role in roles:
        w(f'<User guid="{guid("user", f"role:{role}")}" name={_attr(ROLE_NAMES.get(role, role))} '
          f'id={_attr(role or "unknown")}/>\n')
    w("</Users>\n")

    # -- codebook
    framework = document["framework"]
    w("<CodeBook><Codes>\n")
    for group, items, kind in (("Themes", framework["themes"], "theme"),
                               ("Domains", framework["domains"], "domain")):
        w(f'<Code guid="{guid("group", kind)}" name="{group}" isCodable="false">\n')
        for item in items:
            w(f'<Code guid="{guid(kind, item["key"])}" name={_attr(item["name"])} isCodable="true">')
            if item.get("description"):
                w(f"<Description>{_text(item['description'])}</Description>")
            w("</Code>\n")
        w("</Code>\n")
    w(f'<Code guid="{guid("group", "polarity")}" name="Polarity" isCodable="false">\n')
    for key, name in POLARITIES:
        w(f'<Code guid="{guid("polarity", key)}" name="{name}" isCodable="true"/>\n')
    w("</Code>\n</Codes></CodeBook>\n")

    organisations = {org["id"]: org for org in document["organisations"]}
    w("<Variables>\n")
    w(f'<Variable guid="{guid("variable", "system")}" name="System" typeOfVariable="Text"/>\n')
    w(f'<Variable guid="{guid("variable", "type")}" name="Organisation type" '
      'typeOfVariable="Text"/>\n')
    w("</Variables>\n")

    # -- sources: one per submission, its findings one after another
    by_submission: dict[int, list[dict]] = defaultdict(list)
    for finding in document["findings"]:
        by_submission[finding["submission"]].append(finding)
    cited: dict[int, list[int]] = defaultdict(list)
    for rec in document["recommendations"]:
        for finding_id in rec["findings"]:
            cited[finding_id].append(rec["id"])
    documents = {d["id"]: d for d in document["documents"]}
    files: dict[str, str] = {}
    sources_of: dict[int, list[str]] = defaultdict(list)
    source_parts: list[str] = []
    s = source_parts.append
    for submission in document["submissions"]:
        findings = by_submission.get(submission["id"])
        if not findings:
            continue
        source_guid = guid("submission", submission["id"])
        sources_of[submission["organisation_id"]].append(source_guid)
        doc = documents.get(submission["document"])
        name = f"{submission['organisation']} — {doc['name'] if doc else 'submission form'}"
        texts, position = [], 0
        selections: list[str] = []
        for finding in findings:
            text = _INVALID_XML.sub("", finding["text"])
            start, end = position, position + len(text)
            texts.append(text)
            position = end + len(SEPARATOR)
            selections.append(_selection(finding, start, end, guid, machine_user, exported, cited))
        files[f"{source_guid}.txt"] = SEPARATOR.join(texts)
        s(f'<TextSource guid="{source_guid}" name={_attr(name)} '
          f'plainTextPath="internal://{source_guid}.txt" creatingUser="{creator}"'
          + (f' creationDateTime="{_iso_z(submission["submitted_at"])}"'
             if _iso_z(submission["submitted_at"]) else "") + ">\n")
        s(f"<Description>{_text(name)}</Description>\n")
        s("".join(selections))
        s("</TextSource>\n")

    # -- cases: one per organisation with sources, with its system and type
    case_orgs = [org_id for org_id in sorted(sources_of, key=lambda i: (
        organisations.get(i, {}).get("name", ""), i))]
    if case_orgs:
        w("<Cases>\n")
        for org_id in case_orgs:
            org = organisations.get(org_id, {})
            w(f'<Case guid="{guid("case", org_id)}" name={_attr(org.get("name", org_id))}>\n')
            for variable, value in (("system", org.get("system")), ("type", org.get("type"))):
                if value:
                    w(f'<VariableValue><VariableRef targetGUID="{guid("variable", variable)}"/>'
                      f"<TextValue>{_text(value)}</TextValue></VariableValue>\n")
            for source_guid in sources_of[org_id]:
                w(f'<SourceRef targetGUID="{source_guid}"/>\n')
            w("</Case>\n")
        w("</Cases>\n")
    if source_parts:
        w("<Sources>\n")
        out.extend(source_parts)
        w("</Sources>\n")

    # -- notes: the recommendations
    if document["recommendations"]:
        w("<Notes>\n")
        for rec in document["recommendations"]:
            label = rec["label"] or str(rec["number"])
            owner = f" (owner: {rec['owner']})" if rec["owner"] else ""
            w(f'<Note guid="{guid("recommendation", rec["id"])}" '
              f'name={_attr(f"Recommendation {label}")} creatingUser="{creator}">'
              f"<PlainTextContent>{_text(rec['text'] + owner)}</PlainTextContent></Note>\n")
        w("</Notes>\n")
    description = f"{review['title']}. {review.get('scope') or ''}".strip()
    w(f"<Description>{_text(description)}</Description>\n")
    w("</Project>\n")
    return "".join(out), files


def _selection(finding: dict, start: int, end: int, guid, machine_user: str, exported,
               cited: dict[int, list[int]]) -> str:
    """One finding as a PlainTextSelection with its codings and the notes it supports."""
    decided = {code["theme"]: code["decided_by"] for code in finding["human_codes"]
               if code["applies"]}
    parts = [f'<PlainTextSelection guid="{guid("finding", finding["id"])}" '
             f'name="Finding {finding["id"]}" startPosition="{start}" endPosition="{end}">']
    where = finding["source"]["location"]
    if where:
        parts.append(f"<Description>{_text(where)}</Description>")
    codes = [("theme", theme, guid("user", f"role:{decided[theme]}") if theme in decided
              else machine_user) for theme in finding["themes"]]
    if finding["domain"]:
        codes.append(("domain", finding["domain"], machine_user))
    codes.append(("polarity", finding["polarity"],
                  machine_user if finding["polarity_origin"] == "machine" else None))
    for kind, key, user in codes:
        by = f' creatingUser="{user}"' if user else ""
        coding = guid(f"coding/{kind}", f"{finding['id']}/{key}")
        parts.append(f'<Coding guid="{coding}"{by}><CodeRef targetGUID="{guid(kind, key)}"/>'
                     "</Coding>")
    for rec_id in cited.get(finding["id"], ()):
        parts.append(f'<NoteRef targetGUID="{guid("recommendation", rec_id)}"/>')
    parts.append("</PlainTextSelection>\n")
    return "".join(parts)


def write_qdpx(review: Review, path, *, progress: Progress = None,
               document: dict | None = None) -> Path:
    """Write the review as a REFI-QDA project (``.qdpx``) to ``path``, replacing it only
    once complete. ``progress``: called as ``progress(done, total, label)``.
    ``document``: the review's document (:func:`review_document`) when the caller has it
    already (making several formats at once), else it is read here."""
    path = Path(path)
    total = 7

    def step(done: int, label: str) -> None:
        if progress is not None:
            progress(done, total, label)

    if document is None:
        document = review_document(
            review, progress=lambda done, _total, label: step(done, f"reading {label}"))
    else:
        step(5, "read")
    xml, files = project_xml(document)
    step(6, "project.qde")
    with replacing(path) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED,
                                                    compresslevel=1) as pack:
        pack.writestr("project.qde", xml.encode("utf-8"))
        for name, text in files.items():
            pack.writestr(f"Sources/{name}", text.encode("utf-8"))
    step(7, "sources")
    return path


class InvalidProject(ValueError):
    """A project.qde that the REFI-QDA schema refuses; the message names the first problem."""


def validate(qde: bytes) -> None:
    """Check ``project.qde``'s bytes against the REFI-QDA Project schema (raises InvalidProject)."""
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    root = etree.fromstring(qde, parser=etree.XMLParser(huge_tree=True))
    if not schema.validate(root):
        error = schema.error_log.last_error
        raise InvalidProject(f"project.qde, line {error.line}: {error.message}")
