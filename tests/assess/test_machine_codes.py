"""Machine suggestions recorded as a finished run (from another tool, or for a test)."""

from __future__ import annotations

import pytest

from stocktake.analysis.framework import FrameworkSpec, ItemSpec
from stocktake.assess.actions import MachineCode, confirm_code, record_machine_codes
from stocktake.assess.models import AnalysisRun, Code, CodeOrigin
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.reviews.actions import create_framework, create_review


def themes(world):
    return {t.key: t for t in world.framework.themes.all()}


def test_recorded_codes_form_a_finished_run_and_replace_earlier_suggestions(world):
    t, ravi = themes(world), world.users["ravi"]
    video, rest, _ = world.findings["ashby"]
    first = record_machine_codes(review=world.review, by=ravi, codes=[
        MachineCode(video, t["technology"], 0.8), MachineCode(rest, t["technology"], 0.3)])
    human = confirm_code(finding=video, theme=t["staff-wellbeing"], by=ravi)
    run = record_machine_codes(review=world.review, by=ravi, backend="tfidf", seed=7, codes=[
        MachineCode(video, t["focus-on-place"], 0.6, explanation="mentions: place"),
        MachineCode(video, t["innovation-spread"], 0.4, rank=1)])
    assert (run.status, run.backend, run.seed, run.created_by) == ("done", "tfidf", 7, ravi)
    assert run.finding_count == 1 and run.finished_at is not None and run != first
    machine = Code.objects.filter(origin=CodeOrigin.MACHINE)
    assert sorted(machine.values_list("finding_id", "theme__key", "rank", "analysis_run_id")) == [
        (video.pk, "focus-on-place", 0, run.pk), (video.pk, "innovation-spread", 1, run.pk),
        (rest.pk, "technology", 0, first.pk)]
    assert machine.get(theme__key="focus-on-place").explanation == "mentions: place"
    assert Code.objects.get(origin=CodeOrigin.HUMAN) == human
    event = AuditEvent.objects.filter(verb="analysis.recorded").first()
    assert event.actor == ravi and event.details == {
        "backend": "tfidf", "seed": 7, "findings": 1, "codes": 2}


def test_bad_suggestions_are_refused_and_nothing_is_stored(world):
    t = themes(world)
    video = world.findings["ashby"][0]
    other = create_review(title="Other", slug="other", framework=world.framework, by=None)
    foreign = create_framework(spec=FrameworkSpec(
        name="Other", key="other", themes=(ItemSpec(key="t", name="T"),)), by=None).themes.get()
    cases = [
        ([MachineCode(video, foreign, 0.5)], "not part of this review's framework"),
        ([MachineCode(video, t["technology"], 1.5)], "between 0 and 1"),
        ([MachineCode(video, t["technology"], 0.5, rank=-1)], "whole number of 0 or more"),
        ([MachineCode(video, t["technology"], 0.5)] * 2, "names theme 'technology' twice"),
    ]
    for codes, message in cases:
        with pytest.raises(InvalidInput, match=message):
            record_machine_codes(review=world.review, codes=codes, by=None)
    with pytest.raises(InvalidInput, match="is not part of other"):
        record_machine_codes(review=other, codes=[MachineCode(video, t["technology"], 0.5)],
                             by=None)
    with pytest.raises(InvalidInput, match="backend must be a name"):
        record_machine_codes(review=world.review, codes=[], backend=" ", by=None)
    assert not Code.objects.exists() and not AnalysisRun.objects.exists()
