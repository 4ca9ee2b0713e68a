"""The coding workspace: the queue, saving a finding's themes, conflicts, bulk accept, undo;
and the finding page refusing a decision made over another reviewer's."""

import re

import pytest

from stocktake.assess.actions import analyse_review, confirm_code
from stocktake.assess.models import Code, CodeOrigin
from stocktake.assess.workspace import actions, queries
from stocktake.collect.models import Finding
from stocktake.core.errors import EditConflict, InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions as review_actions

REVIEW = "/reviews/winter-2025/"
CODING = REVIEW + "coding/"


@pytest.fixture
def analysed(world):
    analyse_review(review=world.review, by=world.users["lena"])
    return world


def human(finding):
    return {c.theme.key: c.applies
            for c in Code.objects.filter(finding=finding, origin=CodeOrigin.HUMAN)}


def shown(html: str) -> dict:
    """The finding in hand and its form's hidden fields."""
    fields = dict(re.findall(r'<input type="hidden" name="(finding|state)" value="([^"]*)"', html))
    suggested = re.findall(r'<input type="hidden" name="suggested" value="([^"]*)"', html)
    ticked = re.findall(r'name="themes" type="checkbox" value="([^"]+)" checked', html)
    return {"finding": int(fields["finding"]), "state": fields["state"], "suggested": suggested,
            "ticked": ticked}


@pytest.mark.parametrize(("persona", "status"), [
    ("lena", 200), ("ravi", 200), ("connie", 403), ("vera", 403), ("sam", 404)])
def test_who_may_open_the_workspace(world, login, persona, status):
    assert login(world.users[persona]).get(CODING).status_code == status


def test_save_and_next_records_ticked_and_rejects_unticked_suggestions(analysed, login):
    world = analysed
    ravi = login(world.users["ravi"])
    html = ravi.get(CODING).content.decode()
    first = shown(html)
    assert first["suggested"] and first["ticked"]  # the top suggestion comes ticked
    assert 'data-shortcut="1"' in html and "Keyboard shortcuts" in html
    keep, drop = first["ticked"][0], [k for k in first["suggested"] if k != first["ticked"][0]]
    answer = ravi.post(CODING + "decide/", {"finding": first["finding"], "state": first["state"],
                                            "themes": [keep], "suggested": first["suggested"],
                                            "polarity": "challenge"})
    assert answer.status_code == 302
    finding = Finding.objects.get(pk=first["finding"])
    assert human(finding) == {keep: True} | {k: False for k in drop}
    assert finding.polarity == "challenge"
    codes = Code.objects.filter(finding=finding, origin=CodeOrigin.HUMAN)
    assert len({c.batch for c in codes}) == 1 and codes[0].confirmed_by == world.users["ravi"]
    following = shown(ravi.get(CODING).content.decode())
    assert following["finding"] != first["finding"]  # decided: out of the queue
    page = ravi.get(CODING).content.decode()
    assert "Your recent decisions" in page and "Undo" in page


def test_a_save_over_another_reviewers_decision_is_shown_not_made(analysed, login, client):
    world = analysed
    ravi = login(world.users["ravi"])
    first = shown(ravi.get(CODING).content.decode())
    finding = Finding.objects.get(pk=first["finding"])
    theme = world.framework.themes.get(key=first["ticked"][0])
    confirm_code(finding=finding, theme=theme, by=world.users["lena"], applies=False)
    answer = ravi.post(CODING + "decide/", {"finding": first["finding"], "state": first["state"],
                                            "themes": first["ticked"],
                                            "suggested": first["suggested"]})
    assert answer.status_code == 409
    html = answer.content.decode()
    assert "Someone else decided on this finding" in html and "Lena Lead" in html
    assert human(finding) == {theme.key: False}  # lena's decision stands
    again = shown(html)  # ravi's ticks are kept, with the state as it is now
    assert again["ticked"] == first["ticked"] and again["state"] != first["state"]
    answer = ravi.post(CODING + "decide/", {"finding": first["finding"], "state": again["state"],
                                            "themes": first["ticked"],
                                            "suggested": first["suggested"]})
    assert answer.status_code == 302 and human(finding)[theme.key] is True


