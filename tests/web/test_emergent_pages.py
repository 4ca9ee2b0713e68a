"""Emergent themes in the web: a seeded background run, readable labels, compare, rename,
merge, split and promote."""

from __future__ import annotations

import re

import pytest

from stocktake.assess.actions import MachineCode, record_machine_codes
from stocktake.assess.emergent.actions import (
    merge_emergent_themes,
    promote_emergent_theme,
    queue_emergent_themes,
    rename_emergent_theme,
    split_emergent_theme,
)
from stocktake.assess.models import Code, CodeOrigin, EmergentRun, EmergentTheme
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.reviews.frameworks import items_of
from tests.assess.test_tasks import run_queue

EMERGENT = "/reviews/winter-2025/analysis/emergent/"

TOPICS = {
    "care home visiting": [
        "Care home visiting resumed in pods with screens by late spring.",
        "Families asked for care home visiting to restart before the summer.",
        "Care home visiting rules changed weekly and confused relatives.",
        "Outdoor care home visiting was arranged for residents with dementia.",
        "Staff supervised care home visiting in the garden every afternoon.",
        "Care home visiting was paused again during the outbreak in March.",
    ],
    "virtual ward": [
        "The virtual ward monitored oxygen levels at home for frail patients.",
        "Patients on the virtual ward were called twice a day by nurses.",
        "A virtual ward for respiratory patients freed twelve beds a week.",
        "GPs referred patients straight to the virtual ward from surgeries.",
        "The virtual ward used pulse oximeters lent by the acute trust.",
        "Night cover for the virtual ward came from the hospital at home team.",
    ],
    "mutual aid": [
        "Mutual aid between trusts moved gowns and masks within hours.",
        "Councils offered mutual aid with drivers for prescription deliveries.",
        "A mutual aid agreement let hospices borrow syringe drivers.",
        "Mutual aid requests went through one shared inbox for the system.",
        "Pharmacies used mutual aid to cover staff who were shielding.",
        "The ambulance service received mutual aid from neighbouring counties.",
    ],
}


def add_topics(world):
    """Both systems submit eighteen findings on three topics (alternating organisations)."""
    ashby, bracken = world.submissions["ashby"], world.submissions["bracken"]
    texts = [t for group in TOPICS.values() for t in group]
    collect_actions.add_findings(
        submission=ashby, by=world.users["lena"], findings=[NewFinding(t) for t in texts[0::2]]
    )
    collect_actions.add_findings(
        submission=bracken, by=world.users["colin"], findings=[NewFinding(t) for t in texts[1::2]]
    )
    collect_actions.submit_submission(submission=bracken, by=world.users["colin"])


def run_done(world, seed=0, include_all=True) -> EmergentRun:
    run = queue_emergent_themes(
        review=world.review, by=world.users["ravi"], seed=seed, include_all=include_all
    )
    run_queue()
    run.refresh_from_db()
    assert run.status == "done", run.message
    return run


def labels(run):
    return sorted(run.themes.values_list("label", flat=True))


def members(theme):
    return sorted(theme.members.values_list("finding_id", flat=True))


def test_a_run_finds_readable_themes_reproducibly(world):
    add_topics(world)
    run = run_done(world, seed=3)
    found = labels(run)
    assert "Care home visiting" in found and "Virtual ward" in found and "Mutual aid" in found
    again = run_done(world, seed=3)
    assert labels(again) == found
    assert [members(t) for t in again.themes.all()] == [members(t) for t in run.themes.all()]
    assert run.considered == 22 and run.parameters["seed"] == 3
    event = AuditEvent.objects.filter(verb="emergent.completed").first()
    assert event.details["seed"] == 3 and event.details["themes"] == len(found)


def test_labels_are_phrases_from_the_members_own_text(world):
    add_topics(world)
    run = run_done(world)
    for theme in run.themes.all():
        texts = " ".join(m.finding.text.lower() for m in theme.members.select_related("finding"))
        assert theme.label.lower() in texts, theme.label
        assert " / " not in theme.label


def test_run_page_shows_size_spread_and_quotes_and_polls_while_queued(world, login):
    add_topics(world)
    client = login(world.users["lena"])
    response = client.post(EMERGENT, {"which": "all", "seed": "5"})
    run = EmergentRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{EMERGENT}{run.pk}/"
    html = client.get(response["Location"]).content.decode()
    assert 'hx-trigger="every 2s"' in html and ">Refresh</a>" in html
    run_queue()
    html = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in html
    assert "Care home visiting</a>" in html
    assert re.search(r"\d+ findings from 2 organisations in 2 of 2 systems", html)
    assert html.count("<blockquote") >= 6
    plain = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Seed 5 " in plain, plain[:3000]


def test_bad_start_gets_one_clear_message(world, login):
    client = login(world.users["lena"])
    response = client.post(EMERGENT, {"which": "all", "seed": "minus one"})
    assert response.status_code == 400
    assert "Seed must be a whole number, for example 0" in response.content.decode()
    assert not EmergentRun.objects.exists()


