"""The report as a Word document (python-docx), from the same data and wording as the HTML.

Made for a board secretary to edit: real heading styles (Title, Heading 1–3) so
Word's navigation pane and its table of contents field work, recommendations
numbered exactly as in the HTML ("Recommendation 12", in their own paragraph
style), real tables (the appendix's header row repeats on each page), charts as
PNG pictures with alt text followed by their data tables, narratives as Word
paragraphs, lists and links — no text boxes and no pictures of text.
"""

from __future__ import annotations

import io

from docx import Document

from stocktake.core.text import join_names, plural
from stocktake.report.data import ReportData, ThemeSection
from stocktake.report.render import charts
from stocktake.report.render.common import (
    LANGUAGE,
    appendices,
    citation_source,
    long_date,
    merged_note,
    method_counts,
    more_citations,
    recommendation_details,
    recommendation_heading,
    shown_citations,
    shows_draft_warning,
    version_stamp,
)
from stocktake.report.render.docx_narrative import write_narrative
from stocktake.report.render.docx_tools import (
    Writer,
    add_field,
    restarted_numbering,
    set_numbering,
    setup_page,
    setup_styles,
    update_fields_on_open,
)
from stocktake.report.render.html import CHART_TITLES, chart_description

TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
DRAFT_WARNING = ("Draft for review — not published. Themes suggested by automated analysis have "
                 "not all been checked by a reviewer, and recommendations may still change. "
                 "Do not circulate as final.")


def render_docx(data: ReportData) -> bytes:
    """The report as the bytes of a .docx file."""
    doc = Document()
    setup_styles(doc, language=LANGUAGE)
    stamp = version_stamp(data)
    setup_page(doc, running_title=data.title, stamp=stamp)
    properties = doc.core_properties
    properties.title, properties.language = data.title, LANGUAGE
    properties.subject = "Learning review report" + (f", {data.region}" if data.region else "")
    properties.author = data.region or "stocktake"
    properties.keywords = "learning review; recommendations"
    properties.comments = stamp
    properties.revision = data.version or 1
    update_fields_on_open(doc)

    w = Writer(doc)
    _front(w, data, stamp)
    _about(w, data)
    _summary(w, data)
    _charts(w, data)
    for section in data.theme_sections:
        _theme(w, section)
    if data.further_recommendations:
        w.heading("Further recommendations", 1, new_page=True)
        w.paragraph("Recommendations that do not sit under a single theme.")
        for rec in data.further_recommendations:
            _recommendation(w, rec)
    _all_recommendations(w, data)
    _appendices(w, data)
    w.finish()
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _front(w: Writer, data: ReportData, stamp: str) -> None:
    if data.region:
        w.paragraph(data.region, "Subtitle")
    w.heading(data.title, 0)
    w.paragraph(stamp, "Subtitle")
    if shows_draft_warning(data):
        w.paragraph(DRAFT_WARNING, "Warning")
    if data.opens_on or data.closes_on:
        _labelled(w, "Review period", f"{long_date(data.opens_on) or 'not set'} to "
                                      f"{long_date(data.closes_on) or 'not set'}")
    _labelled(w, "Status", data.status_label)
    _labelled(w, "Produced", long_date(data.generated_on))
    if data.change_note:
        _labelled(w, "What changed in this version", data.change_note)
    w.paragraph("Contents", "TOC Heading")
    toc = w.paragraph()
    add_field(toc, TOC_INSTRUCTION, "Right-click here and choose Update Field to show the "
              "table of contents.", dirty=True)


def _labelled(w: Writer, label: str, value: str, style: str = "Normal") -> None:
    paragraph = w.paragraph(style=style)
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)


def _about(w: Writer, data: ReportData) -> None:
    w.heading("About this review", 1, new_page=True)
    for text in data.scope_paragraphs:
        w.paragraph(text)
    w.paragraph(data.method_summary)
    w.paragraph("Themes are numbered sections below; recommendations are numbered continuously "
                "through the report.")
    p = data.participation
    w.heading("Who took part", 1)
    w.paragraph(p.sentence)
    if p.organisations:
        w.table(["System", "Organisation", "Invitation", "Submission", "Findings"], (
            [o.system or "No system",
             o.name + (f" ({o.short_name})" if o.short_name else ""),
             "Invited" if o.invited else "Not invited",
             "Submitted" if o.submitted else "Not submitted", str(o.finding_count)]
            for o in p.organisations), widths=[3, 4, 2, 2, 1.4], numeric={4},
            caption="Organisations taking part, by system")


