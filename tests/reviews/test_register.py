"""The organisation register: creating, editing, merging, resolving and its CSV."""

from __future__ import annotations

import pytest

from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import Example, Finding, Invitation, Submission
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.report import actions as report_actions
from stocktake.report.models import Recommendation
from stocktake.reviews import actions, register
from stocktake.reviews.models import Membership, Organisation, Participant, Review, Role
from stocktake.reviews.orgtree import OrgTree, initials, split_acronym


def _lch(world, **extra):
    return actions.create_organisation(
        name="Leeds Community Healthcare NHS Trust (LCH)", level="organisation",
        kind="nhs_trust", parent=world.orgs["northfold"], by=world.users["ada"], **extra)


# -- creating and resolving ---------------------------------------------------------------

def test_full_name_with_acronym_is_stored_as_name_and_acronym(world):
    lch = _lch(world)
    assert (lch.name, lch.short_name, lch.get_kind_display()) == (
        "Leeds Community Healthcare NHS Trust", "LCH", "NHS trust")


@pytest.mark.parametrize("name", [
    "Leeds Community Healthcare NHS Trust (LCH)", "Leeds Community Healthcare NHS Trust",
    "LCH", "lch", "Leeds Community Healthcare NHS Foundation Trust",
    "Leeds Community Healthcare", "LEEDS COMMUNITY HEALTHCARE NHS TRUST.", "Leeds Community Health",
])
def test_every_form_of_a_name_resolves_to_one_organisation(world, name):
    lch = _lch(world, aliases=("Leeds Community Health",))
    assert OrgTree.load().resolve(name) == lch


def test_a_second_organisation_of_the_same_name_is_refused(world):
    _lch(world)
    with pytest.raises(InvalidInput, match="already an organisation called"):
        actions.create_organisation(name="leeds community healthcare nhs trust",
                                    level="organisation", parent=world.orgs["northfold"],
                                    by=None)


def test_unknown_level_and_type_are_named(world):
    with pytest.raises(InvalidInput, match="Unknown organisation level 'regin'"):
        actions.create_organisation(name="X", level="regin", by=None)
    with pytest.raises(InvalidInput, match="Unknown organisation type 'hospitl'"):
        actions.create_organisation(name="X", level="region", kind="hospitl", by=None)


def test_level_and_type_may_be_given_by_label(world):
    org = actions.create_organisation(name="Gullhaven Surgery", level="Organisation",
                                      kind="GP practice", by=None)
    assert (org.level, org.kind) == ("organisation", "gp_practice")


@pytest.mark.parametrize("name, expected", [
    ("Ashby Generel Hospital NHS Foundation Trust", "ashby"),  # a typo
    ("Ashby General Hospital Trust Services", "ashby"),  # one word more
    ("Brackenford Community Services", None),  # resolves: not a "likely" match
    ("Quite Different Hospice", None),
])
def test_likely_match_is_a_suggestion_for_names_that_do_not_resolve(world, name, expected):
    found = OrgTree.load().likely_match(name)
    assert (found.pk if found else None) == (world.orgs[expected].pk if expected else None)


def test_an_acronym_that_is_an_organisations_initials_is_a_likely_match(world):
    lch = actions.create_organisation(name="Leeds Community Healthcare NHS Trust",
                                      level="organisation", parent=world.orgs["northfold"],
                                      by=None)
    tree = OrgTree.load()
    assert tree.resolve("LCH") is None  # never applied by itself
    assert tree.likely_match("LCH") == lch


def test_split_acronym_and_initials():
    assert split_acronym("Royal Ashby Hospital (RAH)") == ("Royal Ashby Hospital", "RAH")
    assert split_acronym("Ashby (north)") == ("Ashby (north)", "")
    assert initials("Leeds Community Healthcare NHS Trust") == "lch"


# -- editing ------------------------------------------------------------------------------

