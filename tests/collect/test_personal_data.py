"""Personal data at the door: flagged on import and on the form, redacted or kept by a lead,
never shown to anyone else while undecided, and audited without the data itself."""

from __future__ import annotations

import pytest

from stocktake.collect import actions, personal_data
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import Finding, PersonalDataFlag, PersonalDataStatus
from stocktake.core.errors import InvalidInput
from stocktake.core.models import AuditEvent
from stocktake.reviews import actions as review_actions
from stocktake.reviews.permissions import access_for
from stocktake.reviews.workflow import ReviewStatus

NHS = "943 476 5919"
TEXT = f"Mrs Edith Barnes (NHS number {NHS}, LS1 4AP) waited nine hours; call 0113 496 0000."
SECRETS = ("Barnes", NHS, "9434765919", "LS1 4AP", "0113 496 0000")


def add(world, text=TEXT):
    return actions.add_findings(submission=world.submissions["ashby"], by=world.users["lena"],
                                findings=[NewFinding(text)])[0]


def assert_no_secret_in_audit():
    for event in AuditEvent.objects.all():
        assert not any(secret in str(event.details) for secret in SECRETS), event.verb


def test_new_findings_are_flagged_and_the_audit_says_kinds_not_data(world):
    finding = add(world)
    flags = list(PersonalDataFlag.objects.filter(finding=finding).order_by("start"))
    assert [(f.kind, TEXT[f.start:f.end]) for f in flags] == [
        ("person_name", "Edith Barnes"), ("nhs_number", NHS), ("uk_postcode", "LS1 4AP"),
        ("uk_phone", "0113 496 0000")]
    assert {f.status for f in flags} == {PersonalDataStatus.FLAGGED}
    event = AuditEvent.objects.get(verb="personal_data.flagged")
    assert event.details == {"count": 4, "kinds": {"person_name": 1, "nhs_number": 1,
                                                   "uk_postcode": 1, "uk_phone": 1}}
    assert_no_secret_in_audit()


def test_findings_without_personal_data_get_no_flag_and_no_event(world):
    assert not PersonalDataFlag.objects.exists()
    assert not AuditEvent.objects.filter(verb="personal_data.flagged").exists()


def test_redacting_one_item_replaces_it_and_moves_the_others(world):
    finding = add(world)
    nhs = PersonalDataFlag.objects.get(finding=finding, kind="nhs_number")
    assert actions.redact_personal_data(finding=finding, flags=[nhs.pk], by=world.users["lena"]) == 1
    finding.refresh_from_db()
    assert finding.text == ("Mrs Edith Barnes (NHS number [NHS number], LS1 4AP) waited nine "
                            "hours; call 0113 496 0000.")
    for flag in PersonalDataFlag.objects.filter(finding=finding):
        expected = {"nhs_number": "[NHS number]", "person_name": "Edith Barnes",
                    "uk_postcode": "LS1 4AP", "uk_phone": "0113 496 0000"}[flag.kind]
        assert finding.text[flag.start:flag.end] == expected
    nhs.refresh_from_db()
    assert (nhs.status, nhs.decided_by) == ("redacted", world.users["lena"])
    event = AuditEvent.objects.get(verb="personal_data.redacted")
    assert event.details == {"count": 1, "kinds": {"nhs_number": 1}}
    assert_no_secret_in_audit()


def test_redact_all_and_keep(world):
    finding = add(world)
    phone = PersonalDataFlag.objects.get(finding=finding, kind="uk_phone")
    actions.keep_personal_data(finding=finding, flags=[phone.pk], by=world.users["lena"])
    assert actions.redact_all_personal_data(review=world.review, by=world.users["lena"]) == 3
    finding.refresh_from_db()
    assert finding.text == ("Mrs [name] (NHS number [NHS number], [postcode]) waited nine hours; "
                            "call 0113 496 0000.")
    assert personal_data.review_counts(world.review) == {"flagged": 0, "redacted": 3, "kept": 1}
    assert AuditEvent.objects.get(verb="personal_data.kept").details == {
        "count": 1, "kinds": {"uk_phone": 1}}
    assert_no_secret_in_audit()


