"""The one organisation tree: name resolution and walking without the database, and a
bounded number of queries with it, whatever the depth."""

from __future__ import annotations

import pytest

from stocktake.reviews import actions
from stocktake.reviews.models import OrganisationLevel as L
from stocktake.reviews.orgtree import Org, OrgTree, name_forms
from stocktake.reviews.permissions import access_for

LEEDS = "Leeds Community Healthcare NHS Trust"


def tree() -> OrgTree:
    return OrgTree([
        Org(1, "North East and Yorkshire", "", "region", None),
        Org(2, "West Yorkshire ICS", "WY", "system", 1),
        Org(3, LEEDS, "LCH", "organisation", 2),
        Org(4, "Leeds Sexual Health", "", "unit", 3),
        Org(5, "Humber and North Yorkshire ICS", "HNY", "system", 1),
        Org(6, "Humber Teaching NHS Foundation Trust", "", "organisation", 5),
        Org(7, "Lakeside Community Health (LCH)", "", "organisation", 5),
        Org(8, "Elsewhere Region", "", "region", None),
    ], aliases=[(3, "Leeds Community"), (6, "HTFT")])


@pytest.mark.parametrize("name", [
    LEEDS, "leeds community healthcare nhs trust", "Leeds Community Healthcare NHS FT",
    "Leeds Community Healthcare", "LCH", f"{LEEDS} (LCH)", "Leeds Community Healthcare (LCH)",
    "  leeds   COMMUNITY healthcare, NHS trust ", "Leeds Community",
])
def test_every_form_of_a_name_resolves_to_one_organisation(name):
    assert tree().resolve(name, within=2).id == 3


def test_full_name_wins_over_the_acronym_in_brackets():
    # "Humber Teaching NHS FT (LCH)": its full name says Humber, though LCH is Leeds
    assert tree().resolve("Humber Teaching NHS FT (LCH)").id == 6
    assert tree().resolve("Humber Teaching & Research (HTFT)").id == 6  # the acronym, an alias


def test_a_registered_full_name_with_acronym_answers_to_both_parts():
    t = tree()
    assert t.resolve("Lakeside Community Health").id == 7
    assert t.resolve("LCH", within=5).id == 7  # in Humber, LCH is Lakeside


def test_scope_limits_and_prefer_orders():
    t = tree()
    assert t.resolve("LCH", within=8) is None
    assert t.resolve("Leeds Community", within=5) is None  # aliases are scoped too
    assert t.resolve("LCH").id == 3  # a tie goes to the first loaded (the database loads by name)
    assert t.resolve("LCH", within=1, prefer=5).id == 7
    assert t.resolve("LCH", within=1, prefer=2).id == 3


def test_names_beat_aliases_and_unknown_or_empty_names_resolve_to_nothing():
    t = OrgTree([Org(1, "Alpha Trust", "", "organisation", None),
                 Org(2, "Beta Trust", "", "organisation", None)], aliases=[(2, "Alpha")])
    assert t.resolve("Alpha").id == 1
    assert t.resolve("Nowhere") is None and t.resolve("  ") is None and t.resolve("()") is None


def test_name_forms():
    assert name_forms(f"{LEEDS} (LCH)") == ["leeds community healthcare lch",
                                            "leeds community healthcare", "lch"]
    assert name_forms("Ashby Hospital (Outpatients)") == ["ashby hospital outpatients"]
    assert name_forms("The Royal & Ancient NHS Trust") == ["royal ancient"]


def test_descendants_ancestors_and_systems():
    t = tree()
    assert t.descendants(2) == {2, 3, 4}
    assert t.descendants_of([3, 5]) == {3, 4, 5, 6, 7}
    assert [o.id for o in t.ancestors(4)] == [3, 2, 1]
    assert t.system_of(4).id == 2 and t.system_of(2).id == 2 and t.system_of(1) is None
    assert t.system_of(None) is None and t.system_name(6) == "Humber and North Yorkshire ICS"
    assert t.name_with_system(4) == "Leeds Sexual Health (WY)"
    assert [o.id for o in t.below(1, levels=["organisation"])] == [3, 6, 7]  # in tree order
    assert [o.id for o in t.below(None, levels=["region"])] == [1, 8]


