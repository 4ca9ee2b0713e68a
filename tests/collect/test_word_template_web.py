"""The Word template on the web (download, prefilled for a contributor, uploaded back) and the CLI."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from stocktake.collect.importers import template as tpl
from stocktake.collect.models import Finding
from stocktake.collect.word_template import template_docx
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import Participant
from tests.cli.test_cli import assert_one_line_error, run
from tests.collect.template_fill import fill

REVIEW = "/reviews/winter-2025/"
TEMPLATE = REVIEW + "submission-template/"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _about(blob: bytes) -> list[str]:
    document = Document(io.BytesIO(blob))
    return [p.text for p in document.paragraphs if p.style.name == tpl.ANSWER_STYLE][:2]


def test_the_upload_page_links_to_the_template_served_as_an_attachment(world, login):
    client = login(world.users["lena"])
    page = client.get(REVIEW + "upload/").content.decode()
    assert f'<a href="{TEMPLATE}">Download the Word template</a>' in page
    response = client.get(TEMPLATE)
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        'attachment; filename="winter-2025-submission-template.docx"')
    assert _about(response.content) == ["", ""]
    assert Document(io.BytesIO(response.content)).core_properties.keywords.endswith("review=winter-2025")


def test_a_contributor_downloads_it_prefilled_with_their_organisation(world, login):
    ashby = Participant.objects.get(review=world.review, organisation=world.orgs["ashby"])
    bracken = Participant.objects.get(review=world.review, organisation=world.orgs["bracken"])
    client = login(world.users["colin"])  # Brackenford's contributor: a draft, so the form
    form = client.get(f"{REVIEW}participants/{bracken.pk}/submission/").content.decode()
    href = f"{TEMPLATE}?participant={bracken.pk}"
    assert f'<a href="{href}">Download the Word template</a>' in form
    response = client.get(href)
    assert response["Content-Disposition"] == (
        'attachment; filename="winter-2025-bcs-submission-template.docx"')
    assert _about(response.content) == ["Brackenford Community Services NHS Trust",
                                        "Eastmarsh and Deane ICS"]
    # Another organisation's participant, or a made-up one: not found, nothing revealed.
    for other in (f"?participant={ashby.pk}", "?participant=99999", "?participant=x"):
        assert client.get(TEMPLATE + other).status_code == 404
    # A lead may prefill it for any participant; a stranger does not see the review at all.
    assert login(world.users["lena"]).get(TEMPLATE + f"?participant={ashby.pk}").status_code == 200
    assert login(world.users["sam"]).get(TEMPLATE).status_code == 404


def test_a_filled_in_template_uploaded_on_the_web_lands_in_its_domains(world, login):
    blob = fill(template_docx(world.review, organisation=world.orgs["bracken"]), answers={
        "stk_d4_challenges": ["Two teams shared one rota.", "Cover at weekends was thin."],
        "stk_d5_learning": ["Translated leaflets reached more families."],
    }, examples=[("Weekend cover pool", "", "A shared pool covered weekend gaps.", "People")])
    client = login(world.users["lena"])
    preview_url = client.post(REVIEW + "upload/", {"files": [
        SimpleUploadedFile("brackenford.docx", blob)]})["Location"]
    preview = client.get(preview_url).content.decode()
    assert "Ready to import" in preview and "Two teams shared one rota." in preview
    result = client.post(preview_url + "confirm/", {"file": ["1"]}).content.decode()
    assert "Imported brackenford.docx: 3 findings, 1 example" in result
    found = {(f.domain.key, f.section, f.text) for f in Finding.objects.filter(
        source_document__original_name="brackenford.docx", organisation=world.orgs["bracken"])}
    assert found == {("people", "challenges", "Two teams shared one rota."),
                     ("people", "challenges", "Cover at weekends was thin."),
                     ("inequalities", "learning", "Translated leaflets reached more families.")}


def test_the_preview_warns_of_a_template_made_for_another_review(world, login):
    other = review_actions.create_review(title="Spring 2026 review", slug="spring-2026",
                                         framework=world.framework, region=world.orgs["region"],
                                         by=world.users["lena"])
    blob = fill(template_docx(other, organisation=world.orgs["ashby"]),
                answers={"stk_d1_learning": ["Board papers went out a day earlier."]})
    client = login(world.users["lena"])
    preview_url = client.post(REVIEW + "upload/", {"files": [
        SimpleUploadedFile("spring.docx", blob)]})["Location"]
    preview = client.get(preview_url).content.decode()
    assert ("this Word template was made for another review (&#39;spring-2026&#39;), not "
            "Winter 2025 learning review") in preview


@pytest.mark.slow
def test_the_cli_writes_the_template_and_imports_it_filled_in(tmp_path):
    data = str(tmp_path / "data")
    framework = tmp_path / "fw.yaml"
    framework.write_text(
        "name: Winter framework\nkey: winter\n"
        "domains:\n  - {key: flow, name: Patient flow, description: Discharge and admissions}\n"
        "  - {key: staff, name: Workforce, description: People and rotas}\n"
        "themes:\n  - {key: discharge, name: Discharge, description: Getting people home}\n")
    assert run("init", "--data-dir", data).returncode == 0
    assert run("framework", "load", str(framework), "--data-dir", data).returncode == 0
    assert run("review", "create", "--title", "Winter 2026", "--slug", "w26", "--framework",
               "winter", "--closes", "2026-02-27", "--data-dir", data).returncode == 0
    assert_one_line_error(run("review", "template", "w26", "--organisation", "Nowhere Trust",
                              "--data-dir", data), "No organisation called 'Nowhere Trust'")
    made = run("review", "template", "w26", "-o", str(tmp_path / "t.docx"), "--data-dir", data)
    assert made.returncode == 0, made.stderr
    assert "Wrote" in made.stdout and "Winter 2026" in made.stdout
    blob = (tmp_path / "t.docx").read_bytes()
    assert "Submissions close 27 February 2026." in [p.text for p in Document(io.BytesIO(blob)).paragraphs]
    filled = Path(tmp_path / "filled.docx")
    filled.write_bytes(fill(blob, organisation="Gullhaven Hospice", answers={
        "stk_d2_challenges": ["Rotas were set a week late."]}))
    imported = run("import", str(filled), "--review", "w26", "--data-dir", data)
    assert imported.returncode == 0, imported.stderr
    assert "1 finding" in imported.stdout
    exported = json.loads(run("export", "--review", "w26", "--format", "json", "--data-dir",
                              data).stdout)
    assert [(f["text"], f["organisation"], f["domain"], f["section"]) for f in exported["findings"]] == [
        ("Rotas were set a week late.", "Gullhaven Hospice", "staff", "challenges")]