def test_a_flag_already_decided_cannot_be_decided_again(world):
    finding = add(world)
    nhs = PersonalDataFlag.objects.get(finding=finding, kind="nhs_number")
    actions.redact_personal_data(finding=finding, flags=[nhs.pk], by=world.users["lena"])
    with pytest.raises(InvalidInput, match="no longer flagged"):
        actions.keep_personal_data(finding=finding, flags=[nhs.pk], by=world.users["lena"])


def test_only_leads_see_flagged_text(world):
    finding = add(world)
    for person, sees in [("lena", True), ("ada", True), ("ravi", False), ("connie", False),
                         ("vera", False)]:
        access = access_for(world.users[person], world.review)
        shown = personal_data.hide_flagged([Finding.objects.get(pk=finding.pk)], access)[0]
        assert (NHS in shown.text) is sees, person
        if not sees:
            assert shown.text == ("Mrs [name] (NHS number [NHS number], [postcode]) waited nine "
                                  "hours; call [phone number].")
    shown = personal_data.hide_flagged([Finding.objects.get(pk=finding.pk)])[0]  # report, exports
    assert not any(secret in shown.text for secret in SECRETS)


def test_kept_items_are_shown_to_everyone(world):
    finding = add(world, f"Call the hub on 0113 496 0000 about NHS number {NHS}.")
    phone = PersonalDataFlag.objects.get(finding=finding, kind="uk_phone")
    actions.keep_personal_data(finding=finding, flags=[phone.pk], by=world.users["lena"])
    shown = personal_data.hide_flagged([Finding.objects.get(pk=finding.pk)])[0]
    assert shown.text == "Call the hub on 0113 496 0000 about NHS number [NHS number]."


def test_correcting_a_finding_checks_the_new_text_and_keeps_what_was_kept(world):
    finding = add(world, "Call the hub on 0113 496 0000.")
    phone = PersonalDataFlag.objects.get(finding=finding)
    actions.keep_personal_data(finding=finding, flags=[phone.pk], by=world.users["lena"])
    actions.correct_finding(finding=finding, by=world.users["ravi"],
                            text=f"Ring the hub on 0113 496 0000 for NHS number {NHS}.")
    flags = {f.kind: f.status for f in PersonalDataFlag.objects.filter(finding=finding)}
    assert flags == {"uk_phone": "kept", "nhs_number": "flagged"}


def test_examples_are_flagged_in_title_and_synopsis(world):
    example = actions.add_example(review=world.review, title="Dr Priya Shah's frailty clinic",
                                  synopsis="Ask priya.shah@nhs.net for the protocol.",
                                  by=world.users["lena"])
    kinds = {(f.field, f.kind) for f in PersonalDataFlag.objects.filter(example=example)}
    assert kinds == {("title", "person_name"), ("synopsis", "email")}
    assert "Priya" not in str(AuditEvent.objects.get(verb="example.added").details)
    actions.redact_personal_data(example=example, by=world.users["lena"])
    example.refresh_from_db()
    assert (example.title, example.synopsis) == ("Dr [name]'s frailty clinic",
                                                 "Ask [email address] for the protocol.")


def test_the_web_form_flags_what_a_contributor_typed(world):
    review = world.review
    participant = world.submissions["bracken"].participant
    domain = review.framework.domains.first()
    if review.status != ReviewStatus.COLLECTING:
        review_actions.change_review_status(review=review, status=ReviewStatus.COLLECTING,
                                            by=world.users["lena"])
    draft = actions.save_draft(participant=participant, by=world.users["colin"], texts={
        (domain, "challenges"): f"Patient NHS number {NHS} was emailed to the wrong team."})
    actions.submit_form(submission=draft, by=world.users["colin"])
    assert PersonalDataFlag.objects.filter(finding__submission=draft, kind="nhs_number").exists()


def test_scanning_a_review_flags_unchecked_findings_once(world, monkeypatch):
    with monkeypatch.context() as patched:  # as if imported before detection existed
        patched.setattr(actions, "flag_personal_data", lambda **kwargs: 0)
        add(world)
    assert not PersonalDataFlag.objects.exists()
    assert actions.scan_personal_data(review=world.review, by=None) == 4
    assert actions.scan_personal_data(review=world.review, by=None) == 0
    assert_no_secret_in_audit()