def test_added_organisations_resolve_on_a_copy_only():
    t = tree()
    copy = t.copy()
    copy.add(Org(-1, "Brand New Hospice", "", "organisation", 2))
    assert copy.resolve("Brand New Hospice (BNH)", within=2).id == -1
    assert copy.descendants(2) == {2, 3, 4, -1}
    assert t.resolve("Brand New Hospice") is None and t.descendants(2) == {2, 3, 4}


def test_a_cycle_ends_the_walks():
    t = OrgTree([Org(1, "A", "", "organisation", 2), Org(2, "B", "", "organisation", 1)])
    assert t.system_of(1) is None
    assert t.descendants(1) == {1, 2}
    assert [o.id for o in t.ancestors(1)] == [2]


# -- with the database ---------------------------------------------------------------


def _chain(depth: int, by) -> list:
    """region → system → place → organisation → unit, ``depth`` levels deep, two wide."""
    levels = [L.REGION, L.SYSTEM, L.PLACE, L.ORGANISATION, L.UNIT][:depth]
    chain, parent = [], None
    for level in levels:
        for n in (1, 2):
            org = actions.create_organisation(name=f"{level} {n}", level=level, parent=parent,
                                              aliases=(f"{level} alias {n}",), by=by)
        chain.append(org)
        parent = org
    return chain


@pytest.mark.parametrize("depth", [2, 5])
def test_walking_costs_two_queries_whatever_the_depth(db, django_assert_max_num_queries, depth):
    chain = _chain(depth, by=None)
    root, leaf = chain[0], chain[-1]
    with django_assert_max_num_queries(2):  # organisations, then aliases
        t = OrgTree.load()
        assert len(t.descendants(root.pk)) == 2 * depth - 1
        assert len(t.ancestors(leaf.pk)) == depth - 1
        t.system_of(leaf.pk)
        assert t.resolve(f"{leaf.level} alias 2", within=root.pk) == leaf


@pytest.mark.parametrize("depth", [2, 5])
def test_access_costs_few_queries_whatever_the_depth(world, django_assert_max_num_queries, depth):
    chain = _chain(depth, by=None)
    user = world.users["sam"]
    actions.add_member(review=world.review, member=user, role="contributor",
                       organisation=chain[0], by=None)
    # memberships, the organisations' version; the first time, organisations and aliases
    with django_assert_max_num_queries(4):
        access = access_for(user, world.review)
    assert chain[-1].pk in access.own_organisations()
    with django_assert_max_num_queries(2):  # the tree is kept until organisations change
        assert access_for(user, world.review) == access


def test_shared_tree_follows_changes_and_is_not_added_to(world):
    first = OrgTree.shared()
    assert OrgTree.shared() is first
    with pytest.raises(TypeError):
        first.add(Org(id=10**6, name="Nowhere Trust", short_name="", level="organisation",
                      parent_id=None))
    new = actions.create_organisation(name="Brand New Trust", level="organisation", by=None)
    second = OrgTree.shared()
    assert second is not first and second.get(new.pk) == new and first.get(new.pk) is None
    actions.add_alias(organisation=new, alias="Shiny Trust", by=None)
    assert OrgTree.shared().resolve("Shiny") == new
    copied = second.copy()
    copied.add(Org(id=10**6, name="Nowhere Trust", short_name="", level="organisation",
                   parent_id=None))
    assert copied.resolve("Nowhere") is not None and second.get(10**6) is None


def test_likely_match_sees_organisations_added_later_and_respects_the_scope():
    from stocktake.reviews.orgtree import Org, OrgTree

    tree = OrgTree([Org(1, "Region", "", "region", None), Org(2, "North ICS", "", "system", 1),
                    Org(3, "South ICS", "", "system", 1)])
    assert tree.likely_match("Quayside Hospice Charity") is None
    tree.add(Org(4, "Quayside Hospice", "", "organisation", 3))
    assert tree.likely_match("Quayside Hospice Charity").id == 4
    assert tree.likely_match("Quaysid Hospice").id == 4
    assert tree.likely_match("Quayside Hospice Charity", within=2) is None
    assert tree.likely_match("Quayside Hospice") is None  # it resolves: nothing to suggest
    assert tree.likely_match("QH") is None  # two letters are too few to be initials
