"""The collect presenters, without the database."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as Row

from stocktake.collect.staging import FilePreview, NewOrganisation, OrgPreview
from stocktake.reviews.orgtree import Org, OrgTree
from stocktake.web.presenters.collect import (
    check_rows,
    file_size,
    form_fields,
    organisation_choices,
    organisation_groups,
    organisation_items,
    organisation_lines,
    participation_rows,
)

PEOPLE = Row(key="people", name="People", description="Staff and teams")
WHEN = dt.datetime(2025, 3, 3, 10, 0, tzinfo=dt.UTC)


def invitation(pid, kind="invitation", sent=WHEN, revoked=None, used=None, reason="",
               created=WHEN):
    return Row(participant_id=pid, kind=kind, sent_at=sent, revoked_at=revoked, last_used_at=used,
               revoke_reason=reason, created_at=created)


def participant(pk, name, contact="", email="", invited=None):
    return Row(pk=pk, organisation=Row(name=name), contact_name=contact, contact_email=email,
               invited_at=invited)


def test_form_fields_group_five_fields_per_domain_with_values_and_errors():
    [group] = form_fields([PEOPLE], values={"people--challenges": "Hard"},
                          errors={"people--keep": ["Too long"]})
    assert [f.id for f in group.fields] == ["people--achievements", "people--challenges",
                                            "people--learning", "people--examples", "people--keep"]
    assert group.fields[1].value == "Hard" and group.fields[4].error == "Too long"
    assert group.fields[0].maxlength == 5000


def test_check_rows_link_each_answer_back_to_its_field():
    [section] = check_rows(form_fields([PEOPLE], values={"people--learning": "Learned"}),
                           change_href="/form/")
    assert section["answered"] == 1
    learning = section["rows"][2]
    assert learning["value"] == {"html": "Learned"}
    assert learning["actions"]["items"][0]["href"] == "/form/#people--learning"
    assert section["rows"][0]["value"] == {"text": "Not answered"}
    [read_only] = check_rows(form_fields([PEOPLE], values={}), change_href=None)
    assert "actions" not in read_only["rows"][0]


def test_participation_rows_show_status_invitation_and_last_reminder():
    later = WHEN + dt.timedelta(days=7)
    rows = participation_rows(
        [participant(1, "Ashby", "Connie", "c@example.org", invited=WHEN),
         participant(2, "Brackenford", "Bea", "b@example.org", invited=WHEN),
         participant(3, "Carrowfold")],
        submitted_ids={1},
        invitations=[invitation(2, "reminder", sent=later, used=later), invitation(2),
                     invitation(1, revoked=later)],
    )
    ashby, bracken, carrow = rows
    assert ashby.status["text"] == "Submitted" and not ashby.can_remind
    assert ashby.link_state == "No working link"
    assert bracken.status["text"] == "Not submitted" and bracken.can_remind
    assert bracken.invited == "3 March 2025" and bracken.last_reminder == "10 March 2025"
    assert bracken.link_state == "Link last used 10 March 2025"
    assert carrow.invited == "Not invited" and carrow.link_state == ""  # said once, not twice
    assert not carrow.can_remind and carrow.contact == "No contact"


def test_check_rows_keep_line_breaks_and_escape_the_text():
    [section] = check_rows(form_fields([PEOPLE], values={"people--learning": "• a <i>.\n• b."}),
                           change_href=None)
    assert section["rows"][2]["value"] == {"html": "• a &lt;i&gt;.<br>• b."}


def test_participation_rows_stopped_imported_and_draft():
    later = WHEN + dt.timedelta(days=7)
    rows = participation_rows(
        [participant(1, "Ashby"), participant(2, "Brackenford", "Bea", "b@example.org",
                                              invited=WHEN),
         participant(3, "Carrowfold", "Cara", "c@example.org", invited=WHEN)],
        submitted_ids=set(), imported_ids={1}, draft_ids={2},
        invitations=[invitation(2, revoked=later, reason="stopped"),
                     invitation(3, created=later), invitation(3, revoked=WHEN, reason="stopped")],
    )
    ashby, bracken, carrow = rows
    assert ashby.status["text"] == "Submitted" and ashby.submitted
    assert ashby.invited == "Not invited" and ashby.link_state == "Submission imported from a file"
    assert bracken.status["text"] == "Draft saved" and not bracken.can_remind
    assert bracken.link_state.startswith("Links stopped")
    assert carrow.can_remind and carrow.link_state == "Link not used yet"  # invited again


def test_upload_preview_words():
    preview = FilePreview(index=1, name="a.docx", size=2048, organisations=[
        OrgPreview("Ashby General", "Northfold ICS", "Ashby General Hospital NHS Foundation Trust"),
        OrgPreview("New Place Hospice", None, None)])
    assert organisation_lines(preview) == [
        "Ashby General (Northfold ICS): matches Ashby General Hospital NHS Foundation Trust",
        "New Place Hospice: new organisation, will be added"]
    assert [file_size(n) for n in (10, 2048, 3 * 1048576)] == ["10 bytes", "2 KB", "3.0 MB"]


def test_a_new_organisation_names_its_likely_match_as_a_suggestion():
    preview = FilePreview(index=1, name="a.docx", size=2048, organisations=[
        OrgPreview("Ashby Generel Hospital", None, None,
                   likely_match="Ashby General Hospital NHS Foundation Trust")])
    assert organisation_lines(preview) == [
        "Ashby Generel Hospital: new organisation, will be added (likely the same as Ashby "
        "General Hospital NHS Foundation Trust: choose it, or a new organisation, under “Names "
        "that may already be in the register”)"]



def test_upload_preview_names_every_system_and_organisation_the_import_adds():
    preview = FilePreview(index=1, name="a.csv", size=10, organisations=[
        OrgPreview("Unknown Org Ltd", "Nowhere ICS", None)], created=[
        NewOrganisation("Nowhere ICS", "system", "Northmere"),
        NewOrganisation("Unknown Org Ltd", "organisation", "Nowhere ICS"),
        NewOrganisation("Elsewhere ICS", "system", "Northmere"),
        NewOrganisation("Ward 9 Trust", "organisation", "Elsewhere ICS")])
    assert organisation_lines(preview) == [
        "Unknown Org Ltd (Nowhere ICS): new organisation, will be added in a new system, "
        "Nowhere ICS, also added",
        "Elsewhere ICS: new system, will be added",
        "Ward 9 Trust (Elsewhere ICS): new organisation, will be added"]


def test_organisations_to_choose_are_grouped_by_system_and_places_are_not_offered():
    tree = OrgTree([
        Org(1, "Region", "", "region", None),
        Org(2, "Northfold ICS", "", "system", 1), Org(3, "Eastmarsh ICS", "", "system", 1),
        Org(4, "Northfold Place", "", "place", 2),
        Org(5, "Ashby General", "", "organisation", 4), Org(6, "Bracken Trust", "", "organisation", 3),
        Org(7, "Lone Hospice", "", "organisation", 1), Org(8, "Ward 3", "", "unit", 5)])
    groups = organisation_groups(tree, 1)
    assert [(g.name, g.choices) for g in groups] == [
        ("Northfold ICS", [(2, "Northfold ICS (the system as a whole)"), (5, "Ashby General")]),
        ("Eastmarsh ICS", [(3, "Eastmarsh ICS (the system as a whole)"), (6, "Bracken Trust")]),
        ("Not in a system", [(7, "Lone Hospice")])]
    assert [pk for pk, _ in organisation_choices(groups)] == [2, 5, 3, 6, 7]
    assert [item["text"] for item in organisation_items(groups, "Choose")] == [
        "Choose", "Northfold ICS (the system as a whole)", "\u2003Ashby General (Northfold ICS)",
        "Eastmarsh ICS (the system as a whole)", "\u2003Bracken Trust (Eastmarsh ICS)",
        "Lone Hospice"]
