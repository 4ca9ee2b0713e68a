"""Similar findings: worked out in the background, stored, read through the user's scope,
and worked out again when findings change or go."""

import pytest
from django_tasks_db.models import DBTaskResult

from stocktake.assess.actions import analyse_review
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import SimilarFinding, SimilarityState
from stocktake.collect.similarity import actions
from stocktake.collect.similarity.queries import being_worked_out, similar_findings
from stocktake.core.models import AuditEvent
from stocktake.reviews.models import Participant
from stocktake.reviews.permissions import access_for
from tests.assess.test_tasks import run_queue

VIDEO = "Video consultations replaced clinic follow-ups for most community patients within a month."
HUBS = "Rest hubs with psychological support for staff were open around the clock all winter."


def bracken(world, *texts, submit=True):
    participant = Participant.objects.get(review=world.review, organisation=world.orgs["bracken"])
    submission = collect_actions.create_submission(participant=participant, by=world.users["colin"])
    found = collect_actions.add_findings(
        submission=submission, by=world.users["colin"], findings=[NewFinding(t) for t in texts]
    )
    if submit:
        collect_actions.submit_submission(submission=submission, by=world.users["colin"])
    return found


def compute(world):
    return actions.compute_similar_findings(review_id=world.review.pk, by=None)


def neighbours(finding) -> list[int]:
    return list(
        SimilarFinding.objects.filter(finding=finding)
        .order_by("rank")
        .values_list("neighbour_id", flat=True)
    )


def shown(world, user, finding) -> list[int]:
    return [
        f.pk
        for f, _ in similar_findings(
            access=access_for(world.users[user], world.review), finding=finding
        )
    ]


def test_each_findings_neighbours_are_stored_best_first_from_other_organisations(world):
    video, hubs = bracken(world, VIDEO, HUBS)
    ashby_video, ashby_hubs, _ = world.findings["ashby"]
    assert compute(world) == 6
    assert neighbours(ashby_video)[0] == video.pk
    assert neighbours(ashby_hubs)[0] == hubs.pk
    assert neighbours(video)[0] == ashby_video.pk
    rows = list(SimilarFinding.objects.filter(finding=ashby_video).order_by("rank"))
    assert [r.rank for r in rows] == list(range(len(rows)))
    assert all(0 < r.score <= 1 for r in rows)
    assert rows == sorted(rows, key=lambda r: -r.score)
    organisation = {f.pk: f.organisation_id for f in world.review.findings.all()}
    assert all(
        organisation[r.finding_id] != organisation[r.neighbour_id]
        for r in SimilarFinding.objects.all()
    )  # never its own organisation's
    state = SimilarityState.objects.get(review=world.review)
    assert state.current and state.through == hubs.pk and state.computed_at
    event = AuditEvent.objects.filter(verb="similar_findings.computed").get()
    assert event.review_id == world.review.pk and event.details == {"count": 6}
    assert not being_worked_out(ashby_video)


def test_neighbours_a_user_may_not_see_are_dropped(world):
    (draft,) = bracken(world, VIDEO, submit=False)  # Brackenford's draft
    ashby_video = world.findings["ashby"][0]
    compute(world)
    assert neighbours(ashby_video)[0] == draft.pk  # stored, whoever may see it
    assert draft.pk not in shown(world, "ravi", ashby_video)  # a reviewer: not a draft
    assert draft.pk not in shown(world, "lena", ashby_video)
    assert shown(world, "connie", ashby_video) == []  # a contributor: only Ashby's own
    assert shown(world, "sam", ashby_video) == []  # no role
    collect_actions.submit_submission(submission=draft.submission, by=world.users["colin"])
    assert shown(world, "ravi", ashby_video)[0] == draft.pk  # submitted: no recomputing


def test_a_corrected_finding_loses_its_neighbours_at_once_and_gets_new_ones(world):
    (video,) = bracken(world, VIDEO)
    ashby_video, ashby_hubs, _ = world.findings["ashby"]
    compute(world)
    assert neighbours(ashby_video)[0] == video.pk
    collect_actions.correct_finding(finding=video, by=world.users["lena"], text=HUBS)
    assert neighbours(video) == [] and video.pk not in neighbours(ashby_video)
    assert being_worked_out(video) and being_worked_out(ashby_video)
    compute(world)
    assert neighbours(video)[0] == ashby_hubs.pk
    assert neighbours(ashby_hubs)[0] == video.pk
    assert not being_worked_out(video)


