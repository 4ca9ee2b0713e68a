"""From blocks to findings: following headings to know the domain, section and organisation."""

from __future__ import annotations

import re

from stocktake.collect.importers.blocks import (
    BULLET,
    HEADING,
    PARAGRAPH,
    SESSION_TITLE,
    TABLE,
    Block,
    metadata,
    organisation_from_title,
    session_detail,
)
from stocktake.collect.importers.mapping import Mapping
from stocktake.collect.importers.matching import DomainMatcher, clean_heading, match_section
from stocktake.collect.importers.model import (
    ExtractedCaseStudy,
    ExtractedFinding,
    ExtractedRecommendation,
    Extraction,
)
from stocktake.collect.importers.segment import clean, split_paragraph
from stocktake.collect.importers.tables import Context, add_example_from_text, read_table

_RECOMMENDATIONS = re.compile(r"^(?:key |our |summary of |draft )?recommendations?\b", re.I)
_SUBTITLE = re.compile(r"\b(submission|learning review|response|return|session notes)\b", re.I)
# Sentences about the document itself, not findings.
_ABOUT_DOCUMENT = re.compile(
    r"\b(?:table|list|sections?|chart|figure) (?:below|above)\b|^(?:this|the following) "
    r"(?:submission|document|section|return|report|table)\b", re.I)
_INLINE_REC = re.compile(r"^\s*recommendation\s+(\d{1,3})\s*[.):–—-]\s*(\S.*)$", re.I)
_NUMBERED_REC = re.compile(r"^\s*(?:recommendation\s*)?(\d{1,3})\s*[.):–-]?\s+(\S.*)$", re.I)
# Headings whose text is about the submission, not findings from it.
_SKIPPED = re.compile(
    r"^(contents|table of contents|introduction|background|purpose|scope|about (this|the) "
    r"(submission|document|return)|method|methodology|glossary|acknowledg|sign[- ]?off|"
    r"document control|version|contact|appendix|annex|references)\b",
    re.I,
)

# Refers to the whole file; settled once every item names one or the importer chooses one.
NO_ORGANISATION = "the file does not say which organisation it is from"


# "Case study 2: Discharge to assess at Ostley", "Patient story – Margaret": a story told at length.
_CASE_STUDY = re.compile(r"^(?:case stud(?:y|ies)|(?:patient|personal|staff|carer|family)(?:'s)? stor(?:y|ies)|"
                         r"spotlight on)\b\s*(?:\d{1,3}[a-z]?)?\s*[:.–—-]?\s*(?P<title>.*)$", re.I)
# "Jane Smith, GP Partner", "Dr Ade Okoro, Clinical Director (Ostley PCN)": who is speaking, not a finding.
_PERSON = re.compile(
    r"^(?:(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Cllr|Sir|Dame)\.?\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,3},"
    r"\s+[A-Z][\w&/()'’ -]{2,80}(?:,\s*[\w&/()'’ -]{2,80})?$")


def looks_like_person(text: str) -> bool:
    """A line naming a person and their role ("Jane Smith, GP Partner")."""
    text = clean(text)
    return bool(_PERSON.match(text)) and len(text.split()) <= 14 and not text.endswith((".", "!", "?"))


def _quote(text: str, limit: int = 60) -> str:
    text = clean(text)
    return f"'{text[:limit]}…'" if len(text) > limit else f"'{text}'"


