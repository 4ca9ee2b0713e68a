import pytest

from stocktake.core.errors import InvalidInput
from stocktake.reviews import actions
from stocktake.reviews.orgtree import OrgTree, normalise_name


@pytest.mark.parametrize(
    "name",
    ["Ashby General Hospital NHS Foundation Trust", "ashby general hospital", "AGH",
     "Ashby General", "  ASHBY   GENERAL HOSPITAL NHS FT ",
     "Ashby General Hospital NHS Foundation Trust (AGH)"],
)
def test_long_short_and_alias_forms_resolve_to_one_organisation(world, name):
    assert OrgTree.load().resolve(name) == world.orgs["ashby"]


def test_resolution_can_be_limited_to_a_branch(world):
    tree = OrgTree.load()
    assert tree.resolve("AGH", within=world.orgs["eastmarsh"].pk) is None
    assert tree.resolve("AGH", within=world.orgs["northfold"].pk) == world.orgs["ashby"]


def test_unknown_and_empty_names(world):
    tree = OrgTree.load()
    assert tree.resolve("Nowhere Trust") is None
    assert tree.resolve("   ") is None


def test_hierarchy_and_system(world):
    tree = OrgTree.load()
    ashby = world.orgs["ashby"]
    assert tree.system_of(ashby.pk) == world.orgs["northfold"]
    assert [o.level for o in tree.ancestors(ashby.pk)] == ["system", "region"]


def test_organisation_cannot_sit_below_a_lower_level(world):
    with pytest.raises(InvalidInput, match="cannot sit below"):
        actions.create_organisation(name="Odd ICS", level="system", parent=world.orgs["ashby"],
                                    by=None)


def test_normalise_name_ignores_filler():
    assert normalise_name("The Royal & Ancient NHS Trust") == "royal ancient"
