"""The report's examples and case studies page: who may open it, and each change through it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stocktake.collect import actions as collect_actions
from stocktake.collect.models import Example
from stocktake.report.actions import appendix as case_actions
from stocktake.report.models import CaseStudy


def _url(name, world, **kwargs):
    return reverse(name, kwargs={"slug": world.review.slug, **kwargs})


@pytest.fixture
def examples(world):
    lena = world.users["lena"]
    domain = world.framework.domains.first()
    made = {}
    for key, title, org, synopsis in [
        ("video", "Virtual outpatient clinic", "ashby", "Follow-ups by video within two weeks."),
        ("video2", "Virtual outpatient clinics", "bracken", "Follow-ups by video in two weeks."),
        ("hubs", "Round-the-clock rest hubs", "ashby", "Rest on every site."),
    ]:
        made[key] = collect_actions.add_example(
            review=world.review, title=title, synopsis=synopsis, organisation=world.orgs[org],
            domain=domain, by=lena)
    return made


@pytest.mark.parametrize("name,status", [("lena", 200), ("ravi", 200), ("ada", 200),
                                         ("connie", 404), ("owen", 404), ("vera", 404),
                                         ("sam", 404)])
def test_only_leads_and_reviewers_open_the_page(world, login, examples, name, status):
    client = login(world.users[name])
    assert client.get(_url("report_appendix", world)).status_code == status
    hubs = examples["hubs"]
    response = client.post(_url("report_example_exclude", world, example_id=hubs.pk),
                           {"reason": "no", "revision": hubs.revision})
    assert response.status_code == (404 if status == 404 else 302)
    if status == 404:
        assert not Example.objects.get(pk=hubs.pk).excluded
        page = client.get(_url("finding", world, finding_id=world.findings["ashby"][0].pk))
        assert b"Mark as an example" not in page.content


def test_the_page_lists_examples_by_domain_with_likely_duplicates(world, login, examples):
    client = login(world.users["ravi"])
    html = client.get(_url("report_appendix", world)).content.decode()
    assert "Virtual outpatient clinic" in html and "Round-the-clock rest hubs" in html
    assert "Possible duplicate of “Virtual outpatient clinics”" in html
    assert world.framework.domains.first().name in html
    only = client.get(_url("report_appendix", world) + "?duplicates=1").content.decode()
    assert "Round-the-clock rest hubs" not in only.split("Left out of the report")[0]
    assert "2 of 3 examples match" in only
    system = client.get(_url("report_appendix", world)
                        + f"?system={world.orgs['eastmarsh'].pk}").content.decode()
    assert "1 of 3 examples match" in system


def test_merge_confirm_then_unmerge(world, login, examples):
    client = login(world.users["lena"])
    video, video2 = examples["video"], examples["video2"]
    merge = _url("report_example_merge", world)
    page = client.get(f"{merge}?ids={video.pk}&ids={video2.pk}")
    assert page.status_code == 200 and b"Which one stays?" in page.content
    missing = client.post(merge, {"ids": [video.pk, video2.pk]})
    assert missing.status_code == 400 and b"Choose the example that stays" in missing.content
    done = client.post(merge, {"ids": [video.pk, video2.pk], "keep": video.pk,
                               f"revision-{video.pk}": 1, f"revision-{video2.pk}": 1})
    assert done.status_code == 302
    assert Example.objects.get(pk=video2.pk).merged_into_id == video.pk
    html = client.get(_url("report_appendix", world)).content.decode()
    assert "2 examples merged into one: the report prints it once" in html
    assert "Also from Brackenford Community Services NHS Trust" in html
    assert "Possible duplicate of" not in html
    client.post(_url("report_example_unmerge", world, example_id=video2.pk))
    assert Example.objects.get(pk=video2.pk).merged_into_id is None


def test_a_stale_merge_is_refused(world, login, examples):
    client = login(world.users["lena"])
    video, video2 = examples["video"], examples["video2"]
    collect_actions.update_example(example=video2, by=world.users["ravi"], title="Video clinics")
    response = client.post(_url("report_example_merge", world),
                           {"ids": [video.pk, video2.pk], "keep": video.pk,
                            f"revision-{video.pk}": 1, f"revision-{video2.pk}": 1})
    assert response.status_code == 400 and b"changed by someone else" in response.content
    assert Example.objects.get(pk=video2.pk).merged_into_id is None


def test_exclude_with_a_reason_then_include_again(world, login, examples):
    client = login(world.users["ravi"])
    hubs = examples["hubs"]
    url = _url("report_example_exclude", world, example_id=hubs.pk)
    empty = client.post(url, {"reason": "", "revision": 1})
    assert empty.status_code == 400 and b"Say why" in empty.content
    client.post(url, {"reason": "Only a plan for next year", "revision": 1})
    html = client.get(_url("report_appendix", world)).content.decode()
    assert "Only a plan for next year" in html.split("Left out of the report")[1]
    client.post(_url("report_example_include", world, example_id=hubs.pk), {"revision": 2})
    assert not Example.objects.get(pk=hubs.pk).excluded


def test_editing_keeps_the_typed_text_on_a_conflict(world, login, examples):
    client = login(world.users["lena"])
    video = examples["video"]
    url = _url("example_edit", world, example_id=video.pk) + "?next=appendix"
    assert b'name="revision" value="1"' in client.get(url).content
    collect_actions.update_example(example=video, by=world.users["ravi"], synopsis="Theirs")
    response = client.post(url, {"title": "My better title", "synopsis": "Mine", "revision": 1,
                                 "domain": "", "organisation": str(world.orgs["ashby"].pk)})
    assert response.status_code == 400
    assert b"changed by someone else" in response.content and b"My better title" in response.content
    assert Example.objects.get(pk=video.pk).synopsis == "Theirs"
    saved = client.post(url, {"title": "My better title", "synopsis": "Mine", "revision": 2,
                              "domain": "", "organisation": str(world.orgs["ashby"].pk)})
    assert saved.status_code == 302 and saved["Location"].endswith("/report/appendix/#examples")


def test_marking_a_finding_as_an_example(world, login):
    client = login(world.users["ravi"])
    video = world.findings["ashby"][0]
    detail = client.get(_url("finding", world, finding_id=video.pk)).content.decode()
    assert "Mark as an example" in detail
    url = _url("finding_mark_example", world, finding_id=video.pk)
    form = client.get(url).content.decode()
    assert "Video consultations" in form  # prefilled from the finding
    response = client.post(url, {"title": "Video by default", "synopsis": "Clinics moved."})
    assert response.status_code == 302
    example = Example.objects.get(finding=video)
    assert example.title == "Video by default" and example.organisation_id == video.organisation_id
    assert "Video by default" in client.get(_url("report_appendix", world)).content.decode()
    assert "Already an example" in client.get(url).content.decode()
    assert login(world.users["connie"]).get(url).status_code == 404


def test_case_studies_add_edit_consent_exclude_and_move(world, login):
    client = login(world.users["lena"])
    add = _url("report_case_study_add", world)
    bad = client.post(add, {"title": "", "text": "x", "person": "", "organisation": "",
                            "revision": 0})
    assert bad.status_code == 400 and b"needs a title" in bad.content
    client.post(add, {"title": "A ward sister's winter", "person": "Ward sister",
                      "organisation": str(world.orgs["ashby"].pk), "text": "We changed the rota.",
                      "revision": 0})
    client.post(add, {"title": "A porter's view", "person": "", "organisation": "",
                      "text": "Nights.", "revision": 0})
    first, second = CaseStudy.objects.order_by("position")
    assert first.organisation == world.orgs["ashby"] and not first.consent_recorded
    edit = _url("report_case_study_edit", world, study_id=first.pk)
    case_actions.update_case_study(study=first, by=world.users["ravi"], person="Sister")
    stale = client.post(edit, {"title": "Mine", "person": "", "organisation": "",
                               "text": "Typed text", "revision": 1})
    assert stale.status_code == 400 and b"Typed text" in stale.content
    consent = _url("report_case_study_consent", world, study_id=first.pk)
    client.post(consent, {"note": "Signed form, 3 March", "revision": 2})
    first.refresh_from_db()
    assert first.consent_recorded and first.consent_recorded_by == world.users["lena"]
    page = client.get(_url("report_appendix", world)).content.decode()
    assert "Signed form, 3 March (recorded by Lena Lead on" in page
    client.post(_url("report_case_study_move", world, study_id=second.pk), {"direction": "up"})
    assert list(CaseStudy.objects.order_by("position", "id")) == [second, first]
    client.post(_url("report_case_study_exclude", world, study_id=first.pk), {"excluded": "1"})
    assert CaseStudy.objects.get(pk=first.pk).excluded
    client.post(consent, {"withdraw": "1"})
    assert not CaseStudy.objects.get(pk=first.pk).consent_recorded


def test_contributors_never_see_the_curation(world, login, examples):
    lena = world.users["lena"]
    collect_actions.exclude_example(example=examples["hubs"], reason="Secret reason", by=lena)
    collect_actions.merge_examples(keep=examples["video"], duplicates=[examples["video2"]], by=lena)
    client = login(world.users["connie"])
    html = client.get(_url("examples", world)).content.decode()
    assert "Secret reason" not in html and "Possible duplicate" not in html
    assert "Examples and case studies" not in client.get(_url("review_report", world)).content.decode()


def test_flagged_personal_data_in_a_merged_example_stays_hidden_from_reviewers(world, login,
                                                                              examples):
    lena = world.users["lena"]
    leaky = collect_actions.add_example(
        review=world.review, title="Clinic run with Dr Sarah Okafor",
        synopsis="Call 07700 900123 to book a slot.", organisation=world.orgs["bracken"],
        by=lena)
    collect_actions.merge_examples(keep=examples["video"], duplicates=[leaky], by=lena)
    reviewer = login(world.users["ravi"]).get(_url("report_appendix", world)).content.decode()
    assert "Merged into it" in reviewer and "Okafor" not in reviewer
    lead = login(lena).get(_url("report_appendix", world)).content.decode()
    assert "Okafor" in lead  # leads see flagged text as stored, to decide on it


def test_many_examples_come_in_pages_of_fifty(world, login):
    lena = world.users["lena"]
    for number in range(55):
        collect_actions.add_example(review=world.review, title=f"Practice number {number:02d}",
                                    organisation=world.orgs["ashby"], by=lena)
    client = login(lena)
    first = client.get(_url("report_appendix", world)).content.decode()
    assert "Practice number 49" in first and "Practice number 50" not in first
    assert "?page=2" in first
    second = client.get(_url("report_appendix", world) + "?page=2").content.decode()
    assert "Practice number 50" in second and "Practice number 49" not in second
