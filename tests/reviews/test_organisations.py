import pytest

from stocktake.core.errors import InvalidInput
from stocktake.reviews import actions
from stocktake.reviews.organisations import normalise_name, resolve_organisation


@pytest.mark.parametrize(
    "name",
    ["Ashby General Hospital NHS Foundation Trust", "ashby general hospital", "AGH",
     "Ashby General", "  ASHBY   GENERAL HOSPITAL NHS FT "],
)
def test_long_short_and_alias_forms_resolve_to_one_organisation(world, name):
    assert resolve_organisation(name) == world.orgs["ashby"]


def test_resolution_can_be_limited_to_a_branch(world):
    assert resolve_organisation("AGH", within=world.orgs["eastmarsh"]) is None
    assert resolve_organisation("AGH", within=world.orgs["northfold"]) == world.orgs["ashby"]


def test_unknown_and_empty_names(world):
    assert resolve_organisation("Nowhere Trust") is None
    assert resolve_organisation("   ") is None


def test_hierarchy_and_system(world):
    ashby = world.orgs["ashby"]
    assert ashby.system == world.orgs["northfold"]
    assert [o.level for o in ashby.ancestors()] == ["system", "region"]


def test_organisation_cannot_sit_below_a_lower_level(world):
    with pytest.raises(InvalidInput, match="cannot sit below"):
        actions.create_organisation(name="Odd ICS", level="system", parent=world.orgs["ashby"],
                                    by=None)


def test_normalise_name_ignores_filler():
    assert normalise_name("The Royal & Ancient NHS Trust") == "royal ancient"