def test_update_changes_name_acronym_type_parent_and_aliases(world):
    lch, ada = _lch(world), world.users["ada"]
    updated = actions.update_organisation(
        organisation=lch, by=ada, name="Leeds Community Healthcare NHS Trust", short_name="LCHT",
        kind="community_trust", parent=world.orgs["eastmarsh"], aliases=["Leeds Community"])
    assert updated.changed_fields == ["aliases", "kind", "parent", "short_name"]
    lch.refresh_from_db()
    assert (lch.short_name, lch.kind, lch.parent) == ("LCHT", "community_trust",
                                                       world.orgs["eastmarsh"])
    assert [a.alias for a in lch.aliases.all()] == ["Leeds Community"]
    event = AuditEvent.objects.filter(verb="organisation.updated").latest("id")
    assert event.details == {"fields": ["aliases", "kind", "parent", "short_name"]}
    again = actions.update_organisation(organisation=lch, by=ada, aliases=["Leeds Community"])
    assert again.changed_fields == []


def test_update_refuses_a_parent_inside_itself_and_children_above_it(world):
    northfold, ashby = world.orgs["northfold"], world.orgs["ashby"]
    with pytest.raises(InvalidInput, match="cannot sit below"):
        actions.update_organisation(organisation=northfold, parent=ashby, by=None)
    with pytest.raises(InvalidInput, match="sits below it"):
        actions.update_organisation(organisation=northfold, level="unit", by=None)
    with pytest.raises(InvalidInput, match="cannot be changed here"):
        actions.update_organisation(organisation=northfold, created_at=None, by=None)


# -- merging ------------------------------------------------------------------------------

def test_every_relation_to_an_organisation_is_handled_by_merge():
    """Fails when a new foreign key to Organisation (or Participant) is added: decide what
    a merge does with it in reviews.actions.MOVED_WITH_ORGANISATION / _PARTICIPANT."""
    related = {f"{r.related_model._meta.label_lower}.{r.field.name}"
               for r in Organisation._meta.related_objects}
    assert related == set(actions.MOVED_WITH_ORGANISATION)
    assert set(actions.MERGE_LABELS) == set(actions.MOVED_WITH_ORGANISATION)
    related = {f"{r.related_model._meta.label_lower}.{r.field.name}"
               for r in Participant._meta.related_objects}
    assert related == actions.MOVED_WITH_PARTICIPANT


def _duplicate_with_everything(world):
    """A second "Ashby" with a finding, an example, a participation with a submitted
    submission and an invitation, a member, a recommendation, a child and a region use."""
    ada, lena, review = world.users["ada"], world.users["lena"], world.review
    dup = actions.create_organisation(name="Ashby General Hospital (AGHFT)", level="organisation",
                                      parent=world.orgs["northfold"], by=ada,
                                      aliases=("Ashby Hospital",))
    actions.create_organisation(name="Ashby Maternity Unit", level="unit", parent=dup, by=ada)
    other = actions.create_review(title="Spring", slug="spring", framework=world.framework,
                                  region=world.orgs["region"], by=lena)
    other = actions.change_review_status(review=other, status="collecting", by=lena)
    participant = actions.add_participant(review=other, organisation=dup, by=lena)
    submission = collect_actions.create_submission(participant=participant, by=lena)
    collect_actions.add_findings(submission=submission, by=lena,
                                 findings=[NewFinding("Duplicate's finding.")])
    collect_actions.submit_submission(submission=submission, by=lena)
    collect_actions.add_example(review=other, title="Duplicate's example", organisation=dup,
                                by=lena)
    actions.add_member(review=other, member=world.users["sam"], role=Role.CONTRIBUTOR,
                       organisation=dup, by=lena)
    # the same person already speaks for the kept organisation in the first review: folded
    actions.add_member(review=world.review, member=world.users["connie"], role=Role.CONTRIBUTOR,
                       organisation=dup, by=lena)
    report_actions.create_recommendation(review=other, text="Do it.", owner=dup, by=lena)
    # both take part in the first review: the participants fold into one
    p_dup = actions.add_participant(review=review, organisation=dup, by=lena,
                                    contact_name="Dee Duplicate", contact_email="dee@example.org")
    s_dup = collect_actions.create_submission(participant=p_dup, by=lena)
    collect_actions.add_findings(submission=s_dup, by=lena,
                                 findings=[NewFinding("Second participant's finding.")])
    collect_actions.submit_submission(submission=s_dup, by=lena)
    collect_actions.invite_contact(review=review, organisation=dup, contact_name="Dee Duplicate",
                                   email="dee@example.org", by=lena)
    return dup, other


