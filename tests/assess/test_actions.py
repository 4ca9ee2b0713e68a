import pytest

from stocktake.analysis.framework import FrameworkSpec, ItemSpec
from stocktake.assess import actions
from stocktake.assess.models import AnalysisRun, Code, CodeOrigin
from stocktake.collect.actions import NewFinding, add_findings, set_polarity
from stocktake.collect.models import Finding, Origin
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.reviews.actions import create_framework


def themes(world):
    return {t.key: t for t in world.framework.themes.all()}


def other_framework_theme(world):
    """A theme called "technology" from a framework the review does not use."""
    spec = FrameworkSpec(name="Other", key="other",
                         themes=(ItemSpec(key="technology", name="Tech"),))
    return create_framework(spec=spec, by=world.users["ada"]).themes.get()


def test_analysis_codes_every_finding_and_leaves_human_decisions_alone(world):
    ravi = world.users["ravi"]
    video, rest, data_requests = world.findings["ashby"]
    draft = world.findings["bracken"][0]
    extra = add_findings(submission=world.submissions["bracken"], by=world.users["colin"],
                         findings=[NewFinding("Outreach clinics reached homeless people and "
                                              "ethnic minority communities with low vaccine "
                                              "uptake.")])[0]
    assert extra.domain is None and extra.polarity_origin == Origin.MACHINE
    t = themes(world)
    # A reviewer's decisions: one confirmation, one rejection, one polarity.
    confirmed = actions.confirm_code(finding=rest, theme=t["staff-wellbeing"], by=ravi)
    rejected = actions.confirm_code(finding=video, theme=t["technology"], by=ravi,
                                    applies=False)
    set_polarity(finding=extra, polarity="mixed", by=ravi)
    seen = []

    run = actions.analyse_review(review=world.review, by=ravi,
                                 progress=lambda done, total: seen.append((done, total)))

    run.refresh_from_db()
    assert run.status == AnalysisRun.Status.DONE and run.finished_at is not None
    assert run.backend == "tfidf" and run.seed == 0 and run.created_by == ravi
    assert run.finding_count == 5 == run.progress
    assert run.parameters["examples"] == 1 and "store_threshold" in run.parameters
    assert seen == [(5, 5)]
    machine = Code.objects.filter(origin=CodeOrigin.MACHINE)
    # Every finding, the draft too (reviewer-level operation), gets a rank-0 suggestion.
    assert set(machine.filter(rank=0).values_list("finding_id", flat=True)) == {
        video.pk, rest.pk, data_requests.pk, draft.pk, extra.pk}
    top = {c.finding_id: c for c in machine.filter(rank=0)}
    assert top[video.pk].theme.key == "technology"
    assert top[data_requests.pk].theme.key == "regional-relationship"
    assert top[extra.pk].theme.key == "inequalities-vulnerable"
    assert top[video.pk].explanation.startswith("matched:")
    assert all(0 <= c.score <= 1 and c.analysis_run_id == run.pk for c in machine)
    # Human codes untouched.
    confirmed_after = Code.objects.get(pk=confirmed.pk)
    assert confirmed_after.origin == CodeOrigin.HUMAN and confirmed_after.applies
    assert Code.objects.get(pk=rejected.pk).applies is False
    # Polarity from the source and from a reviewer stays; domain set only where missing.
    for finding in (video, rest, data_requests, extra):
        finding.refresh_from_db()
    assert (video.polarity, video.polarity_origin) == ("achievement", Origin.SOURCE)
    assert (data_requests.polarity, data_requests.polarity_origin) == ("challenge", Origin.SOURCE)
    assert (extra.polarity, extra.polarity_origin) == ("mixed", Origin.HUMAN)
    assert extra.domain is not None and extra.domain.key == "inequalities"
    assert video.domain.key == "clinical-quality"
    event = AuditEvent.objects.get(verb="analysis.completed")
    assert event.actor == ravi and event.review == world.review
    assert event.details["findings"] == 5 and event.details["codes"] == machine.count()
    assert event.details["domains_set"] == 1 and event.details["examples"] == 1

    # Re-running replaces machine codes, never duplicates them, and keeps human ones.
    before = machine.count()
    run2 = actions.analyse_review(review=world.review, by=ravi, seed=1)
    assert Code.objects.filter(origin=CodeOrigin.MACHINE).count() == before
    assert set(Code.objects.filter(origin=CodeOrigin.MACHINE)
               .values_list("analysis_run_id", flat=True)) == {run2.pk}
    assert Code.objects.filter(origin=CodeOrigin.HUMAN).count() == 2


def test_machine_polarity_is_suggested(world):
    finding = add_findings(submission=world.submissions["bracken"], by=world.users["colin"],
                           findings=[NewFinding("Teams struggled with long delays in discharge.")])[0]
    actions.analyse_review(review=world.review, by=world.users["lena"])
    finding.refresh_from_db()
    assert (finding.polarity, finding.polarity_origin) == ("challenge", Origin.MACHINE)


def test_confirm_and_reject_codes(world):
    ravi = world.users["ravi"]
    finding = world.findings["ashby"][0]
    t = themes(world)
    code = actions.confirm_code(finding=finding, theme=t["technology"], by=ravi)
    assert (code.origin, code.applies, code.confirmed_by) == (CodeOrigin.HUMAN, True, ravi)
    assert code.confirmed_at is not None
    again = actions.confirm_code(finding=finding, theme=t["technology"], by=ravi, applies=False)
    assert again.pk == code.pk and again.applies is False
    verbs = list(AuditEvent.objects.filter(verb__startswith="code.").values_list("verb", flat=True)
                 .order_by("id"))
    assert verbs == ["code.confirmed", "code.rejected"]

    foreign = other_framework_theme(world)
    with pytest.raises(InvalidInput, match="not part of this review's framework"):
        actions.confirm_code(finding=finding, theme=foreign, by=ravi)


def test_unknown_backend_is_invalid_input_and_records_nothing(world):
    with pytest.raises(InvalidInput, match="unknown analysis backend 'nope'"):
        actions.analyse_review(review=world.review, by=world.users["lena"], backend="nope")
    assert not AnalysisRun.objects.exists()


def test_failure_is_recorded(world, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(actions, "_store_chunk", boom)
    with pytest.raises(RuntimeError):
        actions.analyse_review(review=world.review, by=world.users["lena"])
    run = AnalysisRun.objects.get()
    assert run.status == AnalysisRun.Status.FAILED and "disk on fire" in run.message
    assert AuditEvent.objects.filter(verb="analysis.failed").exists()
    assert not Finding.objects.filter(codes__origin=CodeOrigin.MACHINE).exists()


def test_a_finding_that_matches_no_theme_gets_no_suggestion_and_each_code_its_own_reason(world):
    from stocktake.assess.actions import analyse_review
    from stocktake.assess.models import Code, CodeOrigin
    from stocktake.collect import actions as collect_actions
    from stocktake.collect.actions import NewFinding

    submission = world.submissions["ashby"]
    nothing = collect_actions.add_findings(
        submission=submission, by=world.users["lena"], findings=[NewFinding("See appendix B.")]
    )[0]
    analyse_review(review=world.review, by=world.users["lena"])
    assert not Code.objects.filter(finding=nothing, origin=CodeOrigin.MACHINE).exists()
    codes = Code.objects.filter(origin=CodeOrigin.MACHINE).select_related("theme")
    assert codes.exists()
    for code in codes:
        assert code.explanation, f"{code} has no reason"
        assert " | " not in code.explanation  # one theme's reason, not every theme's