def test_a_removed_finding_goes_from_others_neighbours_and_they_are_worked_out_again(world):
    video, hubs = bracken(world, VIDEO, HUBS)
    ashby_video = world.findings["ashby"][0]
    compute(world)
    assert neighbours(ashby_video)[0] == video.pk
    collect_actions.remove_finding(finding=video, by=world.users["lena"])
    assert video.pk not in neighbours(ashby_video)
    assert not SimilarityState.objects.get(review=world.review).current
    compute(world)
    assert video.pk not in neighbours(ashby_video)
    assert not SimilarFinding.objects.filter(finding_id=video.pk).exists()


def test_a_redacted_finding_is_worked_out_again(world):
    (video,) = bracken(world, VIDEO + " Call Jane on 07700 900123.")
    compute(world)
    assert neighbours(video)
    collect_actions.redact_personal_data(finding=video, by=world.users["lena"])
    assert neighbours(video) == []
    compute(world)
    assert neighbours(video)[0] == world.findings["ashby"][0].pk


def test_new_findings_are_worked_out_by_the_worker_once_per_waiting_task(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        (video,) = bracken(world, VIDEO)
    with django_capture_on_commit_callbacks(execute=True):
        bracken(world, HUBS)  # a second change while the first task waits: no second task
    tasks = DBTaskResult.objects.filter(task_path=actions.compute_similar_findings_task.module_path)
    assert tasks.count() == 1 and tasks.get().args_kwargs["args"] == [world.review.pk]
    assert being_worked_out(video)
    run_queue()
    assert neighbours(video)[0] == world.findings["ashby"][0].pk
    assert not being_worked_out(video)
    assert tasks.get().status == "SUCCESSFUL" and tasks.get().return_value > 0


def test_an_analysis_run_queues_them_for_a_review_never_worked_out(
    world, django_capture_on_commit_callbacks
):
    (video,) = bracken(world, VIDEO)  # as a review stored before they were (nothing queued)
    with django_capture_on_commit_callbacks(execute=True):
        analyse_review(review=world.review, by=world.users["lena"])
    assert DBTaskResult.objects.filter(
        task_path=actions.compute_similar_findings_task.module_path
    ).exists()
    run_queue()
    assert SimilarityState.objects.get(review=world.review).current
    assert neighbours(video)[0] == world.findings["ashby"][0].pk
    with django_capture_on_commit_callbacks(execute=True):  # worked out: nothing queued
        analyse_review(review=world.review, by=world.users["lena"])
    assert DBTaskResult.objects.filter(status="READY").count() == 0


@pytest.mark.parametrize("batch", [1, 2, 1000])
def test_batches_give_the_same_neighbours(world, batch):
    bracken(world, VIDEO, HUBS)
    actions.compute_similar_findings(review_id=world.review.pk, by=None, batch=batch)
    got = sorted(SimilarFinding.objects.values_list("finding_id", "rank", "neighbour_id"))
    actions.compute_similar_findings(review_id=world.review.pk, by=None, batch=1000)
    assert got == sorted(SimilarFinding.objects.values_list("finding_id", "rank", "neighbour_id"))


def test_the_worker_goes_on_in_tasks_of_bounded_size_queued_behind_other_work(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(actions, "TASK_FINDINGS", 2)
    with django_capture_on_commit_callbacks(execute=True):
        video, hubs = bracken(world, VIDEO, HUBS)
    run_queue()  # the batch worker runs the tasks each one queues, until none is left
    tasks = DBTaskResult.objects.filter(task_path=actions.compute_similar_findings_task.module_path)
    assert sorted(t.args_kwargs["args"][1:] for t in tasks) == [
        [],
        [world.findings["ashby"][1].pk],
        [world.findings["bracken"][0].pk],
    ]
    assert all(t.status == "SUCCESSFUL" for t in tasks)
    assert [t.return_value for t in tasks.order_by("enqueued_at")] == [2, 2, 2]
    state = SimilarityState.objects.get(review=world.review)
    assert state.current and state.working_from is None and state.through == hubs.pk
    assert neighbours(video)[0] == world.findings["ashby"][0].pk
    assert AuditEvent.objects.filter(verb="similar_findings.computed").get().details == {"count": 6}


def test_a_second_round_waits_for_the_one_under_way(world, settings):
    bracken(world, VIDEO)
    assert actions._claim(world.review.pk) is not None  # a round under way
    assert actions.compute_similar_findings_task.call(world.review.pk) == 0
    settings.STOCKTAKE_ANALYSIS_STALE_SECONDS = -60  # as if its worker had died long ago
    assert actions.compute_similar_findings_task.call(world.review.pk) == 5
    assert SimilarityState.objects.get(review=world.review).current
