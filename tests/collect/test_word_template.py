"""The Word submission template: made from a review, filled in, re-saved, imported exactly."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document

from stocktake.collect.importers import DomainMatcher, EmptyFile, Extraction, extract
from stocktake.collect.importers import template as tpl
from stocktake.collect.models import Example, Finding, SubmissionStatus
from stocktake.collect.word_template import template_docx, template_filename
from stocktake.core.errors import InvalidInput
from stocktake.report.importing import import_document
from stocktake.reviews import actions as review_actions
from tests.collect.template_fill import fill

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Answers by the prompt's bookmark: stk_d<N>_<kind>, N the domain's place in the framework.
ANSWERS = {
    "stk_d1_achievements": ["The board met weekly through the surge.",
                            "One risk log was shared by every partner."],
    "stk_d1_challenges": ["Reporting lines changed twice in a month."],
    "stk_d2_learning": ["Clinical decisions were recorded in the huddle notes.\n"
                        "Audit caught up within six weeks."],  # a line break: two answers
    "stk_d4_achievements": ["Rest rooms opened on every ward."],
    "stk_d4_keep": ["Daily wellbeing check-ins", "Flexible rotas for carers"],  # bulleted
    "stk_d6_examples": ["A joint leadership cell met at eight each morning."],
}
EXPECTED = {  # (domain key, section) -> texts, in order
    ("governance", "achievements"): ["The board met weekly through the surge.",
                                     "One risk log was shared by every partner."],
    ("governance", "challenges"): ["Reporting lines changed twice in a month."],
    ("clinical-quality", "learning"): ["Clinical decisions were recorded in the huddle notes.",
                                       "Audit caught up within six weeks."],
    ("people", "achievements"): ["Rest rooms opened on every ward."],
    ("people", "keep"): ["Daily wellbeing check-ins", "Flexible rotas for carers"],
    ("leadership-culture", "examples"): ["A joint leadership cell met at eight each morning."],
}
EXAMPLE_ROWS = [
    ("Hospital at home", "", "Patients stayed at home with daily visits, freeing twelve beds.",
     "Clinical and Quality Processes"),
    ("Shared volunteer rota", "Brackenford Community Services NHS Trust",
     "One rota for volunteers across two trusts.", "people"),
]


def _filled(review, prefilled=None, **kwargs) -> bytes:
    """The review's template (prefilled for that organisation), filled in; ``organisation=``
    types a name into "About you"."""
    blob = template_docx(review, organisation=prefilled)
    return fill(blob, answers=kwargs.pop("answers", ANSWERS), bullets={"stk_d4_keep"},
                examples=kwargs.pop("examples", EXAMPLE_ROWS), **kwargs)


def _by_place(findings) -> dict:
    found: dict = {}
    for finding in findings:
        found.setdefault((finding.domain.key if finding.domain else None, finding.section),
                         []).append(finding.text)
    return found


def _headings(document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


# -- making it ---------------------------------------------------------------------------------


def test_the_template_has_a_heading_per_domain_and_prompt_and_says_which_review(world, tmp_path):
    review = world.review
    review = review_actions.update_review(review=review, by=world.users["lena"],
                                 opens_on=dt.date(2026, 3, 2), closes_on=dt.date(2026, 4, 30),
                                          scope="How services coped with winter pressures.")
    blob = template_docx(review)
    document = Document(io.BytesIO(blob))
    headings = _headings(document)
    assert headings[0] == ("Title", "Submission to Winter 2025 learning review")
    texts = [p.text for p in document.paragraphs]
    assert texts[1:3] == ["Submissions open 2 March 2026 and close 30 April 2026.",
                          "How services coped with winter pressures."]
    languages = {lang.get(f"{W}val") for lang in document.styles.element.iter(f"{W}lang")}
    assert languages == {"en-GB"}
    domains = list(world.framework.domains.order_by("position"))
    assert [t for s, t in headings if s == "Heading 1"] == (
        ["About you"] + [d.name for d in domains] + ["Best-practice examples"])
    prompts = ["Key achievements", "Challenges", "Significant learning",
               "Examples of innovation or good practice", "What should be kept"]
    assert [t for s, t in headings if s == "Heading 2"] == (
        ["Organisation", "Integrated care system"] + prompts * len(domains))
    # Every prompt has an empty answer box and its guidance; no placeholder text to delete.
    answers = [p for p in document.paragraphs if p.style.name == tpl.ANSWER_STYLE]
    assert len(answers) == 2 + 5 * len(domains) and not any(p.text for p in answers)
    table = document.tables[-1]
    assert [c.text for c in table.rows[0].cells] == ["Title", "Organisation", "Synopsis", "Domain"]
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None  # a real header row
    core = document.core_properties
    assert core.keywords == "stocktake-template:v1 review=winter-2025"
    assert core.title == "Submission to Winter 2025 learning review" and core.language == "en-GB"
    path = tmp_path / "template.docx"
    path.write_bytes(blob)
    ident = tpl.identity(path)
    assert ident.review == "winter-2025"
    assert ident.domains[1] == (domains[0].key, domains[0].name) and len(ident.domains) == len(domains)


def test_a_contributors_template_names_their_organisation_and_system(world):
    ashby = world.orgs["ashby"]
    document = Document(io.BytesIO(template_docx(world.review, organisation=ashby)))
    answers = [p.text for p in document.paragraphs if p.style.name == tpl.ANSWER_STYLE]
    assert answers[:2] == ["Ashby General Hospital NHS Foundation Trust",
                           "Northfold Integrated Care System"]
    assert template_filename(world.review, organisation=ashby) == "winter-2025-agh-submission-template.docx"
    assert template_filename(world.review) == "winter-2025-submission-template.docx"


# -- reading it back -----------------------------------------------------------------------------


def test_filled_by_python_docx_every_answer_lands_in_its_domain_and_section(world, tmp_path):
    path = tmp_path / "ashby-template.docx"
    path.write_bytes(_filled(world.review, world.orgs["ashby"]))
    result = import_document(review=world.review, path=path, by=world.users["lena"])
    assert result.ok and result.problems == [] and (result.findings, result.examples) == (9, 3)
    findings = list(Finding.objects.filter(source_document=result.document).order_by("id"))
    assert _by_place(findings) == EXPECTED
    assert {f.organisation for f in findings} == {world.orgs["ashby"]}  # found, not created
    assert findings[0].source_location == "heading 'Governance' › 'Key achievements' › answer 1"
    examples = {e.title: e for e in Example.objects.filter(source_document=result.document)}
    assert examples["Hospital at home"].organisation == world.orgs["ashby"]
    assert examples["Hospital at home"].domain.key == "clinical-quality"
    assert examples["Hospital at home"].synopsis.startswith("Patients stayed at home")
    assert examples["Shared volunteer rota"].organisation == world.orgs["bracken"]
    assert examples["Shared volunteer rota"].domain.key == "people"
    # An answer under "Examples of innovation or good practice" is an example too, as in the form.
    cell = examples["A joint leadership cell met at eight each morning"]
    assert (cell.domain.key, cell.organisation) == ("leadership-culture", world.orgs["ashby"])
    assert result.document.submissions.get().status == SubmissionStatus.SUBMITTED


def test_a_blank_template_filled_in_needs_the_organisation_chosen_or_written(world, tmp_path):
    path = tmp_path / "blank-filled.docx"
    path.write_bytes(_filled(world.review))  # "About you" left empty
    with pytest.raises(InvalidInput, match="does not say which organisation"):
        import_document(review=world.review, path=path, by=world.users["lena"])
    result = import_document(review=world.review, path=path, by=world.users["lena"],
                             organisation=world.orgs["bracken"])  # the uploader chose it
    assert {f.organisation for f in Finding.objects.filter(source_document=result.document)} == {
        world.orgs["bracken"]}
    path.write_bytes(_filled(world.review, organisation="Brackenford Community Services NHS Trust"))
    extraction = extract(path, domains=_domains(world))
    assert {f.organisation for f in extraction.findings} == {"Brackenford Community Services NHS Trust"}


def _domains(world):
    return [(d.key, d.name) for d in world.framework.domains.order_by("position")]


def test_an_empty_template_says_it_has_no_answers(world, tmp_path):
    path = tmp_path / "empty.docx"
    path.write_bytes(template_docx(world.review, organisation=world.orgs["ashby"]))
    with pytest.raises(EmptyFile, match="the template has no answers"):
        extract(path, domains=_domains(world))
    with pytest.raises(InvalidInput, match="empty.docx: the template has no answers"):
        import_document(review=world.review, path=path, by=world.users["lena"])
    assert not world.review.documents.exists()


def test_retyped_headings_and_lost_properties_still_find_their_places(world, tmp_path):
    """A heading reworded in place keeps its bookmark, so its answers keep their place; with
    no bookmarks and no custom properties at all (another editor dropped them), the headings'
    own words place each answer."""
    blob = _filled(world.review, world.orgs["ashby"])
    document = Document(io.BytesIO(blob))
    for paragraph in document.paragraphs:
        if paragraph.text == "Key achievements":
            paragraph.runs[0].text = "What we are proud of"  # no word of the prompt left
    path = tmp_path / "retyped.docx"
    document.save(path)
    assert _places(extract(path, domains=_domains(world))) == EXPECTED

    document = Document(io.BytesIO(blob))
    for element in list(document.element.body.iter(f"{W}bookmarkStart")):
        element.getparent().remove(element)
    out = io.BytesIO()
    document.save(out)
    path.write_bytes(_without_part(out.getvalue(), "docProps/custom.xml"))
    extraction = extract(path, domains=_domains(world))
    assert extraction.template == "winter-2025"  # from the keywords
    assert _places(extraction) == EXPECTED


def _places(extraction) -> dict:
    found: dict = {}
    for finding in extraction.findings:
        found.setdefault((finding.domain, finding.section), []).append(finding.text)
    return found


def _without_part(blob: bytes, name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "_rels/.rels":  # and the package's link to it
                data = re.sub(rb"<Relationship [^>]*" + re.escape(name.encode()) + rb"\"/>", b"", data)
            if item.filename != name:
                target.writestr(item, data)
    return out.getvalue()


def test_text_added_under_a_domain_is_its_general_finding_and_guidance_never_is(world, tmp_path):
    blob = _filled(world.review, world.orgs["ashby"], answers={}, examples=[])
    document = Document(io.BytesIO(blob))
    people = next(p for p in document.paragraphs if p.text == "People")
    note = people.insert_paragraph_before("")  # before the People heading: end of the previous domain
    people._p.addnext(note._p)  # …moved straight under the People heading, outside any box
    note.text = "Our staff survey ran in both waves."
    out = io.BytesIO()
    document.save(out)
    path = tmp_path / "note.docx"
    path.write_bytes(out.getvalue())
    extraction = extract(path, domains=_domains(world))
    assert [(f.domain, f.section, f.text) for f in extraction.findings] == [
        ("people", "general", "Our staff survey ran in both waves.")]


def test_a_template_of_another_review_warns_and_matches_domains_by_name(world, tmp_path):
    lena = world.users["lena"]
    other = review_actions.create_review(title="Spring 2026 review", slug="spring-2026",
                                         framework=world.framework, region=world.orgs["region"],
                                         by=lena)
    path = tmp_path / "winter-template.docx"
    path.write_bytes(_filled(world.review, world.orgs["ashby"]))
    result = import_document(review=other, path=path, by=lena)
    assert [p.message for p in result.problems] == [
        "this Word template was made for another review ('winter-2025'), not Spring 2026 "
        "review; its answers were matched to this review's domains by their names"]
    assert _by_place(Finding.objects.filter(source_document=result.document)) == EXPECTED


def test_a_domain_the_review_does_not_have_is_kept_without_one_and_said(world, tmp_path):
    path = tmp_path / "t.docx"
    path.write_bytes(_filled(world.review, world.orgs["ashby"]))
    domains = [(k, n) for k, n in _domains(world) if k != "people"]
    extraction = tpl.read(path, Extraction(file="t.docx", format="docx"), DomainMatcher(domains),
                          tpl.identity(path))
    assert [f.text for f in extraction.findings if f.domain is None] == [
        "Rest rooms opened on every ward.", "Daily wellbeing check-ins", "Flexible rotas for carers"]
    assert [str(p) for p in extraction.problems] == [
        "t.docx, heading 'People': the template's domain 'People' is not in this review's "
        "framework; its answers were imported without a domain",
        "t.docx, best-practice table › row 3: 'people' is not one of this review's domains; "
        "the example was kept without one"]


def test_an_ordinary_word_document_is_not_taken_for_a_template(tmp_path):
    document = Document()
    document.add_heading("Governance", level=1)
    document.add_paragraph("Submission template: the board met weekly.")
    document.core_properties.keywords = "stocktake, template"
    path = tmp_path / "plain.docx"
    document.save(path)
    assert tpl.identity(path) is None
    assert extract(path).template == ""


# -- re-saved by LibreOffice ------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install "
                           "libreoffice-writer-nogui")
def test_re_saved_by_libreoffice_it_imports_the_same(world, tmp_path):
    source = tmp_path / "filled.docx"
    source.write_bytes(_filled(world.review, world.orgs["ashby"]))
    out = tmp_path / "resaved"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "docx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180)
    resaved = out / "filled.docx"
    assert resaved.read_bytes() != source.read_bytes()
    with zipfile.ZipFile(resaved) as archive:  # really LibreOffice's file
        assert b"LibreOffice" in archive.read("docProps/app.xml")
    result = import_document(review=world.review, path=resaved, by=world.users["lena"])
    assert result.ok and result.problems == [] and (result.findings, result.examples) == (9, 3)
    findings = Finding.objects.filter(source_document=result.document).order_by("id")
    assert _by_place(findings) == EXPECTED
    assert {f.organisation for f in findings} == {world.orgs["ashby"]}
    assert {(e.title, e.domain.key, e.organisation.short_name)
            for e in Example.objects.filter(source_document=result.document)} == {
        ("Hospital at home", "clinical-quality", "AGH"), ("Shared volunteer rota", "people", "BCS"),
        ("A joint leadership cell met at eight each morning", "leadership-culture", "AGH")}


def test_fillers_and_stray_guidance_are_not_answers_but_tracked_insertions_are(world, tmp_path):
    """"N/A" in a box, guidance pasted back without its style: nothing. Text typed with
    Track Changes on sits in ``w:ins``, which python-docx's ``Paragraph.text`` leaves out."""
    from docx.oxml import parse_xml

    blob = _filled(world.review, world.orgs["ashby"], examples=[], answers={
        "stk_d1_achievements": ["N/A"],
        "stk_d1_challenges": ["What was hard, and why. One point per paragraph or bullet."],
        "stk_d3_learning": ["placeholder"],
    })
    document = Document(io.BytesIO(blob))
    box = next(p for p in document.paragraphs if p.text == "placeholder")
    for run in box.runs:
        run._r.getparent().remove(run._r)
    box._p.append(parse_xml(
        f'<w:ins xmlns:w="{W[1:-1]}" w:id="9" w:author="Contributor" w:date="2026-03-02T10:00:00Z">'
        "<w:r><w:t>Supplies were pooled across three sites.</w:t></w:r></w:ins>"))
    path = tmp_path / "tracked.docx"
    document.save(path)
    extraction = extract(path, domains=_domains(world))
    assert [(f.domain, f.section, f.text) for f in extraction.findings] == [
        ("support-processes", "learning", "Supplies were pooled across three sites.")]


def test_an_example_written_in_a_box_is_split_at_its_colon_or_titled_by_its_first_sentence():
    assert tpl.example_parts("Virtual ward: patients were treated at home.") == (
        "Virtual ward", "patients were treated at home.")
    text = "Patients were treated at home. Twelve beds were freed."
    assert tpl.example_parts(text) == ("Patients were treated at home", text)
    long = "A " + "very " * 40 + "long example"
    title, synopsis = tpl.example_parts(long)
    assert len(title) <= 121 and title.endswith("very…") and synopsis == long
