"""The innovations register's actions: log, edit, code, themes, import, golden threads."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from stocktake.core.errors import EditConflict, InvalidInput, NotAllowed
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions as review_actions
from stocktake.reviews.models import OrganisationLevel, OrganisationType
from stocktake.reviews.orgtree import OrgTree
from stocktake.track import actions
from stocktake.track.innovation_import import read_plan
from stocktake.track.models import GoldenThread, Innovation


def _log(world, who="connie", org="ashby", **extra):
    fields = dict(title="Virtual ward for frail older people",
                  what_changed="Remote monitoring at home instead of an admission.")
    fields.update(extra)
    return actions.log_innovation(organisation=world.orgs[org], by=world.users[who], **fields)


def test_a_contributor_logs_for_their_organisation_and_it_is_coded_at_once(world):
    _log(world, title="Warm-up", what_changed="The coder's first use in a process.")
    started = time.perf_counter()
    innovation = _log(world, unit="Frailty team", started_on=dt.date(2024, 3, 1),
                      lead_name="Dr Jane Doe", lead_email="jane@example.org")
    # Themes only (no polarity model, no explanations): a fraction of a second; the bound
    # is loose for busy test machines, and catches a coder that trains a model per call.
    assert time.perf_counter() - started < 5
    assert innovation.logged_by == world.users["connie"] and innovation.source == "form"
    assert innovation.coded_at is not None and innovation.theme_suggestions
    assert innovation.themes.exists() and not innovation.themes_confirmed
    event = AuditEvent.objects.filter(verb="innovation.logged").last()
    assert "Jane" not in str(event.details) and "jane@" not in str(event.details)


def test_nobody_logs_for_an_organisation_outside_their_scope(world):
    with pytest.raises(NotAllowed):
        _log(world, who="connie", org="bracken")
    with pytest.raises(NotAllowed):
        _log(world, who="vera")
    assert not Innovation.objects.exists()


@pytest.mark.parametrize("fields, message", [
    ({"title": "  "}, "Enter a short title"),
    ({"what_changed": ""}, "Describe what changed"),
    ({"title": "x" * 256}, "255 characters"),
    ({"started_on": dt.date.today() + dt.timedelta(days=40)}, "today or in the past"),
])
def test_bad_input_is_refused_with_one_clear_message(world, fields, message):
    with pytest.raises(InvalidInput, match=message):
        _log(world, **fields)


def test_an_edit_from_an_old_revision_is_refused(world):
    innovation = _log(world)
    changed = actions.update_innovation(innovation=innovation, by=world.users["connie"],
                                        revision=1, benefits="Fewer admissions")
    assert changed == ["benefits"]
    with pytest.raises(EditConflict):
        actions.update_innovation(innovation=innovation, by=world.users["connie"], revision=1,
                                  risks="Staff time")
    with pytest.raises(NotAllowed):
        actions.update_innovation(innovation=innovation, by=world.users["colin"], revision=2,
                                  risks="Staff time")
    event = AuditEvent.objects.get(verb="innovation.updated")
    assert event.details["fields"] == ["benefits"] and "Fewer" not in str(event.details)


def test_a_lead_confirms_themes_and_the_coder_leaves_them_alone(world):
    innovation = _log(world)
    wellbeing = world.framework.themes.get(key="staff-wellbeing")
    with pytest.raises(NotAllowed):
        actions.set_innovation_themes(innovation=innovation, themes=[wellbeing],
                                      by=world.users["connie"])
    actions.set_innovation_themes(innovation=innovation, themes=[wellbeing],
                                  by=world.users["lena"])
    actions.update_innovation(innovation=innovation, by=world.users["connie"],
                              what_changed="Video calls with the frailty team.")
    innovation.refresh_from_db()
    assert innovation.themes_confirmed and list(innovation.themes.all()) == [wellbeing]


def test_import_is_all_or_nothing_and_names_each_bad_row(world):
    tree = OrgTree.load()
    good = (b"Organisation,Team,Innovation,What changed,Date started,Benefits\n"
            b"AGH,Outpatients,Video clinics,Clinics by video,03/2024,Less travel\n"
            b"Ashby General,Pharmacy,Drive-through collection,Pick up from the car park,"
            b"March 2024,\n")
    plan = read_plan(good, "log.csv", tree=tree)
    assert plan.problems == [] and [c.field for c in plan.columns] == [
        "organisation", "unit", "title", "what_changed", "started_on", "benefits"]
    made = actions.import_innovations(plan=plan, by=world.users["connie"])
    assert [i.started_on for i in made] == [dt.date(2024, 3, 1)] * 2
    assert {i.source for i in made} == {"import"}
    bad = (b"Organisation,Title\n,No organisation\nAshbey General Hospital NHS Foundation Trust,"
           b"Typo\nAGH,\n")
    plan = read_plan(bad, "bad.csv", tree=tree)
    assert plan.problems[0] == "Row 2: no organisation"
    assert "Row 3: no organisation called" in plan.problems[1]
    assert "did you mean Ashby General Hospital NHS Foundation Trust?" in plan.problems[1]
    assert plan.problems[2] == "Row 4: no title"
    with pytest.raises(InvalidInput, match="Row 2: no organisation"):
        actions.import_innovations(plan=plan, by=world.users["connie"])
    assert Innovation.objects.count() == 2


def test_golden_threads_are_suggested_with_readable_names_and_curated(world):
    titles = ["Virtual ward for frail older people", "Virtual ward for heart failure",
              "Remote monitoring on the virtual ward", "Video consultations in outpatients",
              "Video consultations for physiotherapy", "Video group clinics for diabetes"]
    for title in titles:
        _log(world, title=title, what_changed=title + ".", code=False)
    northfold = world.orgs["northfold"]
    with pytest.raises(NotAllowed):
        actions.suggest_golden_threads(organisation=northfold, by=world.users["connie"])
    made = actions.suggest_golden_threads(organisation=northfold, by=world.users["lena"])
    names = {t.name for t in made}
    assert {"Virtual ward", "Video consultations"} <= names
    ward = next(t for t in made if t.name == "Virtual ward")
    assert ward.innovations.count() == 3
    ward = actions.update_golden_thread(thread=ward, by=world.users["lena"], name="Care at home",
                                        description="Hospital care delivered at home",
                                        revision=ward.revision, confirm=True)
    assert ward.confirmed and ward.confirmed_by == world.users["lena"]
    video = GoldenThread.objects.get(name="Video consultations")
    moved = Innovation.objects.get(title="Video group clinics for diabetes")
    actions.move_to_thread(innovation=moved, thread=ward, by=world.users["lena"])
    assert actions.dissolve_golden_thread(thread=video, by=world.users["lena"]) == 2
    again = actions.suggest_golden_threads(organisation=northfold, by=world.users["lena"])
    assert again == [] and GoldenThread.objects.get().innovations.count() == 4


def test_merging_organisations_moves_innovations_and_keeps_one_thread_per_name(world):
    ada, ashby = world.users["ada"], world.orgs["ashby"]
    twin = review_actions.create_organisation(
        name="Ashby General Hospital (old name)", level=OrganisationLevel.ORGANISATION,
        kind=OrganisationType.ACUTE_TRUST, parent=world.orgs["northfold"], by=ada)
    kept_one = _log(world, code=False)
    moved = actions.log_innovation(organisation=twin, by=ada, title="Drive-through pharmacy",
                                   what_changed="Collect from the car park.", code=False)
    same = actions.create_golden_thread(organisation=ashby, name="Digital", by=ada,
                                        innovations=[kept_one])
    actions.create_golden_thread(organisation=twin, name="Digital", by=ada, innovations=[moved])
    other = actions.create_golden_thread(organisation=twin, name="Home first", by=ada)
    review_actions.merge_organisations(keep=ashby, absorb=twin, by=ada)
    moved.refresh_from_db()
    other.refresh_from_db()
    assert moved.organisation == ashby and moved.golden_thread is None
    assert other.organisation == ashby
    assert list(GoldenThread.objects.filter(name="Digital")) == [same]


def test_only_the_organisations_own_findings_are_linked(world):
    innovation = _log(world, code=False)
    with pytest.raises(InvalidInput, match="own organisation"):
        actions.link_findings(innovation=innovation, by=world.users["lena"],
                              link=world.findings["bracken"])
    with pytest.raises(NotAllowed):
        actions.link_findings(innovation=innovation, by=world.users["colin"],
                              link=world.findings["ashby"][:1])
    assert actions.link_findings(innovation=innovation, by=world.users["connie"],
                                 link=world.findings["ashby"][:2]) == sorted(
        f.pk for f in world.findings["ashby"][:2])
