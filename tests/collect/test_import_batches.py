"""Import batches: each file's own result, exclusions, organisation choices, column roles,
saved mappings, and undo (exactly what the batch created goes; refused while other work
depends on it unless a lead confirms)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from stocktake.assess.actions import confirm_code
from stocktake.collect import actions as collect_actions
from stocktake.collect.choices import item_key, mapping_from, mapping_yaml
from stocktake.collect.importers import extract, load_mapping
from stocktake.collect.models import (
    BatchFileOutcome,
    BatchStatus,
    Example,
    Finding,
    ImportBatch,
    SourceDocument,
    Submission,
)
from stocktake.core.errors import InvalidInput, InvalidTransition, NotAllowed
from stocktake.core.models import AuditEvent
from stocktake.report import actions as report_actions
from stocktake.report.importing import import_document, import_paths
from stocktake.report.models import Recommendation
from stocktake.reviews.models import Organisation, Participant
from stocktake.track.imports.actions import DependentWork, undo_import

# Invented text: a table whose rows name their own organisations.
ROWS = [
    ("Ashby General Hospital NHS Foundation Trust", "Ward huddles twice a day cut delays."),
    ("Ashby General Hospital NHS Foundation Trust", "Discharge lounge opened at weekends."),
    ("Pellow Vale Hospice", "Volunteers phoned families after every death."),
    ("Quarry Lane Medical Group", "Shared care records reached every practice."),
]


def org_table(path: Path, *, header=("Organisation", "Key findings"), rows=ROWS) -> Path:
    document = docx.Document()
    document.add_paragraph("Learning from the winter: partners' findings")
    table = document.add_table(rows=1, cols=len(header))
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = text
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    document.save(path)
    return path


@pytest.fixture
def table_file(tmp_path):
    return org_table(tmp_path / "partners.docx")


def test_batch_records_each_file_and_a_bad_file_does_not_block(world, tmp_path, table_file):
    lena = world.users["lena"]
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"not a word file")
    batch = collect_actions.start_import_batch(review=world.review, by=lena)
    results = import_paths(review=world.review, paths=[bad, table_file], by=lena, batch=batch)
    assert [r.ok for r in results] == [False, True]
    outcomes = {f.name: f.outcome for f in batch.files.all()}
    assert outcomes == {"broken.docx": BatchFileOutcome.FAILED,
                        "partners.docx": BatchFileOutcome.IMPORTED}
    assert Finding.objects.filter(source_document__original_name="partners.docx").count() == 4
    kinds = set(batch.records.values_list("kind", flat=True))
    assert kinds == {"organisation", "participant"}  # two new organisations and participants


def test_undo_removes_exactly_what_the_batch_created(world, table_file):
    lena = world.users["lena"]
    before = {model: set(model.objects.values_list("pk", flat=True))
              for model in (Finding, Example, Submission, SourceDocument, Organisation,
                            Participant, Recommendation)}
    batch = collect_actions.start_import_batch(review=world.review, by=lena)
    import_document(review=world.review, path=table_file, by=lena, batch=batch)
    assert Organisation.objects.filter(name="Pellow Vale Hospice").exists()
    plan = undo_import(batch=batch, by=lena)
    assert len(plan.finding_ids) == 4 and len(plan.organisation_ids) == 2
    after = {model: set(model.objects.values_list("pk", flat=True)) for model in before}
    assert after == before
    batch.refresh_from_db()
    assert batch.status == BatchStatus.UNDONE and batch.undone_by == lena
    assert AuditEvent.objects.filter(verb="import.undone").count() == 1
    with pytest.raises(InvalidTransition, match="already undone"):
        undo_import(batch=batch, by=lena)
    # The same file can be imported again once undone.
    again = import_document(review=world.review, path=table_file, by=lena)
    assert again.created and again.findings == 4


def test_undo_is_refused_while_work_depends_on_it_unless_a_lead_confirms(world, table_file):
    lena, ravi = world.users["lena"], world.users["ravi"]
    batch = collect_actions.start_import_batch(review=world.review, by=ravi)
    import_document(review=world.review, path=table_file, by=ravi, batch=batch)
    finding = Finding.objects.filter(source_document__original_name="partners.docx").first()
    confirm_code(finding=finding, theme=world.framework.themes.first(), by=ravi)
    kept = report_actions.create_recommendation(review=world.review, text="Keep huddles going",
                                                findings=[finding], by=lena)
    with pytest.raises(DependentWork) as refused:
        undo_import(batch=batch, by=lena)
    message = str(refused.value)
    assert "1 theme decision" in message and f"Recommendation {kept.number} is based on" in message
    assert Finding.objects.filter(pk=finding.pk).exists()
    with pytest.raises(NotAllowed, match="Only a lead"):
        undo_import(batch=batch, by=ravi, confirm_dependents=True)
    undo_import(batch=batch, by=lena, confirm_dependents=True)
    assert not Finding.objects.filter(pk=finding.pk).exists()
    kept.refresh_from_db()
    assert kept.findings.count() == 0  # the recommendation stays, without the removed finding


def test_contributor_cannot_undo(world, table_file):
    batch = collect_actions.start_import_batch(review=world.review, by=world.users["lena"])
    import_document(review=world.review, path=table_file, by=world.users["lena"], batch=batch)
    with pytest.raises(NotAllowed):
        undo_import(batch=batch, by=world.users["connie"])
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.IMPORTED


def test_excluded_items_are_not_imported(world, table_file):
    result = import_document(review=world.review, path=table_file, by=world.users["lena"],
                             exclude={item_key("finding", 3)})
    texts = set(Finding.objects.filter(source_document=result.document).values_list("text", flat=True))
    assert result.findings == 3 and "Shared care records reached every practice." not in texts
    assert not Organisation.objects.filter(name="Quarry Lane Medical Group").exists()


def test_chosen_organisation_is_used_instead_of_a_new_one(world, table_file):
    bracken = world.orgs["bracken"]
    result = import_document(review=world.review, path=table_file, by=world.users["lena"],
                             organisations={"Pellow Vale Hospice": bracken})
    assert not Organisation.objects.filter(name="Pellow Vale Hospice").exists()
    finding = Finding.objects.get(source_document=result.document,
                                  text="Volunteers phoned families after every death.")
    assert finding.organisation == bracken


def test_changed_column_role_is_honoured(world, tmp_path):
    path = org_table(tmp_path / "roles.docx", header=("Partner", "Notes", "Lead contact"),
                     rows=[("Pellow Vale Hospice", "Bereavement calls within a week.", "A. Person")])
    plain = extract(path)
    assert [c for t in plain.column_roles for c in t.columns] == [
        ("Partner", "organisation"), ("Notes", "attribute"), ("Lead contact", "attribute")]
    mapping = mapping_from({"Notes": "challenges", "Lead contact": "ignore"})
    result = import_document(review=world.review, path=path, by=world.users["lena"], mapping=mapping)
    finding = Finding.objects.get(source_document=result.document)
    assert (finding.text, finding.section) == ("Bereavement calls within a week.", "challenges")


def test_saved_mapping_round_trips_as_a_mapping_file(world, tmp_path):
    saved = collect_actions.save_mapping(review=world.review, name="Partner tables",
                                         columns={"Notes": "finding", "Partner": "organisation"},
                                         by=world.users["lena"])
    path = tmp_path / "mapping.yaml"
    path.write_text(mapping_yaml(saved.columns))
    assert load_mapping(path).columns == {"notes": "text", "partner": "organisation"}
    with pytest.raises(InvalidInput, match="not a field"):
        collect_actions.save_mapping(review=world.review, name="Bad", columns={"Notes": "colour"},
                                     by=world.users["lena"])


def test_remove_finding_and_example_are_for_leads_and_reviewers(world):
    finding = world.findings["ashby"][0]
    with pytest.raises(NotAllowed):
        collect_actions.remove_finding(finding=finding, by=world.users["connie"])
    collect_actions.remove_finding(finding=finding, by=world.users["ravi"])
    assert not Finding.objects.filter(pk=finding.pk).exists()
    assert AuditEvent.objects.filter(verb="finding.removed").count() == 1
    example = collect_actions.add_example(review=world.review, title="Night sitters", by=world.users["lena"])
    collect_actions.remove_example(example=example, by=world.users["lena"])
    assert not Example.objects.filter(pk=example.pk).exists()


# -- the command line: --organisation, the batch number, undo -----------------------------


def cli(*args):
    from click.testing import CliRunner

    from stocktake.cli import main

    return CliRunner().invoke(main, list(args))


def test_cli_import_prints_the_batch_and_undo_removes_it(world, tmp_path, monkeypatch, table_file):
    monkeypatch.setenv("STOCKTAKE_DATA_DIR", str(tmp_path / "data"))
    notes = tmp_path / "notes.md"
    notes.write_text("People\n\n- Rest hubs stayed open all winter and were used.\n")
    refused = cli("import", str(notes), "--review", world.review.slug)
    assert refused.exit_code == 1 and "does not say which organisation" in refused.output
    done = cli("import", str(notes), str(table_file), "--review", world.review.slug,
               "--organisation", "Ashby General")
    assert done.exit_code == 0, done.output
    batch = ImportBatch.objects.latest("pk")
    assert f"Import batch {batch.pk}: undo it with `stocktake import undo {batch.pk}`" in done.output
    assert Finding.objects.get(source_document__original_name="notes.md").organisation == world.orgs["ashby"]
    unknown = cli("import", str(notes), "--review", world.review.slug, "--organisation", "Nowhere")
    assert unknown.exit_code == 1 and "--organisation 'Nowhere': no such organisation" in unknown.output

    finding = Finding.objects.filter(source_document__original_name="partners.docx").first()
    confirm_code(finding=finding, theme=world.framework.themes.first(), by=world.users["ravi"])
    blocked = cli("import", "undo", str(batch.pk))
    assert blocked.exit_code == 1 and "1 theme decision" in blocked.output and "--force" in blocked.output
    forced = cli("import", "undo", str(batch.pk), "--force")
    assert forced.exit_code == 0, forced.output
    assert "Undid import batch" in forced.output and "5 findings" in forced.output
    assert not SourceDocument.objects.filter(original_name__in=["notes.md", "partners.docx"]).exists()
    assert cli("import", "undo", "999").exit_code == 1


def test_undo_refuses_what_it_does_not_know_how_to_remove(world, table_file):
    from stocktake.collect.importing import ImportResult

    lena = world.users["lena"]
    batch = collect_actions.start_import_batch(review=world.review, by=lena)
    import_document(review=world.review, path=table_file, by=lena, batch=batch)
    collect_actions.record_batch_file(batch=batch, name="later.docx", by=lena, result=ImportResult(
        path="later.docx", error="", created_ids={"response": [1]}))
    with pytest.raises(InvalidTransition, match="also created response"):
        undo_import(batch=batch, by=lena)
    assert Finding.objects.filter(source_document__original_name="partners.docx").count() == 4


def test_a_background_import_whose_worker_died_is_marked_failed_and_can_be_undone(world, table_file):
    import datetime as dt

    from django.utils import timezone

    from stocktake.track.imports.actions import fail_stale_imports

    lena = world.users["lena"]
    batch = collect_actions.start_import_batch(review=world.review, by=lena)
    import_document(review=world.review, path=table_file, by=lena, batch=batch)
    collect_actions.set_batch_progress(batch=batch, by=lena, status=BatchStatus.RUNNING,
                                       files_total=2, files_done=1)
    with pytest.raises(InvalidTransition, match="still running"):
        undo_import(batch=batch, by=lena)
    assert fail_stale_imports(review=world.review) == []  # still within the limit
    later = timezone.now() + dt.timedelta(hours=2)
    assert fail_stale_imports(review=world.review, now=later) == [batch]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "stopped after 1 of 2 files" in batch.message
    undo_import(batch=batch, by=lena)
    assert not Finding.objects.filter(source_document__original_name="partners.docx").exists()


def test_undo_removes_the_case_studies_and_responses_its_documents_brought(world, table_file):
    from stocktake.collect.importers import ExtractedResponse
    from stocktake.report.models import CaseStudy
    from stocktake.track.actions import record_responses
    from stocktake.track.models import RecommendationResponse

    lena = world.users["lena"]
    batch = collect_actions.start_import_batch(review=world.review, by=lena)
    result = import_document(review=world.review, path=table_file, by=lena, batch=batch)
    report_actions.create_case_study(review=world.review, title="A night on the ward",
                                     text="The night sister told how the hub helped.", by=lena,
                                     source_document=result.document)
    earlier = report_actions.create_recommendation(review=world.review, text="Open hubs", by=lena)
    record_responses(review=world.review, by=lena, source_document=result.document, responses=[
        ExtractedResponse(label=str(earlier.number), number=earlier.number, text="Accepted.",
                          status="accepted")])
    plan = undo_import(batch=batch, by=lena)
    assert len(plan.case_study_ids) == 1 and len(plan.response_ids) == 1
    assert not CaseStudy.objects.exists() and not RecommendationResponse.objects.exists()
    assert Recommendation.objects.filter(pk=earlier.pk).exists()  # not the batch's own
