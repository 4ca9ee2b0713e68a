"""The theme matrix: themes × systems, × a system's organisations, × domains, with
consistent and distinctive messages and their quotes."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache

from stocktake.assess.actions import MachineCode, confirm_code, record_machine_codes
from stocktake.assess.matrix import Quote, _shown, matrix_counts, reach_of_themes, systems_grid
from stocktake.assess.themes import theme_assignments
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import Finding
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import access_for

MATRIX = "/reviews/winter-2025/matrix/"


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def coded(world):
    """Both systems submitted: wellbeing raised in both (consistent), technology only in
    Northfold (distinctive), regional relationship in both but once in Eastmarsh (shared)."""
    t = {x.key: x for x in world.framework.themes.all()}
    colin = world.users["colin"]
    extra = collect_actions.add_findings(
        submission=world.submissions["bracken"],
        by=colin,
        findings=[
            NewFinding(
                "Rest rooms for night staff were funded by the community trust charity.",
                polarity="achievement",
            ),
            NewFinding(
                "Wellbeing calls for every district nurse kept sickness absence down.",
                polarity="achievement",
            ),
            NewFinding(
                "Staff burnout in the community teams rose sharply by February.",
                polarity="challenge",
            ),
            NewFinding(
                "Regional returns took a day a week of a manager's time.", polarity="challenge"
            ),
        ],
    )
    collect_actions.submit_submission(submission=world.submissions["bracken"], by=colin)
    ashby = list(world.findings["ashby"])
    ashby += collect_actions.add_findings(
        submission=world.submissions["ashby"],
        by=world.users["lena"],
        findings=[
            NewFinding(
                "Psychological first aid training reached most ward sisters.",
                polarity="achievement",
            ),
            NewFinding(
                "Remote monitoring kits let patients go home two days sooner.",
                polarity="achievement",
            ),
        ],
    )
    video, rest, data, training, kits = ashby
    codes = [
        MachineCode(video, t["technology"], 0.9),
        MachineCode(kits, t["technology"], 0.8),
        MachineCode(rest, t["staff-wellbeing"], 0.9),
        MachineCode(training, t["staff-wellbeing"], 0.7),
        MachineCode(data, t["regional-relationship"], 0.8),
        MachineCode(extra[3], t["regional-relationship"], 0.8),
    ]
    codes += [MachineCode(f, t["staff-wellbeing"], 0.8) for f in extra[:3]]
    record_machine_codes(review=world.review, by=world.users["ravi"], codes=codes)
    return t, ashby, extra


def cells(html: str) -> list[str]:
    return re.findall(
        r'<td class="nhsuk-table__cell nhsuk-table__cell--numeric[^"]*">(.*?)</td>', html, re.S
    )


def text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_reviewer_sees_themes_by_system_with_the_split_and_links(world, login):
    t, ashby, extra = coded(world)
    page = login(world.users["ravi"]).get(MATRIX)
    assert page.status_code == 200
    html = page.content.decode()
    assert (
        '<caption class="nhsuk-u-visually-hidden">Findings for each theme (rows) by system' in html
    )
    assert html.count('scope="col"') == 4  # theme, two systems, all
    row = html.split(">Supporting the health and wellbeing of staff</a>")[1].split("</tr>")[0]
    # Eastmarsh (alphabetically first), Northfold, all: totals and achievement/challenge split.
    assert [text(c).split(" ")[0] for c in cells(row)] == ["3", "2", "5"]
    east = text(cells(row)[0])
    assert (
        "2 A achievements: Supporting the health and wellbeing of staff, Eastmarsh and Deane ICS"
        in east
    )
    assert (
        "1 C challenge: Supporting the health and wellbeing of staff, Eastmarsh and Deane ICS"
        in east
    )
    eastmarsh = world.orgs["eastmarsh"].pk
    link = (
        f"/reviews/winter-2025/findings/?theme=staff-wellbeing&amp;organisation={eastmarsh}"
        f"&amp;polarity=challenge"
    )
    assert link in row
    # The link shows exactly the counted findings.
    listing = login(world.users["ravi"]).get(link.replace("&amp;", "&")).content.decode()
    assert "Staff burnout in the community teams" in listing
    assert "Rest rooms for night staff" not in listing
    tech = html.split(">Using technology to improve care delivery")[1].split("</tr>")[0]
    assert [text(c).split(" ")[0] for c in cells(tech)] == ["0", "2", "2"]


def test_consistent_and_distinctive_messages_are_flagged_with_quotes(world, login):
    coded(world)
    html = login(world.users["lena"]).get(MATRIX).content.decode()
    messages = html.split("Consistent and distinctive messages")[1]
    wellbeing = messages.split("<li")[1]
    assert "Supporting the health and wellbeing of staff" in wellbeing and "Consistent" in wellbeing
    assert "Raised in 2 of 2 systems." in wellbeing
    assert wellbeing.count("<blockquote") == 2
    assert (
        "(Eastmarsh and Deane ICS)" in wellbeing
        and "(Northfold Integrated Care System)" in wellbeing
    )
    technology = messages.split("<li")[2]
    assert "Distinctive" in technology
    assert "Raised only in Northfold Integrated Care System." in technology
    # Regional relationship: one finding in Eastmarsh is not a system's message.
    assert "regional body" not in messages
    row = html.split('scope="row"')[1:]
    flagged = [r.split("</th>")[0] for r in row if "nhsuk-tag" in r.split("</th>")[0]]
    assert len(flagged) == 2


def test_counts_follow_a_reviewers_decision(world, login):
    t, ashby, extra = coded(world)
    client = login(world.users["ravi"])
    client.get(MATRIX)
    confirm_code(finding=extra[3], theme=t["staff-wellbeing"], by=world.users["ravi"])
    row = (
        client.get(MATRIX)
        .content.decode()
        .split(">Supporting the health and wellbeing of staff</a>")[1]
        .split("</tr>")[0]
    )
    assert [text(c).split(" ")[0] for c in cells(row)] == ["4", "2", "6"]


def test_organisations_of_a_system_and_domains(world, login):
    coded(world)
    client = login(world.users["lena"])
    northfold = world.orgs["northfold"].pk
    html = client.get(MATRIX, {"by": "organisations", "system": northfold}).content.decode()
    assert "by organisation in Northfold Integrated Care System (columns)" in html
    assert "Ashby General Hospital NHS Foundation Trust</th>" in html
    ashby = world.orgs["ashby"].pk
    assert f"theme=technology&amp;organisation={ashby}" in html
    html = client.get(MATRIX, {"by": "domains"}).content.decode()
    assert "by domain (columns)" in html and "No domain</th>" in html
    assert "domain=people&amp;theme=staff-wellbeing" in html


def test_bad_choices_get_one_clear_message(world, login):
    coded(world)
    client = login(world.users["lena"])
    response = client.get(MATRIX, {"by": "organisations", "system": "999999"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a system that has findings to see its organisations" in html
    assert "by system (columns)" in html  # the systems view is shown meanwhile
    response = client.get(MATRIX, {"by": "sideways"})
    assert response.status_code == 400
    assert "Choose to show the matrix by system" in response.content.decode()


@pytest.mark.parametrize(
    "persona, status", [("connie", 403), ("vera", 403), ("sam", 404), ("lena", 200)]
)
def test_who_may_open_the_matrix(world, login, persona, status):
    assert login(world.users[persona]).get(MATRIX).status_code == status


def test_sql_counts_agree_with_the_rule_in_python(world):
    coded(world)
    findings = Finding.objects.filter(review=world.review)
    theme_ids = [t.pk for t in world.framework.themes.all()]
    counts = matrix_counts(findings, theme_ids=theme_ids)
    tree = OrgTree.load()
    grid = systems_grid(counts, tree)
    reach = reach_of_themes(counts, tree)
    expected = {}
    for finding in findings:
        for theme in theme_assignments(findings).get(finding.pk, ()):
            expected[theme] = expected.get(theme, 0) + 1
    assert {t: c.total for t, c in grid.totals.items()} == expected
    assert reach[world.framework.themes.get(key="technology").pk].pattern == "distinctive"


def test_quotes_hide_undecided_personal_data_from_reviewers_but_not_leads(world):
    (finding,) = collect_actions.add_findings(
        submission=world.submissions["ashby"],
        by=world.users["lena"],
        findings=[NewFinding("Ask jo.bloggs@example.org for the rest hub rota.")],
    )
    quotes = {1: [Quote(finding.pk, finding.text, "Ashby", "Northfold")]}
    lead = _shown(quotes, access_for(world.users["lena"], world.review))
    reviewer = _shown(quotes, access_for(world.users["ravi"], world.review))
    assert "jo.bloggs@example.org" in lead[1][0].text
    assert "jo.bloggs@example.org" not in reviewer[1][0].text
