from stocktake.assess import actions
from stocktake.assess.queries import confirmed_examples, next_to_review
from stocktake.collect.actions import NewFinding, add_findings


def test_next_to_review_skips_decided_findings_and_learns_from_confirmed(world):
    ravi = world.users["ravi"]
    video, rest, data_requests = world.findings["ashby"]
    theme = world.framework.themes.get(key="staff-wellbeing")
    actions.confirm_code(finding=rest, theme=theme, by=ravi)
    add_findings(submission=world.submissions["bracken"], by=world.users["colin"],
                 findings=[NewFinding("Volunteers and students joined the vaccination teams, "
                                      "and staff were offered rest spaces.")])

    picked = next_to_review(review=world.review, limit=3)

    assert len(picked) == 3 and rest not in picked
    assert len(set(picked)) == 3
    assert confirmed_examples(world.review) == [(rest.text, "staff-wellbeing",
                                                 rest.domain.key if rest.domain else None)]
    assert next_to_review(review=world.review, limit=0) == []
