"""Importing a previous report and a mapped spreadsheet into a review (database side)."""

from pathlib import Path

from stocktake.collect.importers import parse_mapping
from stocktake.core.models import AuditEvent
from stocktake.report.importing import import_document, import_paths
from stocktake.report.models import Recommendation
from stocktake.reviews.models import Organisation
from stocktake.reviews.orgtree import OrgTree

FIXTURES = Path(__file__).parent / "fixtures"


def test_a_pdf_report_becomes_numbered_recommendations_with_themes(world):
    result = import_document(review=world.review, path=FIXTURES / "pdf" / "previous-report.pdf",
                             by=world.users["lena"])
    assert (result.recommendations, result.findings, result.examples) == (5, 0, 2)
    recs = {r.text[:30]: r for r in Recommendation.objects.filter(review=world.review)}
    staff = recs["Employers should keep rest hub"]
    assert staff.section == "Supporting the health and wellbeing of staff"
    assert staff.theme.key == "staff-wellbeing"
    assert recs["The region should keep the sys"].theme.key == "full-system-working"


def test_spreadsheet_attributes_are_named_in_the_audit_event(world, tmp_path):
    path = tmp_path / "returns.csv"
    path.write_text("Who,Said,RAG\nAshby General,Rotas were hard to fill.,Red\n", encoding="utf-8")
    mapping = parse_mapping({"columns": {"Who": "organisation", "Said": "finding"}}, "m.yaml")
    result = import_document(review=world.review, path=path, by=world.users["lena"], mapping=mapping)
    assert result.findings == 1 and result.organisations_resolved == ["Ashby General Hospital NHS Foundation Trust"]
    event = AuditEvent.objects.get(verb="document.imported", review=world.review)
    assert event.details["attribute_columns"] == ["RAG"]


def test_the_loaded_tree_resolves_from_the_database(world):
    tree = OrgTree.load()
    ashby = world.orgs["ashby"]
    assert tree.resolve("Ashby General", within=world.review.region_id) == ashby
    assert tree.resolve("ashby general hospital nhs foundation trust") == ashby
    assert tree.resolve("Nobody in particular") is None


def test_a_failed_file_does_not_leave_rolled_back_organisations_in_the_shared_index(world, tmp_path, monkeypatch):
    from stocktake.collect import importing

    good = tmp_path / "a.txt"
    good.write_text("Organisation: Brand New Hospice\n\nPEOPLE\n\nChallenges:\n- Volunteers were tired.\n",
                    encoding="utf-8")
    calls = {"n": 0}
    real = importing.collect_actions.add_findings

    def fail_first(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise importing.InvalidInput("disk full")
        return real(**kwargs)

    monkeypatch.setattr(importing.collect_actions, "add_findings", fail_first)
    other = tmp_path / "b.txt"
    other.write_text(good.read_text(encoding="utf-8") + "- Rotas were hard.\n", encoding="utf-8")
    results = import_paths(review=world.review, paths=[good, other], by=world.users["lena"])
    assert not results[0].ok and results[1].ok
    assert Organisation.objects.filter(name="Brand New Hospice").count() == 1