def _summary(w: Writer, data: ReportData) -> None:
    w.heading("Summary", 1, new_page=True)
    if data.summary_html:
        write_narrative(w, data.summary_html)
    if data.summary_observations:
        w.heading("Summary observations", 2)
        numbering = restarted_numbering(w.doc, "List Number")
        for item in data.summary_observations:
            paragraph = w.paragraph(item.text, "List Number")
            set_numbering(paragraph, numbering)
            if item.reach:
                paragraph.add_run().add_break()
                reach = paragraph.add_run(
                    (f"{item.theme_name}: " if item.theme_name else "") + item.reach + ".")
                reach.italic = True
    w.heading("Consistent messages", 2)
    if data.consistent:
        w.paragraph(f"These themes were raised by all or nearly all of the "
                    f"{plural(data.participation.system_count, 'system')} that took part, each "
                    "with at least two findings.")
        for obs in data.consistent:
            w.paragraph(f"{obs.name}: {obs.system_count} of {plural(obs.total_systems, 'system')}, "
                        f"{plural(obs.organisation_count, 'organisation')}.", "List Bullet")
    else:
        few = " (fewer than two systems have submitted)" \
            if data.participation.system_count < 2 else ""
        w.paragraph(f"No theme was raised by all or nearly all systems{few}.")
    w.heading("Distinctive messages", 2)
    if data.distinctive:
        w.paragraph("These themes were raised in only one or two systems.")
        for obs in data.distinctive:
            w.paragraph(f"{obs.name}: {join_names(obs.systems)}.", "List Bullet")
    else:
        w.paragraph("No theme was distinctive to one or two systems.")
    w.table(["Theme", "Systems", "Organisations", "Findings", "Pattern"], (
        [o.name, str(o.system_count), str(o.organisation_count), str(o.finding_count),
         o.pattern_label] for o in data.observations),
        widths=[5, 1.6, 2.4, 1.6, 3], numeric={1, 2, 3},
        caption="How many systems and organisations raised each theme")


def _charts(w: Writer, data: ReportData) -> None:
    w.heading("Themes at a glance", 1, new_page=True)
    heatmap = data.heatmap
    w.heading(CHART_TITLES["heatmap"], 2)
    png = charts.heatmap_png(heatmap)
    if png:
        w.picture(png, title=CHART_TITLES["heatmap"], alt=chart_description(data, "heatmap"))
        w.table(["Theme", *heatmap.systems], (
            [theme, *map(str, row)] for theme, row in zip(heatmap.themes, heatmap.counts)),
            widths=[3.5] + [1.4] * len(heatmap.systems),
            numeric=set(range(1, len(heatmap.systems) + 1)),
            header_style="Table Text Small" if len(heatmap.systems) > 4 else "Table Text",
            caption=f"{CHART_TITLES['heatmap']}: the chart's data (findings per theme and "
                    "system)")
    else:
        w.paragraph(charts.heatmap_description(heatmap))
    w.heading(CHART_TITLES["balance"], 2)
    png = charts.balance_png(data.balance)
    if png:
        w.picture(png, title=CHART_TITLES["balance"], alt=chart_description(data, "balance"))
        w.table(["Theme", "Achievements", "Challenges", "Other findings"], (
            [r.theme, str(r.achievements), str(r.challenges), str(r.other)]
            for r in data.balance), widths=[5, 2, 2, 2], numeric={1, 2, 3},
            caption=f"{CHART_TITLES['balance']}: the chart's data")
    else:
        w.paragraph("The framework has no themes.")


def _theme(w: Writer, section: ThemeSection) -> None:
    w.heading(f"{section.position}. {section.name}", 1, new_page=True)
    if section.description:
        w.paragraph(section.description, "Subtitle")
    w.heading("What we heard", 2)
    if section.narrative_html:
        write_narrative(w, section.narrative_html)
    else:
        for sentence in section.narrative:
            w.paragraph(sentence)
    if section.quotes:
        w.heading("Supporting evidence", 2)
        for quote in section.quotes:
            w.paragraph(f"“{quote.text}”", "Quote").paragraph_format.keep_with_next = True
            where = quote.organisation + (f", {quote.system}" if quote.system else "")
            kind = quote.polarity_label + (f", {quote.domain}" if quote.domain else "")
            source = f". Source: {quote.source}" if quote.source else ""
            w.paragraph(f"— {where} ({kind}){source}", "Quote Source")
    w.heading("Recommendations", 2)
    if section.recommendations:
        for rec in section.recommendations:
            _recommendation(w, rec)
    else:
        w.paragraph("No recommendations under this theme.")


