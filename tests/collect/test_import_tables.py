"""Importing tables whose rows name their own organisations and systems, and approaches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stocktake.collect.models import Finding, OrganisationApproach
from stocktake.core.models import AuditEvent
from stocktake.report.importing import import_document
from stocktake.reviews.models import Organisation, OrganisationLevel, Participant
from stocktake.reviews.orgtree import OrgTree
from tests.cli.test_cli import run
from tests.collect.table_shapes import PARTNER_APPROACHES, SYSTEM_ROWS, write_docx


def test_rows_naming_their_own_organisations_need_no_document_organisation(world, tmp_path):
    path = write_docx(SYSTEM_ROWS, tmp_path / "by-system.docx")
    result = import_document(review=world.review, path=path, by=world.users["lena"])
    assert result.ok and result.findings == 6
    by_org = {}
    for finding in Finding.objects.filter(source_document=result.document).select_related("organisation"):
        by_org.setdefault(finding.organisation.name, []).append(finding.text)
    assert sorted(by_org) == ["Dale Valley Hospice", "Fellmouth and Dale ICS",
                              "Thornbury General Hospital NHS Foundation Trust", "Wyck Borough Council"]
    # the system's own row belongs to the system, not to the organisation above it
    assert by_org["Fellmouth and Dale ICS"] == [
        "One escalation route was agreed for every partner in the system."]
    system = Organisation.objects.get(name="Fellmouth and Dale ICS")
    assert system.level == OrganisationLevel.SYSTEM
    hospice = Organisation.objects.get(name="Dale Valley Hospice")
    assert OrgTree.load().system_name(hospice.pk) == "Fellmouth and Dale ICS"


def test_a_chosen_organisation_is_only_the_fallback(world, tmp_path):
    path = write_docx(SYSTEM_ROWS, tmp_path / "by-system.docx")
    result = import_document(review=world.review, path=path, by=world.users["lena"],
                             organisation=world.orgs["ashby"])
    assert not Finding.objects.filter(source_document=result.document,
                                      organisation=world.orgs["ashby"]).exists()


def test_approach_column_is_each_organisations_approach_not_findings(world, tmp_path, login):
    path = write_docx(PARTNER_APPROACHES, tmp_path / "partners.docx")
    result = import_document(review=world.review, path=path, by=world.users["lena"])
    assert (result.findings, result.approaches) == (20, 8)
    assert "8 approaches" in result.message
    texts = set(Finding.objects.filter(source_document=result.document).values_list("text", flat=True))
    assert "Crew debriefs after each surge day." not in texts
    ambulance = Organisation.objects.get(name="Ashcombe Ambulance Service NHS Trust")
    approach = OrganisationApproach.objects.get(organisation=ambulance)
    assert (approach.text, approach.source_document) == ("Crew debriefs after each surge day.", result.document)
    assert AuditEvent.objects.filter(verb="approach.recorded", review=world.review).count() == 8
    participant = Participant.objects.get(review=world.review, organisation=ambulance)
    page = login(world.users["lena"]).get(reverse(
        "submission_form", kwargs={"slug": world.review.slug, "participant_id": participant.pk}))
    body = page.content.decode()
    assert "How Ashcombe Ambulance Service NHS Trust went about it" in body
    assert "Crew debriefs after each surge day." in body and "From partners.docx" in body


@pytest.mark.slow
def test_cli_imports_a_file_whose_rows_name_their_organisations(tmp_path):
    path = write_docx(SYSTEM_ROWS, tmp_path / "by-system.docx")
    data = str(tmp_path / "data")
    assert run("init", "--data-dir", data, cwd=tmp_path).returncode == 0
    created = run("review", "create", "--data-dir", data, "--title", "Winter", "--slug", "winter",
                  cwd=tmp_path)
    assert created.returncode == 0, created.stderr
    result = run("import", "--data-dir", data, "--review", "winter", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "6 findings" in result.stdout
    loose = tmp_path / "loose.txt"
    loose.write_text("PEOPLE\n\nChallenges:\n- Rotas were hard to fill.\n", encoding="utf-8")
    refused = run("import", "--data-dir", data, "--review", "winter", str(loose), cwd=tmp_path)
    assert refused.returncode != 0 and "does not say which organisation" in refused.stderr
    chosen = run("import", "--data-dir", data, "--review", "winter", str(loose),
                 "--organisation", "wyck borough council", cwd=tmp_path)
    assert chosen.returncode == 0, chosen.stderr
    assert "1 finding" in chosen.stdout
