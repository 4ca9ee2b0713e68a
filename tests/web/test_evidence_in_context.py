"""A finding in its source document; the original downloaded; splitting and merging findings."""

import pytest

from stocktake.assess.actions import confirm_code
from stocktake.assess.models import Code, CodeOrigin
from stocktake.assess.reshape import actions as reshape
from stocktake.collect.actions import correct_finding
from stocktake.collect.models import Finding, PersonalDataFlag
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.report import actions as report_actions
from stocktake.report.importing import import_document
from tests.collect.conftest import SUBMISSIONS

REVIEW = "/reviews/winter-2025/"


@pytest.fixture
def imported(world):
    result = import_document(review=world.review, by=world.users["lena"],
                             path=SUBMISSIONS / "velbrook-teaching-hospitals.docx")
    findings = list(Finding.objects.filter(source_document=result.document)
                    .order_by("position", "id"))
    return world, result.document, findings


def test_the_finding_page_shows_its_neighbours_in_the_document(imported, login):
    world, document, findings = imported
    page = login(world.users["ravi"]).get(f"{REVIEW}findings/{findings[5].pk}/").content.decode()
    assert "In its document" in page and document.original_name in page
    for neighbour in findings[3:5] + findings[6:8]:
        assert f'findings/{neighbour.pk}/"' in page
    assert f'findings/{findings[2].pk}/"' not in page
    assert '<mark aria-current="true">' in page


def test_the_document_page_opens_at_the_finding_and_pages(imported, login, settings):
    world, document, findings = imported
    settings.DEBUG = False
    ravi = login(world.users["ravi"])
    page = ravi.get(f"{REVIEW}documents/{document.pk}/?finding={findings[10].pk}")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'id="finding-{findings[10].pk}" class="stocktake-document__item stocktake-document__item--current"' in html
    assert "heading &#39;Governance&#39;" in html or "heading 'Governance'" in html
    assert html.index(f'id="finding-{findings[0].pk}"') < html.index(f'id="finding-{findings[41].pk}"')
    assert "Download the original" in html
    original = ravi.get(f"{REVIEW}documents/{document.pk}/original/")
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == (
        SUBMISSIONS / "velbrook-teaching-hospitals.docx").read_bytes()
    original.close()


@pytest.mark.parametrize(("persona", "page", "original"), [
    ("lena", 200, 200), ("ravi", 200, 200), ("vera", 404, 403), ("sam", 404, 404)])
def test_who_sees_a_document_and_its_original(imported, login, persona, page, original):
    world, document, _findings = imported
    client = login(world.users[persona])
    assert client.get(f"{REVIEW}documents/{document.pk}/").status_code == page
    response = client.get(f"{REVIEW}documents/{document.pk}/original/")
    response.close()  # a file response holds the original open until closed
    assert response.status_code == original


def test_split_keeps_decisions_on_the_first_part_and_moves_flags(world):
    lena = world.users["lena"]
    finding = world.findings["ashby"][0]
    text = "First statement here. Call 07700 900123 about the second."
    finding = correct_finding(finding=finding, text=text, by=lena)
    tech = world.framework.themes.get(key="technology")
    confirm_code(finding=finding, theme=tech, by=lena)
    flag = PersonalDataFlag.objects.filter(finding=finding).first()
    new = reshape.split_finding(finding=finding, first="First statement here.",
                                second="Call 07700 900123 about the second.", by=lena)
    finding.refresh_from_db()
    assert finding.text == "First statement here." and new.text.startswith("Call")
    assert Code.objects.filter(finding=finding, origin=CodeOrigin.HUMAN).count() == 1
    assert not Code.objects.filter(finding=new).exists()
    if flag is not None:  # the phone number's flag moved with its text
        flag.refresh_from_db()
        assert flag.finding_id == new.pk
        assert new.text[flag.start:flag.end] == "07700 900123"
    assert AuditEvent.objects.filter(verb="finding.split").exists()
    with pytest.raises(InvalidInput, match="together be the finding"):
        reshape.split_finding(finding=new, first="Call", second="somebody else", by=lena)


def test_merge_joins_text_moves_links_and_refuses_across_submissions(world):
    lena = world.users["lena"]
    first, second, _third = world.findings["ashby"]
    tech = world.framework.themes.get(key="technology")
    wellbeing = world.framework.themes.get(key="staff-wellbeing")
    confirm_code(finding=second, theme=wellbeing, by=lena)
    confirm_code(finding=second, theme=tech, by=lena, applies=False)
    confirm_code(finding=first, theme=tech, by=lena)
    recommendation = report_actions.create_recommendation(
        review=world.review, text="Keep rest hubs.", by=lena, findings=[second])
    kept = reshape.merge_findings(keep=first, absorb=second, by=lena)
    assert kept.text.endswith("open around the clock.")
    assert not Finding.objects.filter(pk=second.pk).exists()
    decisions = dict(Code.objects.filter(finding=kept, origin=CodeOrigin.HUMAN)
                     .values_list("theme__key", "applies"))
    assert decisions == {"technology": True, "staff-wellbeing": True}  # keep's decision stands
    assert list(recommendation.findings.all()) == [kept]
    other = world.findings["bracken"][0]
    with pytest.raises(InvalidInput, match="same submission"):
        reshape.merge_findings(keep=kept, absorb=other, by=lena)


def test_every_relation_to_a_finding_has_a_merge_rule():
    assert reshape.unhandled() == []


def test_split_and_merge_pages(imported, login):
    world, _document, findings = imported
    ravi = login(world.users["ravi"])
    target = findings[1]
    form = ravi.get(f"{REVIEW}findings/{target.pk}/split/")
    assert form.status_code == 200 and "Split this finding in two" in form.content.decode()
    words = target.text.split(" ")
    answer = ravi.post(f"{REVIEW}findings/{target.pk}/split/",
                       {"first": " ".join(words[:3]), "second": " ".join(words[3:])})
    assert answer.status_code == 302
    assert Finding.objects.filter(text=" ".join(words[3:])).exists()
    bad = ravi.post(f"{REVIEW}findings/{target.pk}/split/", {"first": "x", "second": "y"})
    assert bad.status_code == 400 and "There is a problem" in bad.content.decode()
    page = ravi.get(f"{REVIEW}findings/{findings[3].pk}/merge/").content.decode()
    assert "Merge with" in page and f'value="{findings[4].pk}"' in page
    answer = ravi.post(f"{REVIEW}findings/{findings[3].pk}/merge/", {"other": findings[4].pk})
    assert answer.status_code == 302
    assert not Finding.objects.filter(pk=findings[4].pk).exists()
    assert ravi.post(f"{REVIEW}findings/{findings[3].pk}/merge/", {}).status_code == 400
    vera = login(world.users["vera"])
    assert vera.get(f"{REVIEW}findings/{findings[3].pk}/split/").status_code in (403, 404)
