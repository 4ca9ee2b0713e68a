"""import_document / import_paths: atomic, idempotent, linked back to their source."""

from pathlib import Path

import pytest
from django.conf import settings

from stocktake.collect import importing
from stocktake.collect.models import Example, Finding, SourceDocument, Submission, SubmissionStatus
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.report.importing import import_document, import_paths
from stocktake.report.models import Recommendation
from stocktake.reviews.models import Organisation, Participant
from stocktake.reviews.orgtree import OrgTree
from tests.collect.conftest import SUBMISSIONS


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "documents"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_import_a_docx_creates_document_submission_findings_and_file(world):
    lena = world.users["lena"]
    before = world.review.findings.count()
    result = import_document(review=world.review, path=SUBMISSIONS / "velbrook-teaching-hospitals.docx",
                             by=lena)
    assert result.created and result.ok
    assert (result.findings, result.examples) == (42, 5)
    assert world.review.findings.count() == before + 42
    document = result.document
    assert document.format == "docx" and len(document.sha256) == 64
    stored = Path(settings.MEDIA_ROOT) / document.stored_path
    assert stored.read_bytes() == (SUBMISSIONS / "velbrook-teaching-hospitals.docx").read_bytes()
    assert stored.name == f"{document.sha256[:16]}-velbrook-teaching-hospitals.docx"
    assert document.stored_path.startswith(f"documents/{world.review.slug}/")
    # the organisation did not exist in the personas' region, so it was created under its system
    org = Organisation.objects.get(name="Velbrook Teaching Hospitals NHS Foundation Trust")
    assert OrgTree.load().system_name(org.pk) == "Velbrook and Ostley ICS"
    assert result.organisations_created == [
        "Velbrook and Ostley ICS (system)",
        "Velbrook Teaching Hospitals NHS Foundation Trust in Velbrook and Ostley ICS"]
    assert org.kind == "acute_trust"
    submission = Submission.objects.get(source_document=document)
    assert submission.status == SubmissionStatus.SUBMITTED and submission.participant.organisation == org
    first = Finding.objects.filter(source_document=document).order_by("position").first()
    assert first.source_location == "heading 'Governance' › 'Key achievements' › bullet 1"
    assert first.domain.key == "governance" and first.polarity == "achievement"
    assert first.submission == submission and first.organisation == org
    assert Example.objects.filter(source_document=document, organisation=org).count() == 5
    assert AuditEvent.objects.filter(verb="document.imported", review=world.review).count() == 1
    assert "42 findings" in result.message


def test_reimporting_the_same_bytes_changes_nothing(world, tmp_path):
    lena = world.users["lena"]
    path = SUBMISSIONS / "ostley-community-health.txt"
    first = import_document(review=world.review, path=path, by=lena)
    counts = (Finding.objects.count(), SourceDocument.objects.count(), Submission.objects.count(),
              AuditEvent.objects.count())
    copy = tmp_path / "renamed-copy.txt"
    copy.write_bytes(path.read_bytes())
    again = import_document(review=world.review, path=copy, by=lena)
    assert not again.created and again.document == first.document
    assert "already imported" in again.message
    assert counts == (Finding.objects.count(), SourceDocument.objects.count(),
                      Submission.objects.count(), AuditEvent.objects.count())
    assert len(_stored_files()) == 1


def test_existing_organisations_are_resolved_by_alias(world, tmp_path):
    path = tmp_path / "ashby.txt"
    path.write_text("Organisation: Ashby General\nSystem: Northfold ICS\n\nPEOPLE\n\nChallenges:\n"
                    "- Rotas were hard to fill.\n", encoding="utf-8")
    result = import_document(review=world.review, path=path, by=world.users["lena"])
    assert result.organisations_created == []
    assert result.organisations_resolved == ["Ashby General Hospital NHS Foundation Trust"]
    # the participant already existed; a second submission comes from the file
    assert Participant.objects.filter(review=world.review, organisation=world.orgs["ashby"]).count() == 1
    assert Submission.objects.filter(participant__organisation=world.orgs["ashby"]).count() == 2