def test_merge_moves_everything_and_keeps_the_absorbed_names_as_aliases(world):
    ashby = world.orgs["ashby"]
    dup, other = _duplicate_with_everything(world)
    dup_id = dup.pk
    plan = actions.plan_merge(keep=ashby, absorb=dup)
    assert not plan.refused
    assert plan.counts["collect.finding.organisation"] == 2
    assert plan.counts["reviews.participant.organisation"] == 2

    actions.merge_organisations(keep=ashby, absorb=dup, by=world.users["ada"])

    assert not Organisation.objects.filter(pk=dup_id).exists()
    relations = actions._relations(Organisation)
    for key, relation in relations.items():
        assert not relation.related_model._base_manager.filter(
            **{f"{relation.field.name}_id": dup_id}).exists(), key
    assert Finding.objects.filter(organisation=ashby, text="Duplicate's finding.").exists()
    assert Example.objects.get(title="Duplicate's example").organisation == ashby
    assert Recommendation.objects.get(review=other).owner == ashby
    assert Organisation.objects.get(name="Ashby Maternity Unit").parent == ashby
    assert Membership.objects.filter(review=other, user=world.users["sam"],
                                     organisation=ashby).exists()
    assert Membership.objects.filter(review=world.review, user=world.users["connie"],
                                     role=Role.CONTRIBUTOR).count() == 1
    # one participant per review; the first review's submissions and invitation moved to it
    kept = Participant.objects.get(review=world.review, organisation=ashby)
    assert Participant.objects.filter(review=world.review).count() == 2
    assert Submission.objects.filter(participant=kept).count() == 2
    assert Invitation.objects.filter(participant=kept).count() == 1
    assert kept.contact_email == "connie@example.org"  # the kept contact stays
    # the absorbed names resolve to the kept organisation
    tree = OrgTree.load()
    for name in ("Ashby General Hospital", "AGHFT", "Ashby Hospital",
                 "Ashby General Hospital (AGHFT)"):
        assert tree.resolve(name) == ashby, name
    event = AuditEvent.objects.get(verb="organisation.merged")
    assert event.details["absorbed"] == dup_id
    assert event.details["moved"]["finding.organisation"] == 2
    assert event.details["moved"]["participant.organisation"] == 2
    assert "@" not in str(event.details)


def test_merge_refuses_two_drafts_in_one_review_and_changes_nothing(world):
    lena, bracken = world.users["lena"], world.orgs["bracken"]
    dup = actions.create_organisation(name="Brackenford Community (dup)", level="organisation",
                                      parent=world.orgs["eastmarsh"], by=lena)
    p_dup = actions.add_participant(review=world.review, organisation=dup, by=lena)
    collect_actions.create_submission(participant=p_dup, by=lena)
    with pytest.raises(InvalidInput, match="Both organisations have a draft submission"):
        actions.merge_organisations(keep=bracken, absorb=dup, by=lena)
    assert Organisation.objects.filter(pk=dup.pk).exists()
    assert Participant.objects.filter(organisation=dup).count() == 1


def test_merge_refuses_itself_and_an_organisation_inside_the_absorbed(world):
    ashby, northfold = world.orgs["ashby"], world.orgs["northfold"]
    with pytest.raises(InvalidInput, match="with itself"):
        actions.merge_organisations(keep=ashby, absorb=ashby, by=None)
    with pytest.raises(InvalidInput, match="sits inside"):
        actions.merge_organisations(keep=ashby, absorb=northfold, by=None)


def test_merge_of_a_region_moves_reviews(world):
    ada = world.users["ada"]
    dup = actions.create_organisation(name="Wessex Vale", level="region", by=ada)
    review = actions.create_review(title="R", slug="r", framework=world.framework, region=dup,
                                   by=ada)
    with pytest.raises(InvalidInput, match="is the region of a review and"):
        actions.merge_organisations(keep=world.orgs["northfold"], absorb=dup, by=ada)
    actions.merge_organisations(keep=world.orgs["region"], absorb=dup, by=ada)
    assert Review.objects.get(pk=review.pk).region == world.orgs["region"]


# -- the register as CSV ------------------------------------------------------------------

CSV = """name,acronym,level,type,parent,aliases
Leeds Community Healthcare NHS Trust,LCH,organisation,NHS trust,Northfold ICS,Leeds Community; LCHT
Armley Moor Surgery,,organisation,GP practice,NICS,
Wessex Vale Region,,region,regional_body,,Wessex Vale
"""