class Assembler:
    """Feeds blocks in document order; keeps the heading context; adds findings to an extraction."""

    def __init__(self, extraction: Extraction, matcher: DomainMatcher, *, mapping: Mapping | None = None):
        self.x = extraction
        self.matcher = matcher
        self.mapping = mapping
        self.organisation: str | None = None
        self.system: str | None = None
        self.domain: str | None = None
        self.domain_level = 0
        self.section = "general"
        self.trail: list[tuple[int, str]] = []  # (level, heading) from the outermost
        self.active = False  # inside a heading whose content counts as findings
        self.skipping = False
        self.recommendations = False
        self.rec_section = ""
        self.rec_level = 0
        self.last_rec = 0  # recommendations are numbered on through a report
        self.counts: dict[str, int] = {}
        self.tables = 0
        self.seen_title = False
        self.pending_title: str | None = None
        self.case: ExtractedCaseStudy | None = None  # the case study being read
        self.case_level = 0
        self.session_notes = False  # the title says these are a session's notes

    # -- context -----------------------------------------------------------------
    def _path(self) -> str:
        return " › ".join(f"heading {_quote(text)}" if i == 0 else _quote(text)
                          for i, (_, text) in enumerate(self.trail))

    def _where(self, block: Block, kind: str) -> str:
        if block.location:
            return block.location
        self.counts[kind] = self.counts.get(kind, 0) + 1
        path = self._path()
        item = f"{kind} {self.counts[kind]}"
        return f"{path} › {item}" if path else item

    def _set_organisation(self, name: str) -> None:
        self.organisation = name
        self.x.add_organisation(name, self.system)

    def _set_system(self, name: str) -> None:
        self.system = name
        if self.organisation:
            self.x.add_organisation(self.organisation, name)

    # -- blocks --------------------------------------------------------------------
    def feed(self, block: Block) -> None:
        if block.kind == HEADING:
            self.heading(block)
        elif block.kind == TABLE:
            self.table(block)
        else:
            self.text(block)

    def heading(self, block: Block) -> None:
        text = clean(block.text)
        if not text:
            return
        meta = metadata(text)
        if meta:
            (self._set_system if meta[0] == "system" else self._set_organisation)(meta[1])
            return
        level = block.level or 2
        if not self.seen_title and not self.active and SESSION_TITLE.search(text):
            self.session_notes = True  # "Reflection session notes: Ostley Community Health"
            self.seen_title = True
            org = organisation_from_title(text) if self.organisation is None else None
            if org:
                self._set_organisation(org)
            return
        if not self.seen_title and not self.active and self.organisation is None:
            org = organisation_from_title(text)
            if org:
                self.seen_title = True
                self._set_organisation(org)
                return
        if self._subtitle(text):
            return
        if self.case is not None and level > self.case_level:
            self.case.text = f"{self.case.text}\n\n{text}".strip()  # a sub-heading inside the story
            return
        self.case = None
        story = _CASE_STUDY.match(clean_heading(text))
        if story:
            self.case = ExtractedCaseStudy(title=story["title"].strip() or clean_heading(text), text="",
                                           organisation=self.organisation, system=self.system,
                                           location=self._where(block, "case study"))
            self.case_level = level
            self.x.case_studies.append(self.case)
            return
        if self.recommendations and block.number is not None and block.number == self.last_rec + 1:
            self.recommendation(block, text)  # "12. Publish the log" read as a heading
            return
        self.trail = [(lvl, t) for lvl, t in self.trail if lvl < level] + [(level, text)]
        self.counts = {}
        domain = self.matcher.match(text)
        section = match_section(text)
        if _RECOMMENDATIONS.match(clean_heading(text)):
            outer = [t for lvl, t in self.trail if lvl < level]
            self.rec_section = clean_heading(outer[-1]) if outer else ""
            self.recommendations, self.active, self.skipping = True, False, False
            self.rec_level = level
            return
        if self.recommendations and level > self.rec_level and not domain:
            self.rec_section = clean_heading(text)
            return
        self.recommendations = False
        if domain:
            self.domain, self.domain_level = domain, level
            self.section = section or "general"
            self.active, self.skipping = True, False
        elif section and (self.domain is None or level > self.domain_level):
            self.section = section
            self.active, self.skipping = True, False
        elif self.domain is not None and level > self.domain_level:
            self.active, self.skipping = True, False  # a sub-topic inside the domain
        elif _SKIPPED.match(clean_heading(text)):
            self.domain, self.section, self.active, self.skipping = None, "general", False, True
        else:
            self.domain, self.section, self.active, self.skipping = None, "general", True, False
            if level <= 1 and not self.seen_title:
                self.seen_title, self.active = True, False  # a title that names nobody…
                self.pending_title = clean_heading(text)  # …unless a subtitle says "submission"

    def text(self, block: Block) -> None:
        text = clean(block.text)
        if not text:
            return
        if block.kind == PARAGRAPH:
            meta = metadata(text)
            if meta:
                (self._set_system if meta[0] == "system" else self._set_organisation)(meta[1])
                return
        if not self.seen_title and not self.active and self.organisation is None \
                and SESSION_TITLE.search(text) and len(text.split()) <= 14:
            self.session_notes = self.seen_title = True  # a title typed as a paragraph
            org = organisation_from_title(text)
            if org:
                self._set_organisation(org)
            return
        if self.session_notes and block.kind == PARAGRAPH and self.domain is None:
            # The session's date, attendees …: about the meeting, not findings (lines typed
            # one under another arrive as one paragraph).
            lines = [line for line in (block.text or "").splitlines() if line.strip()] or [text]
            details = [session_detail(line) for line in lines]
            if all(details):
                self.x.session.extend(details)
                return
        if self.case is not None:
            if looks_like_person(text) and not self.case.person:
                self.case.person = text
            else:
                self.case.text = f"{self.case.text}\n\n{text}".strip()
            return
        if looks_like_person(text):
            return  # an author's or speaker's name and role: neither a finding nor an example
        if self.recommendations:
            self.recommendation(block, text)
            return
        inline = _INLINE_REC.match(text)
        if inline:
            section = clean_heading(self.trail[-1][1]) if self.trail else ""
            self._add_recommendation(int(inline[1]), inline[2], section, block)
            return
        if self._subtitle(text):
            return
        if not self.active:
            if not self.skipping and self.organisation is None and not self.seen_title:
                org = organisation_from_title(text)
                if org:
                    self.seen_title = True
                    self._set_organisation(org)
            return
        kind = "bullet" if block.kind == BULLET else "paragraph"
        if kind == "paragraph" and _ABOUT_DOCUMENT.search(text) and len(text.split()) < 30:
            return
        where = self._where(block, kind)
        pieces = [text] if block.kind == BULLET else split_paragraph(text)
        for number, piece in enumerate(pieces, start=1):
            location = f"{where}, sentence {number}" if len(pieces) > 1 else where
            self.x.findings.append(ExtractedFinding(
                text=piece, organisation=self.organisation, system=self.system,
                domain=self.domain, section=self.section, location=location))
            if self.section == "examples":
                add_example_from_text(self.x, piece, domain=self.domain,
                                      organisation=self.organisation, system=self.system,
                                      location=location)

    def _report_narrative(self) -> None:
        """A report (recommendations, nobody's submission): its narrative is not findings."""
        if not self.x.recommendations or any(f.organisation for f in self.x.findings):
            return
        if self.x.findings:
            self.x.problem("", f"read as a report: {len(self.x.findings)} narrative passages that "
                               "name no organisation were not taken as findings")
        self.x.findings = []

    def _subtitle(self, text: str) -> bool:
        """"Ostley Community Health" then "Learning review submission": the title names the organisation."""
        title, self.pending_title = self.pending_title, None
        if title and self.organisation is None and _SUBTITLE.search(text) and len(text.split()) <= 12:
            self._set_organisation(title)
            return True
        return False

    def recommendation(self, block: Block, text: str) -> None:
        match = _NUMBERED_REC.match(text)
        if match is None and block.kind != BULLET and block.number is None:
            return  # narrative between recommendations
        number, body = (int(match[1]), match[2]) if match else (block.number, text)
        self._add_recommendation(number, body, self.rec_section, block)

    def _add_recommendation(self, number: int | None, body: str, section: str, block: Block) -> None:
        number = number if number is not None else self.last_rec + 1
        self.last_rec = max(self.last_rec, number)
        self.x.recommendations.append(ExtractedRecommendation(
            number=number, text=clean(body), section=section,
            location=self._where(block, "recommendation"), label=str(number)))

    def table(self, block: Block) -> None:
        self.tables += 1
        base = block.location or (f"{self._path()} › table {self.tables}" if self.trail
                                  else f"table {self.tables}")

        def location(row: int, column: str | None, item: int | None) -> str:
            where = block.row_locations[row] if block.row_locations else f"{base}, row {row + 1}"
            if column:
                where += f", column '{column}'"
            if item:
                where += f", item {item}"
            return where

        context = Context(organisation=self.organisation, system=self.system,
                          domain=self.domain, section=self.section)
        read_table(block.rows, extraction=self.x, matcher=self.matcher, context=context,
                   location=location, where=base, mapping=self.mapping, loose=block.loose,
                   breaks=block.row_breaks)

    def finish(self) -> Extraction:
        self._report_narrative()
        used = {f.organisation for f in self.x.findings} | {e.organisation for e in self.x.examples}
        if used - {None}:  # drop names only guessed from titles and later corrected
            self.x.organisations = [ref for ref in self.x.organisations if ref.name in used]
        if any(f.organisation is None and f.system is None for f in self.x.findings):
            self.x.problem("", f"{NO_ORGANISATION} (add a title such as 'Submission from …' or a "
                               "line 'Organisation: …')")
        if not (self.x.findings or self.x.examples or self.x.recommendations
                or self.x.responses or self.x.case_studies):
            self.x.problem("", "no findings found: no headings naming a domain or section, and "
                               "no table with recognisable columns")
        return self.x
