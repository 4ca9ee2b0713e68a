"""Full-text search: the index follows every change, scoping holds, filters narrow, ranking and
highlighting work — on SQLite (FTS5) and PostgreSQL (tsvector), whichever DATABASE_URL names."""

import pytest
from django.db import connection

from stocktake.assess import actions
from stocktake.assess.search import sources
from stocktake.assess.search.query import load, search
from stocktake.assess.search.sources import Scope, SearchFilters
from stocktake.assess.search.terms import highlight, parse
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import SectionKind
from stocktake.reviews.frameworks import items_of
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.permissions import access_for


def scope_for(world, name):
    domains, themes = items_of(world.review.framework)
    return Scope(
        access=access_for(world.users[name], world.review),
        tree=OrgTree.load(),
        domains=tuple(domains),
        themes=tuple(themes),
    )


def found(world, name, text, **filters):
    results = search(
        scope=scope_for(world, name), terms=parse(text), filters=SearchFilters(**filters)
    )
    hits = results[0:50]
    assert results.count() == len(hits)
    return [(hit.source, hit.id) for hit in hits]


def test_findings_are_found_by_stemmed_words_and_ranked(world):
    video, rest, data = world.findings["ashby"]
    assert found(world, "ravi", "consultation") == [("finding", video.pk)]
    assert found(world, "ravi", "Video CONSULTATIONS") == [("finding", video.pk)]
    assert found(world, "ravi", '"rest hubs"') == [("finding", rest.pk)]
    assert found(world, "ravi", '"hubs rest"') == []
    assert found(world, "ravi", "nothing-like-this") == []
    assert found(world, "ravi", "") == []
    # Two findings mention "regional": the one that says it twice ranks first.
    twice = collect_actions.add_findings(
        submission=world.submissions["ashby"],
        by=world.users["lena"],
        findings=[NewFinding("Regional calls and regional dashboards helped planning.")],
    )[0]
    assert [i for _, i in found(world, "ravi", "regional")] == [twice.pk, data.pk]


def test_the_index_follows_corrections_and_removals(world):
    video = world.findings["ashby"][0]
    lena = world.users["lena"]
    collect_actions.correct_finding(
        finding=video, by=lena, text="Telephone clinics replaced most follow-ups."
    )
    assert found(world, "lena", "video") == []
    assert found(world, "lena", "telephone") == [("finding", video.pk)]
    collect_actions.remove_finding(finding=video, by=lena)
    assert found(world, "lena", "telephone") == []


def test_scoping_drafts_and_contributors(world):
    draft = world.findings["bracken"][0]
    # The draft is seen by its own contributor only.
    assert found(world, "colin", "digitally") == [("finding", draft.pk)]
    assert found(world, "ravi", "digitally") == []
    assert found(world, "connie", "digitally") == []
    # Before publication a contributor sees only their own organisation's findings.
    assert found(world, "colin", "consultations") == []
    assert found(world, "connie", "consultations") == [("finding", world.findings["ashby"][0].pk)]
    # Viewers see nothing submitted before publication; strangers are not searched for.
    assert found(world, "vera", "consultations") == []


def test_memos_are_searched_by_leads_and_reviewers_only(world):
    video = world.findings["ashby"][0]
    memo = actions.add_memo(
        review=world.review,
        finding=video,
        by=world.users["ravi"],
        text="Ask Ashby whether the telephone follow-ups lasted.",
    )
    assert found(world, "lena", "lasted") == [("memo", memo.pk)]
    assert found(world, "ravi", "lasted", kinds=("memo",)) == [("memo", memo.pk)]
    assert found(world, "ravi", "lasted", kinds=("finding",)) == []
    assert found(world, "connie", "lasted") == []
    actions.update_memo(
        memo=memo, text="Ask about the winter peak.", by=world.users["lena"], expected_revision=1
    )
    assert found(world, "lena", "lasted") == []
    assert found(world, "lena", "peak") == [("memo", memo.pk)]
    actions.delete_memo(memo=memo, by=world.users["lena"], expected_revision=2)
    assert found(world, "lena", "peak") == []


def test_submission_sections_are_searched_within_scope(world):
    review = world.review
    submission = world.submissions["bracken"]
    section = collect_actions.save_section(
        submission=submission,
        domain=None,
        kind=SectionKind.LEARNING,
        text="Community hubs learned to share rotas weekly.",
        by=world.users["colin"],
    )
    assert found(world, "colin", "rotas") == [("section", section.pk)]
    assert found(world, "lena", "rotas") == []  # still a draft
    collect_actions.submit_submission(submission=submission, by=world.users["colin"])
    assert found(world, "lena", "rotas") == [("section", section.pk)]
    assert found(world, "lena", "rotas", theme="technology") == []  # sections have no themes
    assert found(world, "lena", "rotas", polarity="challenge") == []
    assert review.pk


def test_filters_narrow_findings_and_memos_through_their_subjects(world):
    video, rest, data = world.findings["ashby"]
    t = {x.key: x for x in world.framework.themes.all()}
    ravi = world.users["ravi"]
    actions.confirm_code(finding=rest, theme=t["staff-wellbeing"], by=ravi)
    on_theme = actions.add_memo(
        review=world.review,
        theme=t["staff-wellbeing"],
        by=ravi,
        text="Wellbeing support kept staff going.",
    )
    on_org = actions.add_memo(
        review=world.review,
        organisation=world.orgs["bracken"],
        by=ravi,
        text="Bracken staff describe support differently.",
    )
    staff = set(found(world, "ravi", "staff"))
    assert staff == {("finding", rest.pk), ("memo", on_theme.pk), ("memo", on_org.pk)}
    assert set(found(world, "ravi", "staff", theme="staff-wellbeing")) == {
        ("finding", rest.pk),
        ("memo", on_theme.pk),
    }
    assert set(found(world, "ravi", "staff", organisation=world.orgs["eastmarsh"].pk)) == {
        ("memo", on_org.pk)
    }
    assert set(found(world, "ravi", "staff", domain="people")) == {("finding", rest.pk)}
    assert set(found(world, "ravi", "staff", polarity="challenge")) == set()


def test_loaded_items_and_highlighting(world):
    video = world.findings["ashby"][0]
    scope = scope_for(world, "ravi")
    hits = search(scope=scope, terms=parse("consultations"), filters=SearchFilters())[0:10]
    [(hit, item)] = load(scope.access, hits)
    assert item.text == video.text and item.organisation_id == video.organisation_id
    snippet = highlight("<b>Video</b> consultations replaced clinics", parse("consultation"))
    assert ("consultations", True) in snippet.parts
    assert (
        "".join(text for text, _ in snippet.parts) == "<b>Video</b> consultations replaced clinics"
    )


def test_parse_keeps_query_syntax_out():
    terms = parse('care OR "home first" NEAR(a b) -x * ^ :')
    assert terms.fts5() == '"care" "or" "home first" "near" "a" "b" "x"'
    assert parse("  ") == parse("") and not parse("")
    assert len(parse(" ".join(f"w{i}" for i in range(50))).phrases) == 12


def test_every_source_code_is_unique_and_sqlite_or_postgres_holds_an_index(db):
    codes = [source.code for source in sources.SOURCES.values()]
    assert len(codes) == len(set(codes)) and all(0 < c < 16 for c in codes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_index")
        assert cursor.fetchone()[0] == 0
    with pytest.raises(ValueError):
        sources.register(sources.SearchSource("other", 1, "Other", bool, None, None))
