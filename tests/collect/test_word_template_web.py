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


# -- a contributor uploads it back into their own form ------------------------------------------


def _bracken_form(world) -> str:
    participant = Participant.objects.get(review=world.review, organisation=world.orgs["bracken"])
    return f"{REVIEW}participants/{participant.pk}/submission/"


def test_a_contributor_uploads_the_template_into_their_draft_then_submits(world, login):
    client = login(world.users["colin"])
    form_url = _bracken_form(world)
    form = client.get(form_url).content.decode()
    assert f'action="{form_url}template/"' in form and 'enctype="multipart/form-data"' in form
    blob = fill(template_docx(world.review, organisation=world.orgs["bracken"]), answers={
        "stk_d4_challenges": ["Two teams shared one rota.", "Cover at weekends was thin."],
        "stk_d5_learning": ["Translated leaflets reached more families."],
        "stk_d4_examples": ["Buddy scheme: new starters paired with a mentor."],
    }, examples=[("Weekend cover pool", "", "A shared pool covered weekend gaps.", "People"),
                 ("Loan scheme", "Ashby General", "Tablets lent to patients.", "")])
    response = client.post(form_url + "template/", {"template": SimpleUploadedFile("mine.docx", blob)})
    assert response.status_code == 302 and response["Location"] == form_url
    page = client.get(form_url).content.decode().replace("&#39;", "'")
    assert "The answers in your Word template are now in the form below" in page
    assert "1 best-practice example with no domain were left out" in page
    assert "Examples of other organisations (Ashby General)" in page
    assert "Two teams shared one rota.\nCover at weekends was thin.</textarea>" in page
    assert ("Buddy scheme: new starters paired with a mentor.\n"  # the box, then the table's row
            "Weekend cover pool: A shared pool covered weekend gaps.</textarea>") in page
    client.post(form_url + "check/")  # check your answers, then submit: as for typed answers
    found = {(f.domain.key, f.section, f.text) for f in Finding.objects.filter(
        organisation=world.orgs["bracken"], source_location__startswith="form ›",
        submission__status="submitted")}
    assert found == {("people", "challenges", "Two teams shared one rota."),
                     ("people", "challenges", "Cover at weekends was thin."),
                     ("inequalities", "learning", "Translated leaflets reached more families."),
                     ("people", "examples", "Buddy scheme: new starters paired with a mentor."),
                     ("people", "examples", "Weekend cover pool: A shared pool covered weekend gaps.")}


def test_a_wrong_file_on_the_form_is_one_clear_error_and_changes_nothing(world, login, tmp_path):
    client = login(world.users["colin"])
    form_url = _bracken_form(world)
    plain = io.BytesIO()
    Document().save(plain)
    cases = [
        ({}, "Select your filled-in Word template"),
        ({"template": SimpleUploadedFile("notes.txt", b"People: fine")},
         "notes.txt: the template is a Word file ending .docx"),
        ({"template": SimpleUploadedFile("other.docx", plain.getvalue())},
         "other.docx: this is not the review's Word template"),
        ({"template": SimpleUploadedFile("blank.docx", template_docx(world.review))},
         "blank.docx: the template has no answers"),
    ]
    for data, message in cases:
        response = client.post(form_url + "template/", data)
        html = response.content.decode().replace("&#39;", "'")
        assert response.status_code == 200 and "There is a problem" in html, message
        assert message in html and 'href="#template-file"' in html
        assert 'aria-describedby="template-file-error"' in html
    assert not world.submissions["bracken"].sections.exists()


def test_a_submitted_form_takes_no_template(world, login):
    client = login(world.users["connie"])  # Ashby's submission was submitted
    participant = Participant.objects.get(review=world.review, organisation=world.orgs["ashby"])
    form_url = f"{REVIEW}participants/{participant.pk}/submission/"
    blob = fill(template_docx(world.review, organisation=world.orgs["ashby"]),
                answers={"stk_d1_learning": ["Late addition."]})
    response = client.post(form_url + "template/", {"template": SimpleUploadedFile("a.docx", blob)})
    assert response.status_code == 302
    assert not Finding.objects.filter(text="Late addition.").exists()
    assert login(world.users["colin"]).post(form_url + "template/").status_code == 404
