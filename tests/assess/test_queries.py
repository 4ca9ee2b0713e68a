from stocktake.assess import actions
from stocktake.assess.models import ReviewPriority
from stocktake.assess.queries import confirmed_examples, next_to_review
from stocktake.collect.actions import NewFinding, add_findings
from stocktake.collect.models import Finding
from stocktake.reviews.permissions import access_for


def _visible(world, name):
    return Finding.objects.visible_to(access_for(world.users[name], world.review))


def test_next_to_review_reads_the_order_stored_by_the_analysis(world):
    lena = world.users["lena"]
    actions.analyse_review(review=world.review, by=lena)
    stored = list(ReviewPriority.objects.filter(review=world.review)
                  .order_by("position").values_list("finding_id", "uncertainty"))
    assert len(stored) == Finding.objects.filter(review=world.review).count()
    assert [u for _, u in stored] == sorted((u for _, u in stored), reverse=True)

    visible = _visible(world, "lena")  # submitted findings only: the draft is not shown
    picked = next_to_review(review=world.review, findings=visible, limit=10)
    assert [f.pk for f in picked] == [pk for pk, _ in stored if visible.filter(pk=pk).exists()]
    assert next_to_review(review=world.review, findings=visible, limit=0) == []


def test_next_to_review_is_scoped_first_and_drops_decided_findings(world):
    ravi = world.users["ravi"]
    video, rest, data_requests = world.findings["ashby"]
    actions.analyse_review(review=world.review, by=ravi)
    theme = world.framework.themes.get(key="staff-wellbeing")
    actions.confirm_code(finding=rest, theme=theme, by=ravi, applies=False)
    assert not ReviewPriority.objects.filter(finding=rest).exists()

    # colin sees only his own draft, which the whole-review list also ranks
    assert next_to_review(review=world.review, findings=_visible(world, "colin"), limit=5) == world.findings["bracken"]
    picked = next_to_review(review=world.review, findings=_visible(world, "ravi"), limit=5)
    assert set(picked) == {video, data_requests}

    # a finding added since the run follows the ranked ones until the next run
    new, = add_findings(submission=world.submissions["bracken"], by=world.users["colin"],
                        findings=[NewFinding("Volunteers joined the vaccination teams.")])
    assert next_to_review(review=world.review, findings=_visible(world, "colin"), limit=5)[-1] == new
    actions.analyse_review(review=world.review, by=ravi)
    assert ReviewPriority.objects.filter(finding=new).exists()
    assert not ReviewPriority.objects.filter(finding=rest).exists()  # still decided


def test_confirmed_examples_are_the_confirmed_human_codes(world):
    ravi = world.users["ravi"]
    rest = world.findings["ashby"][1]
    theme = world.framework.themes.get(key="staff-wellbeing")
    actions.confirm_code(finding=rest, theme=theme, by=ravi)
    assert confirmed_examples(world.review) == [(rest.text, "staff-wellbeing",
                                                 rest.domain.key if rest.domain else None)]
