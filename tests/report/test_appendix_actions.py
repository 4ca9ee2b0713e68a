"""Curating the report's appendices: examples excluded, included, merged and unmerged keep the
report's examples right; case studies reach it only with consent; audit events hold no text."""

from __future__ import annotations

import pytest

from stocktake.collect import actions as collect_actions
from stocktake.collect.models import Example, PersonalDataFlag
from stocktake.core.errors import EditConflict, InvalidInput, NotAllowed
from stocktake.core.models import AuditEvent
from stocktake.report.actions import appendix as case_actions
from stocktake.report.build import build_report
from stocktake.report.queries import reportable_examples


def _example(world, title, *, org="ashby", synopsis="", domain=None, by="lena"):
    return collect_actions.add_example(review=world.review, title=title, synopsis=synopsis,
                                       organisation=world.orgs[org], domain=domain,
                                       by=world.users[by])


def _titles(review):
    return sorted(e.title for e in reportable_examples(review))


def test_exclude_and_include_keep_the_report_right(coded):
    lena = coded.users["lena"]
    hubs = Example.objects.get(title="Round-the-clock rest hubs")
    with pytest.raises(InvalidInput, match="Say why"):
        collect_actions.exclude_example(example=hubs, reason="  ", by=lena)
    collect_actions.exclude_example(example=hubs, reason="Only a plan", by=lena,
                                    expected_revision=hubs.revision)
    assert "Round-the-clock rest hubs" not in _titles(coded.review)
    assert "Round-the-clock rest hubs" not in [r.title for r in build_report(coded.review).examples]
    hubs.refresh_from_db()
    assert hubs.excluded_reason == "Only a plan" and hubs.revision == 2
    with pytest.raises(EditConflict):  # a page loaded before the exclusion
        collect_actions.include_example(example=hubs, by=lena, expected_revision=1)
    collect_actions.include_example(example=hubs, by=lena, expected_revision=2)
    assert "Round-the-clock rest hubs" in _titles(coded.review)
    hubs.refresh_from_db()
    assert hubs.excluded_reason == "" and not hubs.excluded
    events = AuditEvent.objects.filter(verb__in=["example.excluded", "example.included"])
    assert events.count() == 2
    assert all("plan" not in str(e.details) for e in events)


def test_merge_prints_one_naming_the_others_and_unmerge_undoes_it(coded, domains):
    lena = coded.users["lena"]
    video = Example.objects.get(title="Virtual outpatient clinic")
    collect_actions.update_example(example=video, by=lena, domain=domains["clinical-quality"])
    again = _example(coded, "Virtual outpatient clinics", org="northfold",
                     domain=domains["clinical-quality"])
    third = _example(coded, "Outpatients by video", org="region")
    collect_actions.merge_examples(keep=video, duplicates=[again], by=lena)
    # Merging the one that stays into a third moves its duplicate along (one level only).
    collect_actions.merge_examples(keep=third, duplicates=[video], by=lena)
    assert _titles(coded.review).count("Outpatients by video") == 1
    assert "Virtual outpatient clinic" not in _titles(coded.review)
    assert set(Example.objects.filter(merged_into=third).values_list("pk", flat=True)) == {
        video.pk, again.pk}
    row = next(r for r in build_report(coded.review).examples if r.id == third.pk)
    assert row.merged_count == 2
    assert set(row.also_from) == {coded.orgs["ashby"].name, coded.orgs["northfold"].name}
    with pytest.raises(InvalidInput, match="itself merged"):
        collect_actions.merge_examples(keep=video, duplicates=[third], by=lena)
    with pytest.raises(InvalidInput, match="unmerge it first"):
        collect_actions.exclude_example(example=video, reason="x", by=lena)
    collect_actions.unmerge_example(example=video, by=lena)
    assert "Virtual outpatient clinic" in _titles(coded.review)
    with pytest.raises(InvalidInput, match="not merged"):
        collect_actions.unmerge_example(example=video, by=lena)
    event = AuditEvent.objects.filter(verb="examples.merged").order_by("id").last()
    assert event.details["merged"] == [video.pk] and event.details["moved"] == [again.pk]


def test_merge_refuses_a_stale_page_and_other_reviews(coded):
    lena = coded.users["lena"]
    video = Example.objects.get(title="Virtual outpatient clinic")
    hubs = Example.objects.get(title="Round-the-clock rest hubs")
    collect_actions.update_example(example=hubs, by=lena, title="Rest hubs")  # revision 2
    with pytest.raises(EditConflict):
        collect_actions.merge_examples(keep=video, duplicates=[hubs], by=lena,
                                       expected_revisions={hubs.pk: 1})
    assert Example.objects.get(pk=hubs.pk).merged_into_id is None
    with pytest.raises(InvalidInput, match="at least one other"):
        collect_actions.merge_examples(keep=video, duplicates=[video], by=lena)


def test_only_leads_and_reviewers_curate(coded):
    hubs = Example.objects.get(title="Round-the-clock rest hubs")
    video = Example.objects.get(title="Virtual outpatient clinic")
    for name in ("connie", "vera", "owen"):
        with pytest.raises(NotAllowed):
            collect_actions.exclude_example(example=hubs, reason="no", by=coded.users[name])
        with pytest.raises(NotAllowed):
            collect_actions.merge_examples(keep=video, duplicates=[hubs], by=coded.users[name])
    collect_actions.exclude_example(example=hubs, reason="Duplicate of the main text",
                                    by=coded.users["ravi"])


