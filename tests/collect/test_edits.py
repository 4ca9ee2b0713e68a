"""Correcting findings and editing examples."""

from __future__ import annotations

import pytest

from stocktake.collect import actions
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent


def domains(world):
    return {d.key: d for d in world.framework.domains.all()}


def test_correct_finding_changes_fields_and_audits_names_not_text(world):
    ravi, data = world.users["ravi"], world.findings["ashby"][2]
    finding = actions.correct_finding(
        finding=data, by=ravi, text="Weekly  data requests\nduplicated reporting.",
        domain=domains(world)["people"], polarity="mixed", section="learning",
        organisation=world.orgs["bracken"])
    finding.refresh_from_db()
    assert finding.text == "Weekly data requests duplicated reporting."
    assert (finding.domain.key, finding.polarity, finding.polarity_origin) == (
        "people", "mixed", "human")
    assert (finding.section, finding.organisation) == ("learning", world.orgs["bracken"])
    event = AuditEvent.objects.get(verb="finding.corrected")
    assert event.actor == ravi and event.details == {"fields": [
        "domain", "organisation", "polarity", "polarity_origin", "section", "text"]}
    assert "reporting" not in str(event.details)


@pytest.mark.parametrize("changes,message", [
    ({"text": "  "}, "needs its text"),
    ({"polarity": "happy"}, "Unknown polarity 'happy'"),
    ({"section": "misc"}, "Unknown section 'misc'"),
    ({"organisation": None}, "must belong to an organisation"),
    ({"source_location": "p. 2"}, "'source_location' of a finding cannot be changed"),
])
def test_correct_finding_refuses_bad_values(world, changes, message):
    with pytest.raises(InvalidInput, match=message):
        actions.correct_finding(finding=world.findings["ashby"][2], by=None, **changes)
    assert not AuditEvent.objects.filter(verb="finding.corrected").exists()


def test_update_example_changes_fields_and_audits_names(world):
    lena = world.users["lena"]
    example = actions.add_example(review=world.review, title="Rest hubs", by=lena)
    example = actions.update_example(example=example, by=lena, title=" Round-the-clock  rest hubs",
                                     synopsis=" Support on every site. ",
                                     organisation=world.orgs["ashby"],
                                     domain=domains(world)["people"])
    example.refresh_from_db()
    assert (example.title, example.synopsis) == ("Round-the-clock rest hubs",
                                                 "Support on every site.")
    assert (example.organisation, example.domain.key) == (world.orgs["ashby"], "people")
    event = AuditEvent.objects.get(verb="example.updated")
    assert event.details == {"fields": ["domain", "organisation", "synopsis", "title"]}


def test_update_example_refuses_an_empty_title_or_an_unknown_field(world):
    example = actions.add_example(review=world.review, title="Rest hubs", by=None)
    with pytest.raises(InvalidInput, match="needs a title"):
        actions.update_example(example=example, title=" ", by=None)
    with pytest.raises(InvalidInput, match="'review' of an example cannot be changed"):
        actions.update_example(example=example, review=None, by=None)