def _recommendation(w: Writer, rec) -> None:
    w.paragraph(recommendation_heading(rec), "Recommendation Number")
    w.paragraph(rec.text, "Recommendation")
    details = w.paragraph(style="Details")
    for index, (label, value) in enumerate(recommendation_details(rec)):
        details.add_run(("  ·  " if index else "") + f"{label}: ").bold = True
        details.add_run(value)
    cited, more = shown_citations(rec)
    if cited:
        details.paragraph_format.keep_with_next = True
        w.paragraph("Evidence cited:", "Details").runs[0].bold = True
        for c in cited:
            w.paragraph(f"“{c.text}” — {citation_source(c.organisation, c.source)}",
                        "List Bullet")
        if more:
            w.paragraph(more_citations(more), "Details")


def _all_recommendations(w: Writer, data: ReportData) -> None:
    w.heading("All recommendations", 1, new_page=True)
    if not data.recommendations:
        w.paragraph("This report makes no recommendations yet.")
        return
    w.table(["No.", "Recommendation", "Owner", "Lead contact", "Due"], (
        [rec.shown_number + (f" ({rec.origin})" if rec.origin else ""), rec.text,
         rec.owner or "Not assigned", rec.lead_contact, long_date(rec.due_date)]
        for rec in data.recommendations), widths=[1.2, 7, 3, 2.5, 2],
        caption="Every recommendation in this report, with its owner, lead contact and due date")


def _appendices(w: Writer, data: ReportData) -> None:
    parts = appendices(data)
    w.heading(parts["examples"].heading, 1, new_page=True)
    if data.examples:
        w.table(["Domain", "System", "Example", "Synopsis"], (_example_row(ex)
                for ex in data.examples), widths=[2.5, 3, 4, 7],
                caption="Examples of innovation and good practice, by domain")
    else:
        w.paragraph("No examples of good practice have been recorded yet.")
    if data.case_studies:
        w.heading(parts["case_studies"].heading, 1, new_page=True)
        w.paragraph("Accounts from people who took part, published with their consent.")
        for case in data.case_studies:
            w.heading(case.title, 2)
            who = ", ".join(part for part in (case.person, case.organisation) if part)
            if who:
                w.paragraph(who, "Details")
            for text in _paragraphs(case.text):
                w.paragraph(text)
    _method(w, data, parts["method"].heading)


def _example_row(ex) -> list:
    title = [(ex.title, "Table Text")]
    if ex.organisation:
        title.append((ex.organisation, "Details"))
    synopsis = [(ex.synopsis[:1].upper() + ex.synopsis[1:], "Table Text")]
    if ex.merged_count:
        synopsis.append((merged_note(ex.merged_count), "Details"))
    return [ex.domain or "General", ex.system or "Not known", title, synopsis]


def _paragraphs(text: str) -> list[str]:
    blocks = (" ".join(block.split()) for block in (text or "").split("\n\n"))
    return [block for block in blocks if block]


def _method(w: Writer, data: ReportData, heading: str) -> None:
    m = data.method
    w.heading(heading, 1, new_page=True)
    w.heading("Who took part and what they sent", 2)
    w.paragraph(f"{data.participation.sentence} {method_counts(data)}")
    if m.template:
        w.paragraph(m.template)
    if m.note_html:
        write_narrative(w, m.note_html)
    w.heading("The framework", 2)
    paragraph = w.paragraph("Submissions were written against the domains of the ")
    paragraph.add_run(m.framework_name).bold = True
    paragraph.add_run(" framework, and findings were coded to its cross-cutting themes."
                      + (f" {m.framework_description}" if m.framework_description else ""))
    for title, entries in (("Domains", m.domains), ("Themes", m.themes)):
        w.heading(title, 3)
        for entry in entries:
            _labelled(w, entry.name, entry.description)
    w.heading("How findings were coded", 2)
    w.paragraph("Each submission was split into findings: single statements, each linked to the "
                "organisation and the part of the document it came from. Only submitted "
                "material is included; drafts are not. A finding counts towards a theme when a "
                "reviewer coded it to that theme, or when it was the analysis's best suggestion "
                "and no reviewer rejected it.")
    if m.latest_run:
        w.paragraph(f"Suggestions came from stocktake's offline {m.latest_run.backend} analysis, "
                    f"run on {long_date(m.latest_run.created_at)}; nothing was sent off the "
                    "machine.")
    else:
        w.paragraph("No automated analysis has been run; every theme was set by a reviewer.")
    w.table(["Measure", "Count"], [
        ["Findings in the report", str(data.participation.finding_count)],
        ["Findings coded to at least one theme", str(m.findings_coded)],
        ["Findings not coded to any theme", str(m.findings_uncoded)],
        ["Findings checked by a reviewer", str(m.findings_reviewed)],
        ["Themes set or confirmed by reviewers", str(m.human_codes)],
        ["Suggested themes rejected by reviewers", str(m.human_rejections)],
        ["Findings whose best theme came from the analysis", str(m.machine_best)],
    ], widths=[6, 1.5], numeric={1}, caption="Coding of findings")
