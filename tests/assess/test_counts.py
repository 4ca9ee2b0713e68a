"""The counts in SQL agree with the one rule in Python, whatever sequence of changes came first."""

from __future__ import annotations

import random

import pytest

from stocktake.assess import actions
from stocktake.assess.counts import DashboardCounts, cached_dashboard_counts, dashboard_counts
from stocktake.assess.models import Code, CodeOrigin
from stocktake.assess.themes import counted_themes, findings_with_theme, with_theme, without_theme
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import Finding
from stocktake.reviews.permissions import access_for

VIEWERS = ("lena", "connie", "colin")


def _python(visible, theme_ids):
    rows = list(visible.values("id", "domain_id", "organisation_id", "polarity"))
    codes = Code.objects.filter(finding__in=visible).values(
        "finding_id", "theme_id", "origin", "applies", "rank")
    counted = counted_themes(codes)
    return DashboardCounts.from_rows(rows, counted, theme_ids), counted, {r["id"] for r in rows}


def _check(world):
    themes = list(world.framework.themes.all())
    theme_ids = [t.id for t in themes]
    for name in VIEWERS:
        visible = Finding.objects.visible_to(access_for(world.users[name], world.review))
        expected, counted, ids = _python(visible, theme_ids)
        assert dashboard_counts(visible, theme_ids=theme_ids) == expected, name
        for theme in themes:
            assert set(with_theme(visible, theme.id).values_list("id", flat=True)) == (
                findings_with_theme(counted, theme.id) & ids), (name, theme.key)
        assert set(without_theme(visible).values_list("id", flat=True)) == ids - set(counted)


def _machine_codes(rng, finding, themes):
    """Replace a finding's machine codes as a run does."""
    actions.record_machine_codes(review=finding.review, by=None, codes=[
        actions.MachineCode(finding, theme, rank=rank, score=1.0 / (rank + 1))
        for rank, theme in enumerate(rng.sample(themes, rng.randint(1, 3)))])


def _step(rng, world, themes, domains):
    findings = list(Finding.objects.filter(review=world.review))
    finding, theme = rng.choice(findings), rng.choice(themes)
    kind = rng.choice(["confirm", "confirm", "reject", "machine", "withdraw", "add", "submit"])
    if kind in ("confirm", "reject"):
        actions.confirm_code(finding=finding, theme=theme, by=world.users["ravi"],
                             applies=kind == "confirm")
    elif kind == "machine":
        _machine_codes(rng, finding, themes)
    elif kind == "withdraw" and (decided := list(
            Code.objects.filter(finding=finding, origin=CodeOrigin.HUMAN))):
        actions.withdraw_decision(finding=finding, theme=rng.choice(decided).theme,
                                  by=world.users["ravi"])
    elif kind == "add":
        submission = world.submissions[rng.choice(["ashby", "bracken"])]
        collect_actions.add_findings(submission=submission, by=world.users["lena"], findings=[
            NewFinding(f"Finding {rng.random()}", domain=rng.choice(domains + [None]))])
    elif kind == "submit":
        world.submissions["bracken"].refresh_from_db()
        if world.submissions["bracken"].status == "draft":
            collect_actions.submit_submission(submission=world.submissions["bracken"],
                                              by=world.users["colin"])


@pytest.mark.parametrize("seed", range(4))
def test_counts_in_sql_equal_the_rule_after_any_sequence_of_changes(world, seed):
    rng = random.Random(seed)
    themes = list(world.framework.themes.all())
    domains = list(world.framework.domains.all())
    _check(world)
    if seed % 2:
        actions.analyse_review(review=world.review, by=world.users["ravi"])
        _check(world)
    for _ in range(20):
        _step(rng, world, themes, domains)
        _check(world)


def test_cached_counts_follow_changes_and_never_cross_scopes(world):
    theme_ids = list(world.framework.themes.values_list("id", flat=True))
    lena, colin = (Finding.objects.visible_to(access_for(world.users[n], world.review))
                   for n in ("lena", "colin"))

    def counts(findings):
        return cached_dashboard_counts(findings, review=world.review, theme_ids=theme_ids)

    assert counts(lena) == dashboard_counts(lena, theme_ids=theme_ids)
    assert counts(colin) == dashboard_counts(colin, theme_ids=theme_ids) != counts(lena)
    video = world.findings["ashby"][0]
    actions.confirm_code(finding=video, theme=world.framework.themes.first(),
                         by=world.users["ravi"])
    assert counts(lena) == dashboard_counts(lena, theme_ids=theme_ids)
    assert sum(counts(lena).theme_domain.values()) == 1
    rest = world.findings["ashby"][1]
    actions.confirm_code(finding=rest, theme=world.framework.themes.last(),
                         by=world.users["ravi"])
    assert sum(counts(lena).theme_domain.values()) == 2
    actions.withdraw_decision(finding=rest, theme=world.framework.themes.last(),
                              by=world.users["ravi"])
    assert counts(lena) == dashboard_counts(lena, theme_ids=theme_ids)
    assert sum(counts(lena).theme_domain.values()) == 1
