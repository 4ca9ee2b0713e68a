"""The team conversation pack: the facilitator guide holds the framework's questions; the notes
template, filled in and re-saved by Word or LibreOffice, reads back as the team's findings —
on the Staff learning page and through the ordinary upload too."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from docx import Document

from stocktake.collect import conversation_pack
from stocktake.collect.importers.template import TEAM_NOTES
from stocktake.collect.models import Finding
from stocktake.track.importing import import_document
from tests.track.test_questionnaires import filled_notes

NOTES = {("people", "challenges"): ["Sickness absence was never backfilled."],
         ("governance", "keep"): ["Keep the weekly debrief.", "Keep the shared rota."]}


def test_the_guide_asks_every_prompt_in_every_domain_with_timings(world):
    document = Document(io.BytesIO(conversation_pack.guide_docx(world.review)))
    text = [p.text for p in document.paragraphs]
    domains = list(world.review.framework.domains.order_by("position"))
    assert text[0] == f"Team conversation guide: {world.review.title}"
    for domain in domains:
        assert domain.name in text
    questions = [t for t in text if t.startswith("Challenges: ")]
    assert questions == ["Challenges: What was hard, and why?"] * len(domains)
    timings = [row.cells[1].text for row in document.tables[0].rows]
    assert timings[0] == "What happens" and [d.name for d in domains] == timings[2:-2]
    assert document.core_properties.language == "en-GB"


def test_a_notes_template_is_marked_as_notes_and_names_its_team(world, tmp_path):
    data = conversation_pack.notes_template_docx(world.review, organisation=world.orgs["ashby"],
                                                 team="Ward 7", notes=NOTES)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        custom = archive.read("docProps/custom.xml").decode()
    assert "stocktake-kind" in custom and TEAM_NOTES in custom
    path = tmp_path / "notes.docx"
    path.write_bytes(data)
    extraction = conversation_pack.read_notes(world.review, path, name="notes.docx",
                                              max_bytes=10_000_000)
    assert extraction.team == "Ward 7"
    assert [(f.domain, f.section, f.text) for f in extraction.findings] == [
        ("governance", "keep", "Keep the weekly debrief."),
        ("governance", "keep", "Keep the shared rota."),
        ("people", "challenges", "Sickness absence was never backfilled.")]
    assert conversation_pack.notes_filename(world.review, organisation=world.orgs["ashby"],
                                            team="Ward 7") == "winter-2025-agh-ward-7-team-notes.docx"


def test_notes_uploaded_through_the_ordinary_upload_keep_their_team(world, tmp_path):
    path = tmp_path / "ward7.docx"
    path.write_bytes(filled_notes(world, organisation=world.orgs["ashby"]))
    result = import_document(review=world.review, path=path, by=world.users["ravi"])
    finding = Finding.objects.get(source_document=result.document)
    assert finding.organisation == world.orgs["ashby"]
    assert finding.source_location.startswith("team 'Ward 7' › heading 'Governance'")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed: apt-get install "
                           "libreoffice-writer-nogui")
def test_re_saved_by_libreoffice_the_notes_read_the_same(world, tmp_path):
    source = tmp_path / "notes.docx"
    source.write_bytes(conversation_pack.notes_template_docx(
        world.review, organisation=world.orgs["ashby"], team="Ward 7", notes=NOTES))
    out = tmp_path / "resaved"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "docx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180)
    resaved = out / "notes.docx"
    with zipfile.ZipFile(resaved) as archive:
        assert b"LibreOffice" in archive.read("docProps/app.xml")
    extraction = conversation_pack.read_notes(world.review, resaved, name="notes.docx",
                                              max_bytes=10_000_000)
    assert extraction.team == "Ward 7" and len(extraction.findings) == 3
    assert {f.organisation for f in extraction.findings} == {world.orgs["ashby"].name}