def test_the_finding_page_refuses_a_decision_made_over_another(analysed, login):
    world = analysed
    video = world.findings["ashby"][0]
    theme = world.framework.themes.get(key="technology")
    confirm_code(finding=video, theme=theme, by=world.users["lena"], applies=True)
    ravi = login(world.users["ravi"])
    answer = ravi.post(f"{REVIEW}findings/{video.pk}/coding/",
                       {"theme": "technology", "applies": "no", "seen": "none"})
    assert answer.status_code == 302
    page = ravi.get(answer["Location"]).content.decode()
    assert "Lena Lead decided it applies" in page
    assert human(video) == {"technology": True}
    ravi.post(f"{REVIEW}findings/{video.pk}/coding/",
              {"theme": "technology", "applies": "no", "seen": "yes"})
    assert human(video) == {"technology": False}


def test_bulk_accept_counts_then_accepts_and_undo_takes_it_back(analysed, login):
    world = analysed
    ravi = login(world.users["ravi"])
    preview = ravi.get(CODING + "bulk/?min=0.01").content.decode()
    match = re.search(r"(\d+) suggestions? on (\d+) findings?", preview)
    assert match, preview
    codes, findings = int(match[1]), int(match[2])
    assert ravi.post(CODING + "bulk/", {"min": "0.01"}).status_code == 302
    accepted = Code.objects.filter(origin=CodeOrigin.HUMAN, applies=True)
    assert accepted.count() == codes
    assert accepted.values("finding_id").distinct().count() == findings
    event = AuditEvent.objects.get(verb="code.bulk_accepted")
    assert event.details["codes"] == codes
    page = ravi.get(CODING).content.decode()
    batch = re.search(r'name="batch" value="([0-9a-f]+)"', page)[1]
    assert ravi.post(CODING + "undo/", {"batch": batch}).status_code == 302
    assert not Code.objects.filter(origin=CodeOrigin.HUMAN).exists()


def test_bulk_refuses_a_bad_confidence(analysed, login):
    ravi = login(analysed.users["ravi"])
    answer = ravi.post(CODING + "bulk/", {"min": "2"})
    assert answer.status_code == 400
    assert "Enter a confidence between 0 and 1" in answer.content.decode()
    assert not Code.objects.filter(origin=CodeOrigin.HUMAN).exists()


def test_undo_is_only_yours_unless_you_lead(analysed):
    world = analysed
    rita = review_actions.create_user(username="rita", by=world.users["ada"], password="x" * 12)
    review_actions.add_member(review=world.review, member=rita, role="reviewer",
                              by=world.users["ada"])
    video = world.findings["ashby"][0]
    tech = world.framework.themes.get(key="technology")
    batch = actions.save_decisions(finding=video, accepted=[tech], rejected=[],
                                   expected="undecided", by=world.users["ravi"])
    with pytest.raises(InvalidInput):
        actions.undo_batch(review=world.review, batch=batch, by=rita)
    assert actions.undo_batch(review=world.review, batch=batch, by=world.users["lena"]) == 1


def test_save_decisions_checks_state_and_input(analysed):
    world = analysed
    video = world.findings["ashby"][0]
    tech = world.framework.themes.get(key="technology")
    with pytest.raises(InvalidInput):
        actions.save_decisions(finding=video, accepted=[tech], rejected=[tech],
                               expected="undecided", by=world.users["ravi"])
    with pytest.raises(EditConflict):
        actions.save_decisions(finding=video, accepted=[tech], rejected=[],
                               expected="something-else", by=world.users["ravi"])
    assert queries.finding_state(video.pk) == "undecided"