def test_flagged_personal_data_in_a_merged_example_stays_hidden(coded):
    lena = coded.users["lena"]
    video = Example.objects.get(title="Virtual outpatient clinic")
    leaky = _example(coded, "Video clinic run by Dr Sarah Okafor",
                     synopsis="Call 07700 900123 to book.", org="northfold")
    assert PersonalDataFlag.objects.filter(example=leaky, status="flagged").exists()
    collect_actions.merge_examples(keep=leaky, duplicates=[video], by=lena)
    rows = build_report(coded.review).examples
    kept = next(r for r in rows if r.id == leaky.pk)
    assert "07700" not in kept.synopsis and "Okafor" not in kept.title
    assert all("07700" not in r.synopsis and "Okafor" not in r.title for r in rows)
    # Merged the other way, the flagged one is gone from the report altogether.
    collect_actions.unmerge_example(example=video, by=lena)
    collect_actions.merge_examples(keep=video, duplicates=[leaky], by=lena)
    assert all("07700" not in r.synopsis for r in build_report(coded.review).examples)


def test_marking_a_finding_as_an_example(coded):
    ravi = coded.users["ravi"]
    video, _hubs, _data = coded.findings["ashby"]
    example = collect_actions.example_from_finding(finding=video, title="Video by default",
                                                   synopsis="Clinics moved to video.", by=ravi)
    assert example.finding_id == video.pk and example.organisation_id == video.organisation_id
    assert example.domain_id == video.domain_id
    assert example.source_document_id == video.source_document_id
    assert example.submission_id == video.submission_id
    assert "Video by default" in _titles(coded.review)
    with pytest.raises(NotAllowed):
        collect_actions.example_from_finding(finding=video, title="x", by=coded.users["connie"])
    with pytest.raises(InvalidInput):
        collect_actions.example_from_finding(finding=video, title="  ", by=ravi)
    event = AuditEvent.objects.get(verb="example.added", subject_id=str(example.pk))
    assert event.details.get("finding") == video.pk


def test_editing_an_example_from_an_old_page_is_refused(coded):
    lena, ravi = coded.users["lena"], coded.users["ravi"]
    video = Example.objects.get(title="Virtual outpatient clinic")
    collect_actions.update_example(example=video, by=ravi, title="Video clinics",
                                   expected_revision=1)
    with pytest.raises(EditConflict):
        collect_actions.update_example(example=video, by=lena, synopsis="Mine",
                                       expected_revision=1)
    assert Example.objects.get(pk=video.pk).synopsis.startswith("Follow-ups")


# -- case studies -------------------------------------------------------------------------


def test_case_studies_reach_the_report_only_with_consent_and_not_excluded(coded):
    lena, ravi = coded.users["lena"], coded.users["ravi"]
    first = case_actions.add_case_study(review=coded.review, title="A ward sister's winter",
                                        text="We changed the rota.", person="Ward sister",
                                        organisation=coded.orgs["ashby"], by=ravi)
    second = case_actions.add_case_study(review=coded.review, title="A porter's view",
                                         text="Night shifts.", by=lena)
    assert build_report(coded.review).case_studies == ()
    with pytest.raises(InvalidInput, match="how consent"):
        case_actions.record_consent(study=first, note=" ", by=lena)
    case_actions.record_consent(study=first, note="Signed form, 3 March", by=lena,
                                expected_revision=1)
    case_actions.record_consent(study=second, note="Email, 4 March", by=lena)
    first.refresh_from_db()
    assert first.consent_recorded_by == lena and first.consent_recorded_at is not None
    assert [c.title for c in build_report(coded.review).case_studies] == [
        "A ward sister's winter", "A porter's view"]
    case_actions.move_case_study(study=second, offset=-1, by=lena)
    assert [c.title for c in build_report(coded.review).case_studies][0] == "A porter's view"
    case_actions.set_case_study_excluded(study=second, excluded=True, by=lena)
    assert [c.title for c in build_report(coded.review).case_studies] == ["A ward sister's winter"]
    case_actions.withdraw_consent(study=first, by=lena)
    assert build_report(coded.review).case_studies == ()
    events = AuditEvent.objects.filter(verb__startswith="case_study.")
    assert events.count() == 7  # 2 added, 2 consents, moved, excluded, withdrawn
    assert all("rota" not in str(e.details) and "Signed" not in str(e.details)
               and "Ward sister" not in str(e.details) for e in events)


def test_case_study_edits_check_their_input_and_revision(coded):
    lena, ravi = coded.users["lena"], coded.users["ravi"]
    study = case_actions.add_case_study(review=coded.review, title="Story", text="Text.", by=lena)
    with pytest.raises(InvalidInput) as caught:
        case_actions.update_case_study(study=study, by=lena, text="  ")
    assert caught.value.field == "text"
    case_actions.update_case_study(study=study, by=ravi, title="Better", expected_revision=1)
    with pytest.raises(EditConflict):
        case_actions.update_case_study(study=study, by=lena, title="Mine", expected_revision=1)
    with pytest.raises(NotAllowed):
        case_actions.add_case_study(review=coded.review, title="x", text="y",
                                    by=coded.users["connie"])
    with pytest.raises(InvalidInput, match="title"):
        case_actions.add_case_study(review=coded.review, title="", text="y", by=lena)
    assert study.__class__.objects.get(pk=study.pk).title == "Better"