def test_a_failure_midway_leaves_no_rows_and_no_file(world, monkeypatch):
    counts = (Finding.objects.count(), SourceDocument.objects.count(), Submission.objects.count(),
              Organisation.objects.count(), Example.objects.count())

    def explode(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(importing.collect_actions, "add_example", explode)
    with pytest.raises(RuntimeError):
        import_document(review=world.review, path=SUBMISSIONS / "velbrook-teaching-hospitals.docx",
                        by=world.users["lena"])
    assert counts == (Finding.objects.count(), SourceDocument.objects.count(),
                      Submission.objects.count(), Organisation.objects.count(), Example.objects.count())
    assert _stored_files() == []


def test_a_failure_writing_the_file_rolls_back_the_rows(world, monkeypatch):
    before = Finding.objects.count()

    def broken_store(*args, **kwargs):
        raise OSError("no space left on device")

    monkeypatch.setattr(importing.files, "store_original", broken_store)
    with pytest.raises(OSError):
        import_document(review=world.review, path=SUBMISSIONS / "ostley-community-health.txt",
                        by=world.users["lena"])
    assert Finding.objects.count() == before and SourceDocument.objects.count() == 0


def test_bad_files_raise_invalid_input_naming_the_file(world, tmp_path):
    path = tmp_path / "upload-1234.tmp"
    path.write_bytes(b"\x00junk")
    with pytest.raises(InvalidInput,
                       match=r"^Board paper\.docx: is not a Word document") as raised:
        import_document(review=world.review, path=path, by=world.users["lena"],
                        original_name="Board paper.docx")
    assert str(raised.value).count(":") == 1  # the file name's colon only
    assert SourceDocument.objects.count() == 0 and _stored_files() == []


def test_a_file_that_names_no_organisation(world, tmp_path):
    path = tmp_path / "anonymous.txt"
    path.write_text("GOVERNANCE\n\nChallenges:\n- Too many meetings.\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="does not say which organisation"):
        import_document(review=world.review, path=path, by=world.users["lena"])
    result = import_document(review=world.review, path=path, by=world.users["lena"],
                             organisation=world.orgs["bracken"])
    assert Finding.objects.get(source_document=result.document).organisation == world.orgs["bracken"]


def test_recommendations_from_a_previous_report(world, tmp_path):
    path = tmp_path / "last-report.md"
    path.write_text(
        "# Submission from Ashby General\n\n## Recommendations\n\n### Staff wellbeing\n\n"
        "1. Keep the rest hubs open.\n2. Offer psychological support to every team.\n\n"
        "### Using technology to improve care delivery\n\n7. Offer video follow-up to all.\n",
        encoding="utf-8")
    result = import_document(review=world.review, path=path, by=world.users["lena"])
    assert result.recommendations == 3
    recs = {r.text: r for r in Recommendation.objects.filter(review=world.review)}
    # personas already hold numbers 1 and 2, so those take the next free numbers
    assert recs["Offer video follow-up to all."].number == 7
    assert recs["Offer video follow-up to all."].theme.key == "technology"
    kept = recs["Keep the rest hubs open."]
    assert kept.number not in (1, 2) and kept.shown_number == "1"  # its printed label stays
    assert kept.source_document == result.document
    assert any("already has a recommendation 1" in p.message and "from last-report.md" in p.message
               for p in result.problems)


def test_the_preview_warns_of_labels_the_review_already_has(world, tmp_path):
    from stocktake.collect.importers import extract
    from stocktake.collect.preview_parts import report_parts
    path = tmp_path / "report.md"
    path.write_text("# A report\n\n## Recommendations\n\n1. Keep the rest hubs open.\n"
                    "2. Offer support to every team.\n3. Publish the rota.\n", encoding="utf-8")
    parts = report_parts(world.review, extract(path))
    assert parts.labels_taken == ["1", "2"]  # the personas' recommendations hold 1 and 2
    assert "already has 2 recommendations numbered 1, 2" in parts.labels_taken_summary


def test_import_paths_takes_folders_and_reports_each_file(world, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("ostley-community-health.txt", "carrowfold-partnership-form-export.csv"):
        (folder / name).write_bytes((SUBMISSIONS / name).read_bytes())
    (folder / "broken.docx").write_bytes(b"not a zip")
    (folder / "truncated.pdf").write_bytes(b"%PDF")
    (folder / "ignored.pages").write_bytes(b"not supported")
    (folder / ".hidden.txt").write_text("x")
    seen = []
    results = import_paths(review=world.review, paths=[folder], by=world.users["lena"],
                           progress=lambda done, total, r: seen.append((done, total)))
    assert [Path(r.path).name for r in results] == [
        "broken.docx", "carrowfold-partnership-form-export.csv", "ostley-community-health.txt",
        "truncated.pdf"]
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert not results[0].ok and "broken.docx" in results[0].error
    assert not results[3].ok and results[3].error.startswith("truncated.pdf: ")
    assert results[1].findings == 25 and results[2].findings == 26
    with pytest.raises(InvalidInput):
        import_paths(review=world.review, paths=[folder / "broken.docx"], by=None, stop_on_error=True)


def test_an_edited_copy_of_an_imported_file_warns_and_deletes_nothing(world, tmp_path):
    lena = world.users["lena"]
    original = SUBMISSIONS / "ostley-community-health.txt"
    first = import_document(review=world.review, path=original, by=lena)
    assert first.warnings == []
    edited = tmp_path / "ostley-community-health.txt"
    edited.write_bytes(original.read_bytes() + b"\n- A new point added in the second copy.\n")
    second = import_document(review=world.review, path=edited, by=lena)
    assert second.created and len(second.warnings) == 1
    warning = second.warnings[0]
    assert "already has a submission imported from 'ostley-community-health.txt' on" in warning
    assert f"this adds {second.findings} findings alongside it" in warning
    assert f"({first.findings} of them repeat" in warning
    assert str(second.problems[0]).endswith(warning) and "possible second copy" in second.message
    assert world.review.findings.filter(source_document=first.document).count() == first.findings
