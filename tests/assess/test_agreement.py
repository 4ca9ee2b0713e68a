"""Double-coding exercises: sampling, blind coding, results, disagreements and reconciling."""

import pytest
from sklearn.metrics import cohen_kappa_score

from stocktake.assess.agreement import actions, queries
from stocktake.assess.models import Code, CodeOrigin
from stocktake.core.errors import InvalidInput, NotAllowed
from stocktake.core.models import AuditEvent


def themes(world):
    return {t.key: t for t in world.framework.themes.all()}


def start(world, size=3, seed=7):
    u = world.users
    return actions.start_exercise(review=world.review, title="Spring sample", coders=[u["lena"], u["ravi"]],
                                  size=size, seed=seed, by=u["lena"])


def test_sample_is_submitted_findings_drawn_by_seed(world):
    exercise = start(world, size=2, seed=3)
    again = start(world, size=2, seed=3)
    sample = list(exercise.items.values_list("finding_id", flat=True))
    assert sample == list(again.items.values_list("finding_id", flat=True))
    submitted = {f.pk for f in world.findings["ashby"]}
    assert set(sample) <= submitted  # never a draft
    assert [c.user.username for c in exercise.coders.all()] == ["lena", "ravi"]


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"size": 0}, "between 1 and"),
    ({"size": 4}, "larger than the review's 3 submitted findings"),
    ({"title": "  "}, "title"),
    ({"coders": ["lena"]}, "at least two coders"),
    ({"coders": ["lena", "connie"]}, "connie cannot code findings"),
])
def test_start_refuses_bad_input(world, kwargs, message):
    u = world.users
    args = {"title": "Sample", "size": 2, "seed": 1, "coders": ["lena", "ravi"]} | kwargs
    args["coders"] = [u[name] for name in args["coders"]]
    with pytest.raises(InvalidInput, match=message):
        actions.start_exercise(review=world.review, by=u["lena"], **args)


def test_only_leads_start_and_only_coders_code(world):
    u = world.users
    with pytest.raises(NotAllowed):
        actions.start_exercise(review=world.review, title="x", coders=[u["lena"], u["ravi"]],
                               size=1, seed=0, by=u["ravi"])
    exercise = start(world)
    item = exercise.items.first()
    with pytest.raises(NotAllowed):
        actions.record_judgement(item=item, themes=[], by=u["connie"])


def test_results_and_disagreements_match_a_reference(world):
    u, t = world.users, themes(world)
    exercise = start(world)
    items = list(exercise.items.all())
    lena = [{"technology"}, {"staff-wellbeing"}, {"regional-relationship"}]
    ravi = [{"technology"}, {"staff-wellbeing", "technology"}, set()]
    for item, a, b in zip(items, lena, ravi, strict=True):
        actions.record_judgement(item=item, themes=[t[k] for k in a], by=u["lena"])
        actions.record_judgement(item=item, themes=[t[k] for k in b], by=u["ravi"])
    result = queries.results(exercise)
    assert result.complete == 3 and result.coders == 2
    by_key = {r.key: r.agreement for r in result.themes}
    assert by_key["technology"].percent == pytest.approx(2 / 3)
    assert by_key["technology"].kappa == pytest.approx(cohen_kappa_score([1, 0, 0], [1, 1, 0]))
    keys = [r.key for r in result.themes]
    first = [int(k in s) for k in keys for s in lena]
    second = [int(k in s) for k in keys for s in ravi]
    assert result.overall.kappa == pytest.approx(cohen_kappa_score(first, second))
    assert result.overall.units == 3 * len(keys)
    assert [d.item.pk for d in queries.disagreements(exercise)] == [items[1].pk, items[2].pk]
    events = AuditEvent.objects.filter(verb="agreement.coded")
    assert events.count() == 6
    assert all("text" not in e.details for e in events)


def test_coding_again_replaces_and_incomplete_items_are_not_compared(world):
    u, t = world.users, themes(world)
    exercise = start(world)
    item = exercise.items.first()
    actions.record_judgement(item=item, themes=[t["technology"]], by=u["lena"])
    actions.record_judgement(item=item, themes=[t["staff-wellbeing"]], by=u["lena"])
    coder = exercise.coders.get(user=u["lena"])
    assert [th.key for th in queries.judgement_of(item, coder).themes.all()] == ["staff-wellbeing"]
    assert queries.results(exercise).complete == 0
    assert queries.next_item(exercise, coder).pk != item.pk
    assert [p.done for p in queries.progress(exercise)] == [1, 0]


def test_closed_exercise_refuses_coding_until_reopened(world):
    u = world.users
    exercise = start(world)
    actions.close_exercise(exercise=exercise, by=u["lena"])
    with pytest.raises(InvalidInput, match="closed"):
        actions.record_judgement(item=exercise.items.first(), themes=[], by=u["ravi"])
    actions.reopen_exercise(exercise=exercise, by=u["lena"])
    actions.record_judgement(item=exercise.items.first(), themes=[], by=u["ravi"])


def test_reconcile_makes_reviewer_decisions(world):
    u, t = world.users, themes(world)
    exercise = start(world)
    item = exercise.items.first()
    actions.record_judgement(item=item, themes=[t["technology"]], by=u["lena"])
    actions.record_judgement(item=item, themes=[t["staff-wellbeing"]], by=u["ravi"])
    actions.reconcile(item=item, themes=[t["staff-wellbeing"]], by=u["ravi"])
    human = dict(Code.objects.filter(finding=item.finding, origin=CodeOrigin.HUMAN)
                 .values_list("theme__key", "applies"))
    assert human == {"staff-wellbeing": True, "technology": False}
    # reconciling again is the last word: an earlier yes becomes a no
    actions.reconcile(item=item, themes=[t["technology"]], by=u["lena"])
    human = dict(Code.objects.filter(finding=item.finding, origin=CodeOrigin.HUMAN)
                 .values_list("theme__key", "applies"))
    assert human == {"staff-wellbeing": False, "technology": True}
    item.refresh_from_db()
    assert item.reconciled_by == u["lena"]
    with pytest.raises(NotAllowed):
        actions.reconcile(item=item, themes=[], by=u["connie"])
