"""Personal data on the pages: leads see flagged items and decide; nobody else, nor the report
or the exports, sees an undecided item as written (after publication too)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import PersonalDataFlag
from stocktake.core.models import AuditEvent
from stocktake.report import actions as report_actions
from stocktake.report.export import export_findings_jsonl, export_review
from stocktake.report.render.html import render_report_html
from stocktake.reviews import actions as review_actions
from tests.web.crawl import crawl

REVIEW = "/reviews/winter-2025/"
NHS = "943 476 5919"
TEXT = (f"Mrs Edith Barnes (NHS number {NHS}) waited nine hours; her daughter emailed "
        "edith.barnes@example.org from LS1 4AP.")
SECRETS = ("Edith Barnes", NHS, "edith.barnes@example.org", "LS1 4AP")


@pytest.fixture
def flagged(world):
    finding = collect_actions.add_findings(
        submission=world.submissions["ashby"], by=world.users["connie"],
        findings=[NewFinding(TEXT, domain=world.framework.domains.first())])[0]
    example = collect_actions.add_example(
        review=world.review, title="Call-back clinic", by=world.users["lena"],
        organisation=world.orgs["ashby"], synopsis="Ring Dr Priya Shah on 0113 496 0000.")
    return finding, example


def publish(world):
    lena, review = world.users["lena"], world.review
    for status in ["assessing", "reporting"]:
        review = review_actions.change_review_status(review=review, status=status, by=lena)
    return report_actions.publish_report(review=review, by=lena, reason="Testing")


def test_the_lead_sees_each_item_with_redact_and_keep(world, login, flagged):
    finding, _ = flagged
    html = login(world.users["lena"]).get(f"{REVIEW}findings/{finding.id}/").content.decode()
    assert TEXT in html and 'id="personal-data"' in html
    for label in ("Name", "NHS number", "Email address", "Postcode"):
        assert f"<td class=\"nhsuk-table__cell\">{label}</td>" in html
    assert html.count('value="redact"') == 5  # one per item and "Redact all 4 items"
    assert html.count('value="keep"') == 4


@pytest.mark.parametrize("name", ["ravi", "connie", "owen", "vera"])
def test_after_publication_no_one_but_leads_sees_undecided_items(world, login, flagged, name):
    finding, _ = flagged
    publish(world)
    result = crawl(login(world.users[name]), ["/", REVIEW, f"{REVIEW}findings/{finding.id}/",
                                              f"{REVIEW}examples/", f"{REVIEW}findings/?q=waited"])
    assert "[NHS number]" in result.text
    for secret in SECRETS + ("Priya Shah", "0113 496 0000"):
        assert secret not in result.text, (name, secret)
    assert 'id="personal-data"' not in result.text
    assert login(world.users[name]).get(f"{REVIEW}personal-data/").status_code == 403


def test_redacting_on_the_finding_page(world, login, flagged):
    finding, _ = flagged
    client = login(world.users["lena"])
    nhs = PersonalDataFlag.objects.get(finding=finding, kind="nhs_number")
    response = client.post(f"{REVIEW}personal-data/decide/", {
        "decision": "redact", "subject": "finding", "subject_id": finding.id, "flag": nhs.id,
        "next": f"{REVIEW}findings/{finding.id}/"})
    assert response.status_code == 302
    assert response["Location"] == f"{REVIEW}findings/{finding.id}/#personal-data"
    finding.refresh_from_db()
    assert NHS not in finding.text and "[NHS number]" in finding.text
    html = client.get(response["Location"]).content.decode()
    assert "Redacted 1 item of personal data." in html
    assert "Edith Barnes" in html  # still undecided: the lead still sees it


def test_decisions_are_for_leads_only(world, login, flagged):
    finding, _ = flagged
    nhs = PersonalDataFlag.objects.get(finding=finding, kind="nhs_number")
    response = login(world.users["ravi"]).post(f"{REVIEW}personal-data/decide/", {
        "decision": "redact", "subject": "finding", "subject_id": finding.id, "flag": nhs.id})
    assert response.status_code == 403
    nhs.refresh_from_db()
    assert nhs.status == "flagged"


def test_a_bad_decision_gets_one_clear_message(world, login, flagged):
    client = login(world.users["lena"])
    response = client.post(f"{REVIEW}personal-data/decide/", {"decision": "shred"}, follow=True)
    assert "Choose Redact or Keep" in response.content.decode()


def test_the_personal_data_page_and_redact_all(world, login, flagged):
    client = login(world.users["lena"])
    dashboard = client.get(REVIEW).content.decode()
    assert "6 possible items not decided" in dashboard
    html = client.get(f"{REVIEW}personal-data/").content.decode()
    assert "Edith Barnes" in html and "Priya Shah" in html
    assert "Redact all 6 undecided items" in html
    client.post(f"{REVIEW}personal-data/redact-all/")
    html = client.get(f"{REVIEW}personal-data/").content.decode()
    assert "Nothing is waiting for a decision." in html
    assert AuditEvent.objects.get(verb="personal_data.redacted_all").details["count"] == 6


def test_report_and_exports_replace_undecided_items_and_show_kept_ones(world, flagged):
    finding, example = flagged
    phone = PersonalDataFlag.objects.get(example=example, kind="uk_phone")
    collect_actions.keep_personal_data(example=example, flags=[phone.pk], by=world.users["lena"])
    html = render_report_html(world.review)
    data = export_review(world.review)
    lines = io.StringIO()
    export_findings_jsonl(world.review, lines)
    for output in (html, str(data), lines.getvalue()):
        for secret in SECRETS + ("Priya Shah",):
            assert secret not in output
    exported = next(f for f in data["findings"] if f["id"] == finding.id)
    assert exported["text"] == ("Mrs [name] (NHS number [NHS number]) waited nine hours; her "
                                "daughter emailed [email address] from [postcode].")
    assert next(e for e in data["examples"] if e["id"] == example.id)["synopsis"] == (
        "Ring Dr [name] on 0113 496 0000.")


def test_the_upload_preview_tags_personal_data_and_the_import_flags_it(world, login):
    client = login(world.users["lena"])
    text = (f"Submission from Ashby General Hospital NHS Foundation Trust\n\nPeople\n\n"
            f"- Staff rest hubs stayed open all winter.\n- Patient NHS number {NHS} was faxed to "
            f"the wrong ward.\n").encode()
    preview_url = client.post(f"{REVIEW}upload/", {"files": [
        SimpleUploadedFile("notes.md", text)]})["Location"]
    html = client.get(preview_url).content.decode()
    assert "Possible personal data: 1 item" in html and "Possible NHS number" in html
    client.post(preview_url + "confirm/", {"file": ["1"]})
    flag = PersonalDataFlag.objects.get(finding__source_document__original_name="notes.md")
    assert flag.kind == "nhs_number" and flag.status == "flagged"
    event = AuditEvent.objects.get(verb="personal_data.flagged",
                                   subject_type="collect.submission")
    assert event.details == {"count": 1, "kinds": {"nhs_number": 1}}


@pytest.mark.parametrize("name, sees", [("vera", False), ("ravi", False), ("connie", False),
                                        ("colin", True), ("lena", True)])
def test_the_submitted_web_form_hides_personal_data_from_all_but_its_writers_and_leads(
        world, login, name, sees):
    participant = world.submissions["bracken"].participant
    domain = world.review.framework.domains.first()
    if world.review.status != "collecting":
        review_actions.change_review_status(review=world.review, status="collecting",
                                            by=world.users["lena"])
    draft = collect_actions.save_draft(participant=participant, by=world.users["colin"],
                                       texts={(domain, "challenges"): TEXT})
    collect_actions.submit_form(submission=draft, by=world.users["colin"])
    world.review.refresh_from_db()
    publish(world)
    html = login(world.users[name]).get(
        f"{REVIEW}participants/{participant.pk}/submission/").content.decode()
    assert "waited nine hours" in html
    for secret in SECRETS:
        assert (secret in html) == sees, (name, secret)