def test_compare_two_runs(world, login):
    add_topics(world)
    first, second = run_done(world, seed=1), run_done(world, seed=2)
    client = login(world.users["ravi"])
    html = client.get(f"{EMERGENT}{first.pk}/compare/", {"with": second.pk}).content.decode()
    assert f"Run {first.pk} compared with run {second.pk}" in html
    assert re.search(r"Of the \d+ findings in a theme in both runs, \d+%", html)
    assert "Care home visiting</a>" in html
    bad = client.get(f"{EMERGENT}{first.pk}/compare/", {"with": "x"})
    assert bad.status_code == 302
    assert "Choose another run" in client.get(bad["Location"]).content.decode()


def test_rename_merge_split_through_the_pages(world, login):
    add_topics(world)
    run = run_done(world)
    client = login(world.users["ravi"])
    care = run.themes.get(label="Care home visiting")
    ward = run.themes.get(label="Virtual ward")
    page = f"{EMERGENT}{run.pk}/themes/{care.number}/"
    assert client.get(page).status_code == 200
    client.post(page + "rename/", {"label": "  Visiting in care homes "})
    care.refresh_from_db()
    assert (care.label, care.machine_label) == ("Visiting in care homes", "Care home visiting")
    response = client.post(page + "rename/", {"label": ""})
    assert "Enter the theme&#39;s name" in client.get(response["Location"]).content.decode()
    together = care.members.count() + ward.members.count()
    client.post(page + "merge/", {"other": str(ward.number)})
    assert not EmergentTheme.objects.filter(pk=ward.pk).exists()
    assert care.members.count() == together
    client.post(page + "split/")
    care.refresh_from_db()
    new = run.themes.order_by("-number").first()
    assert care.label == "Visiting in care homes"  # a reviewer's name stays
    assert care.members.count() + new.members.count() == together
    assert new.label in ("Virtual ward", "Care home visiting")
    assert (
        AuditEvent.objects.filter(
            verb__in=["emergent.renamed", "emergent.merged", "emergent.split"]
        ).count()
        == 3
    )


def test_promote_adds_a_framework_theme_and_suggests_it(world, login):
    add_topics(world)
    run = run_done(world)
    aid = run.themes.get(label="Mutual aid")
    client = login(world.users["lena"])
    client.post(f"{EMERGENT}{run.pk}/themes/{aid.number}/promote/", {"name": ""})
    aid.refresh_from_db()
    theme = aid.promoted_to
    assert theme.name == "Mutual aid" and theme.key == "mutual-aid"
    assert theme.framework_id == world.review.framework_id
    assert "Mutual aid" in [
        t.name for t in items_of(world.review.framework).themes
    ] or "Mutual aid" in [
        t.name for t in items_of(type(world.framework).objects.get(pk=world.framework.pk)).themes
    ]
    codes = Code.objects.filter(theme=theme, origin=CodeOrigin.MACHINE)
    assert sorted(codes.values_list("finding_id", flat=True)) == members(aid)
    assert set(codes.values_list("rank", flat=True)) == {0}  # nothing else was suggested
    # A second promotion is refused with one message.
    with pytest.raises(InvalidInput, match="already the framework theme"):
        promote_emergent_theme(theme=aid, by=world.users["lena"])
    # The matrix counts the promoted theme.
    html = client.get("/reviews/winter-2025/matrix/").content.decode()
    assert ">Mutual aid</a>" in html


def test_actions_refuse_what_does_not_fit(world):
    add_topics(world)
    run, other = run_done(world), run_done(world, seed=9)
    a, b = run.themes.all()[:2]
    with pytest.raises(InvalidInput, match="same run"):
        merge_emergent_themes(keep=a, absorb=other.themes.first(), by=None)
    with pytest.raises(InvalidInput, match="another theme"):
        merge_emergent_themes(keep=a, absorb=a, by=None)
    with pytest.raises(InvalidInput, match="1 to 200"):
        rename_emergent_theme(theme=a, label=" ", by=None)
    merge_emergent_themes(keep=a, absorb=b, by=None)
    for _ in range(10):  # split the smallest theme until one has fewer than four findings
        sizes = sorted((t.members.count(), t.number, t) for t in run.themes.all())
        if sizes[0][0] < 4:
            break
        split_emergent_theme(theme=sizes[0][2], by=None)
    small = sizes[0][2]
    assert small.members.count() < 4
    with pytest.raises(InvalidInput, match="at least four"):
        split_emergent_theme(theme=small, by=None)


@pytest.mark.parametrize("persona, status", [("connie", 403), ("vera", 403), ("ravi", 200)])
def test_who_may_see_emergent_themes(world, login, persona, status):
    assert login(world.users[persona]).get(EMERGENT).status_code == status


def test_promoting_ranks_below_the_analysis_own_suggestions(world):
    add_topics(world)
    run = run_done(world)
    aid = run.themes.get(label="Mutual aid")
    first = aid.members.order_by("position").first().finding
    other = world.framework.themes.get(key="full-system-working")
    record_machine_codes(review=world.review, by=None, codes=[MachineCode(first, other, 0.7)])
    theme = promote_emergent_theme(theme=aid, by=world.users["lena"], name="Aid between partners")
    assert theme.name == "Aid between partners"
    ranks = dict(Code.objects.filter(theme=theme).values_list("finding_id", "rank"))
    assert ranks[first.pk] == 1 and set(ranks.values()) == {0, 1}
    # The coder now knows the theme: its keywords are the emergent theme's phrases.
    assert theme.keywords[0] == "Mutual aid"