def test_import_creates_then_reimport_changes_nothing(world):
    ada = world.users["ada"]
    result = actions.import_organisations(rows=register.read_csv(CSV), by=ada)
    assert result.created == ["Leeds Community Healthcare NHS Trust", "Armley Moor Surgery"]
    assert result.updated == ["Wessex Vale Region"]  # its alias was added
    lch = OrgTree.load().resolve("LCHT")
    assert (lch.short_name, lch.kind, lch.parent) == ("LCH", "nhs_trust", world.orgs["northfold"])
    again = actions.import_organisations(rows=register.read_csv(CSV), by=ada)
    assert (again.created, again.updated, again.unchanged) == ([], [], 3)


def test_export_then_import_into_itself_is_unchanged_and_round_trips(world):
    _lch(world)
    text = register.export_csv()
    rows = register.read_csv(text)
    assert rows[0].name == "Wessex Vale Region" and rows[0].parent == ""
    assert any(r.name == "Ashby General Hospital NHS Foundation Trust" and r.acronym == "AGH"
               and r.aliases == ["Ashby General"] and r.type == "acute_trust" for r in rows)
    result = actions.import_organisations(rows=rows, by=None)
    assert (result.created, result.updated) == ([], [])
    assert result.unchanged == Organisation.objects.count()


def test_bad_rows_are_each_named_and_nothing_is_written(world):
    text = ("name,level,type,parent\n"
            "Good New Trust,organisation,,NICS\n"
            ",organisation,,\n"
            "Bad Level,regin,,\n"
            "Bad Type,organisation,hospitl,\n"
            "Orphan,organisation,,Nowhere ICS\n"
            "Upside Down,region,,NICS\n")
    before = Organisation.objects.count()
    with pytest.raises(InvalidInput) as caught:
        actions.import_organisations(rows=register.read_csv(text), by=None)
    message = str(caught.value)
    assert message.startswith("Nothing was imported.")
    for expected in ["Row 3: the name is empty", "Row 4: Unknown organisation level 'regin'",
                     "Row 5: Unknown organisation type 'hospitl'",
                     "Row 6: the parent 'Nowhere ICS' is not in the register",
                     "Row 7: 'Upside Down' (region) cannot sit below"]:
        assert expected in message
    assert "Row 2" not in message
    assert Organisation.objects.count() == before


def test_every_problem_of_a_row_is_named(world):
    text = ("name,level,type,parent\n"
            ",regin,hospitl,Nowhere ICS\n")
    with pytest.raises(InvalidInput) as caught:
        actions.import_organisations(rows=register.read_csv(text), by=None)
    lines = str(caught.value).removeprefix("Nothing was imported. ").split("\n")
    assert lines == [
        "Row 2: the name is empty",
        "Row 2: the parent 'Nowhere ICS' is not in the register or on an earlier row",
        "Row 2: Unknown organisation level 'regin'; use one of " + ", ".join(actions.LEVEL_ORDER),
        "Row 2: Unknown organisation type 'hospitl'; use one of "
        + ", ".join(actions.OrganisationType.values),
    ]


@pytest.mark.parametrize("text, message", [
    ("", "The file is empty"),
    ("name,acronym,levle\n", "Row 1: unknown column 'levle'"),
    ("name,acronym\n", "Row 1: the column 'level' is missing"),
])
def test_bad_headers(text, message):
    with pytest.raises(InvalidInput, match=message):
        register.read_csv(text)


def test_formula_cells_are_defused_in_the_export_and_restored_on_import(world):
    actions.create_organisation(name="=Trust", level="region", by=None)
    text = register.export_csv()
    assert "'=Trust" in text
    assert any(r.name == "=Trust" for r in register.read_csv(text))


def test_a_row_never_takes_over_an_organisation_of_another_level_elsewhere(world):
    """"Ashby General" as a new region shares Ashby's words, but not its level or place."""
    rows = register.read_csv("name,level\nAshby General Hospital,region\n")
    result = actions.import_organisations(rows=rows, by=None)
    assert result.created == ["Ashby General Hospital"]
    world.orgs["ashby"].refresh_from_db()
    assert world.orgs["ashby"].level == "organisation"
