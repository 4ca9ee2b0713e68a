"""Loading the example review (examples/northmere) into an empty database, through actions.

``review.yaml`` holds the review, the organisation hierarchy (region → systems →
places → organisations), participants, persona users with their roles, and draft
recommendations; ``submissions/`` holds the files, imported as a reviewer would.
Its ``earlier_review`` is an earlier review of the same region, published and followed
up by stocktake cycles (:func:`load_followed_up_review`): the track chain.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stocktake.assess import actions as assess_actions
from stocktake.assess.agreement.actions import start_exercise
from stocktake.collect import actions as collect_actions
from stocktake.collect import conversation_pack
from stocktake.collect.actions import NewFinding
from stocktake.collect.models import SubmissionStatus
from stocktake.core.errors import InvalidInput
from stocktake.reflection import actions as reflection_actions
from stocktake.reflection.actions import NewAttendee
from stocktake.report import actions as report_actions
from stocktake.report.actions import appendix, builder
from stocktake.report.models import TextKind
from stocktake.reviews import actions
from stocktake.reviews.models import Organisation, OrganisationLevel, Review, Role
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.workflow import ReviewStatus
from stocktake.track import actions as track_actions
from stocktake.track import cycle_requests
from stocktake.track.actions import evaluation
from stocktake.track.actions import questionnaires as staff_learning
from stocktake.track.importing import import_paths
from stocktake.track.innovation_import import parse_month
from stocktake.track.models import Innovation
from stocktake.track.values_csv import ValueRow


def _read(directory: Path) -> dict:
    path = directory / "review.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInput(f"{path}: no such file; is {directory} an example review folder?") from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{path}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    if not isinstance(data, dict) or not isinstance(data.get("review"), dict):
        raise InvalidInput(f"{path}: expected a mapping with 'review', 'region', 'participants', 'personas'")
    return data


def _date(value) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"review.yaml: {value!r} is not a date (use YYYY-MM-DD)") from None


def _organisation(entry: dict, *, level: str, parent: Organisation | None, by, kind: str | None = None):
    existing = Organisation.objects.filter(name=" ".join(str(entry["name"]).split()), parent=parent).first()
    if existing is not None:
        return existing
    return actions.create_organisation(
        name=entry["name"], level=level, kind=kind or entry.get("type", "other"), parent=parent,
        short_name=entry.get("short_name", "") or "", aliases=tuple(entry.get("aliases") or ()),
        by=by)


def _hierarchy(data: dict, by) -> Organisation:
    spec = data.get("region") or {}
    region = _organisation(spec, level=OrganisationLevel.REGION, parent=None, by=by,
                           kind=spec.get("type", "regional_body"))
    for system_spec in spec.get("systems") or []:
        system = _organisation(system_spec, level=OrganisationLevel.SYSTEM, parent=region,
                               by=by, kind="ics")
        for place_spec in system_spec.get("places") or []:
            place = _organisation(place_spec, level=OrganisationLevel.PLACE, parent=system,
                                  by=by, kind="place_partnership")
            for org_spec in place_spec.get("organisations") or []:
                _organisation(org_spec, level=OrganisationLevel.ORGANISATION, parent=place, by=by)
    for org_spec in spec.get("organisations") or []:
        _organisation(org_spec, level=OrganisationLevel.ORGANISATION, parent=region, by=by)
    return region


def _find(name: str, region: Organisation) -> Organisation:
    org = OrgTree.load().resolve(name, within=region.pk)  # the import may have added some
    if org is None:
        raise InvalidInput(f"review.yaml: organisation {name!r} is not in the region's hierarchy")
    return org


def load_example_review(*, directory: Path, by, password: str) -> Review:
    """Create the example review in directory/review.yaml and import directory/submissions.

    Meant for an empty database (the framework and organisations are reused if present);
    raises InvalidInput if the review's slug already exists. All or nothing.
    """
    directory = Path(directory)
    data = _read(directory)
    meta = data["review"]
    slug = str(meta.get("slug") or "").strip()
    if not slug:
        raise InvalidInput(f"{directory / 'review.yaml'}: the review has no slug")
    if Review.objects.filter(slug=slug).exists():
        raise InvalidInput(f"A review with slug {slug!r} already exists; the example is loaded only once")
    with transaction.atomic():
        framework = actions.store_default_framework(by=by)
        region = _hierarchy(data, by)
        review = actions.create_review(
            title=meta["title"], slug=slug, framework=framework, region=region,
            scope=meta.get("scope", ""), opens_on=_date(meta.get("opens_on")),
            closes_on=_date(meta.get("closes_on")), by=by)
        review = actions.change_review_status(review=review, status=ReviewStatus.COLLECTING, by=by)
        for entry in data.get("participants") or []:
            participant = actions.add_participant(
                review=review, organisation=_find(entry["organisation"], region), by=by,
                contact_name=entry.get("contact_name", ""), contact_email=entry.get("contact_email", ""))
            actions.mark_invited(participant=participant, by=by)
        people = {}
        for persona in data.get("personas") or []:
            account = actions.create_user(
                username=persona["username"], by=by, password=password,
                email=persona.get("email", ""), full_name=persona.get("full_name", ""))
            org = _find(persona["organisation"], region) if persona.get("organisation") else None
            actions.add_member(review=review, member=account, role=persona["role"], organisation=org,
                               by=by)
            people.setdefault(persona["role"], account)
        importer = people.get(Role.REVIEWER) or people.get(Role.LEAD) or by
        import_paths(review=review, paths=[directory / "submissions"], by=importer,
                     stop_on_error=True)
        themes = {t.key: t for t in framework.themes.all()}
        lead = people.get(Role.LEAD) or by
        for rec in data.get("recommendations") or []:
            report_actions.create_recommendation(
                review=review, text=rec["text"], number=rec.get("number"),
                section=rec.get("section", ""), theme=themes.get(rec.get("theme") or ""),
                owner=_find(rec["owner"], region) if rec.get("owner") else None, by=lead,
                findings=_evidence(review, rec.get("evidence") or []))
        _report_content(review, data.get("report") or {}, region, lead)
        if (directory / "responses").is_dir():  # the board's response, attached for tracking
            import_paths(review=review, paths=[directory / "responses"], by=lead, stop_on_error=True)
        _memos(review, data.get("memos") or [], region, people.get(Role.REVIEWER) or lead)
        _drafts(review, data.get("drafts") or [], region, by)
        _sessions(review, data.get("reflection_sessions") or [], region,
                  people.get(Role.REVIEWER) or lead)
        _innovations(data, region, by)
        _staff_learning(review, data.get("staff_learning") or {}, region, lead)
        review = actions.change_review_status(review=review, status=ReviewStatus.ASSESSING, by=by)
        _agreement(review, people)
        if data.get("earlier_review"):
            load_followed_up_review(data["earlier_review"], framework=framework, region=region,
                                    password=password, by=by)
    return review


def _agreement(review, people: dict) -> None:
    """A double-coding exercise waiting for the lead and a reviewer (Agreement in the menu)."""
    coders = [people[role] for role in (Role.LEAD, Role.REVIEWER) if role in people]
    if len(coders) == 2:
        start_exercise(review=review, title="Double-coding: 12 findings", coders=coders,
                       size=min(12, review.findings.filter(
                           submission__status=SubmissionStatus.SUBMITTED).count()), seed=2026, by=coders[0])


def _innovations(data: dict, region, by) -> None:
    """The innovations register: what organisations logged, coded in one batch, and the
    golden threads a board named through its own log."""
    made = {}
    for entry in data.get("innovations") or []:
        made[entry["title"]] = track_actions.log_innovation(
            organisation=_find(entry["organisation"], region), title=entry["title"],
            what_changed=entry["what_changed"], unit=entry.get("unit", ""),
            place=entry.get("place", ""), started_on=parse_month(str(entry.get("since") or "")),
            lead_name=entry.get("lead", ""), benefits=entry.get("benefits", ""),
            risks=entry.get("risks", ""), support_needed=entry.get("support", ""), by=by,
            code=False)
    if made:
        track_actions.code_innovations(innovations=list(made.values()), by=by)
    for thread in data.get("golden_threads") or []:
        missing = [t for t in thread["innovations"] if t not in made]
        if missing:
            raise InvalidInput(f"review.yaml: golden thread {thread['name']!r} names an "
                               f"innovation not logged: {missing[0]!r}")
        track_actions.create_golden_thread(
            organisation=_find(thread["register"], region), name=thread["name"],
            description=thread.get("description", ""), by=by,
            innovations=[made[t] for t in thread["innovations"]])
    if data.get("evaluation"):
        _evaluation(data["evaluation"], made, region, by)


def _evaluation(entry: dict, made: dict, region, by) -> None:
    """One innovation evaluated from three angles, decided on, and adopted elsewhere."""
    innovation = made.get(entry["innovation"])
    if innovation is None:
        raise InvalidInput(f"review.yaml: the evaluation names an innovation not logged: "
                           f"{entry['innovation']!r}")
    for spec in entry.get("measures") or []:
        measure = evaluation.add_measure(
            innovation=innovation, name=spec["name"], kind=spec["kind"], by=by,
            unit=spec.get("unit", ""), baseline=spec.get("baseline"), target=spec.get("target"),
            higher_is_better=spec.get("higher_is_better", True),
            baseline_points=spec.get("baseline_points"))
        evaluation.record_values(measure=measure, by=by, rows=[
            ValueRow(on=_date(on), value=float(value)) for on, value in spec["values"]])
    for source, key in (("staff", "staff"), ("service_user", "service_users")):
        if entry.get(key):
            evaluation.add_feedback(innovation=innovation, source=source, texts=entry[key],
                                    by=by)
    if entry.get("decision"):
        decision = entry["decision"]
        evaluation.decide(innovation=innovation, outcome=decision["outcome"],
                          rationale=decision["rationale"], scores=decision.get("scores"),
                          framework=evaluation.default_framework(by=by), by=by)
    for adoption in entry.get("adoptions") or []:
        evaluation.record_adoption(
            innovation=innovation, organisation=_find(adoption["organisation"], region),
            status=adoption["status"], note=adoption.get("note", ""), by=by)


def _staff_learning(review, data: dict, region, lead) -> None:
    """An open staff questionnaire with a few anonymous responses, and one team's notes
    written in the pack's Word template and uploaded back. The questionnaire's link is not
    kept (only its hash): the lead makes a new one on its page."""
    if data.get("questionnaire"):
        spec = data["questionnaire"]
        questions = conversation_pack.default_questions(review)
        index = {(q["domain"], q["kind"]): n for n, q in enumerate(questions)}
        questionnaire, _ = staff_learning.open_questionnaire(
            review=review, title=spec["title"], identity=spec.get("identity", "anonymous"),
            questions=questions, by=lead)
        for number, response in enumerate(data.get("responses") or [], start=1):
            answers = [""] * len(questions)
            for answer in response["answers"]:
                key = (answer["domain"], answer["kind"])
                if key not in index:
                    raise InvalidInput(f"review.yaml: no questionnaire question for {key}")
                answers[index[key]] = answer["text"]
            staff_learning.answer_questionnaire(
                questionnaire=questionnaire, answers=answers, sender=f"example-{number}",
                organisation_id=_find(response["organisation"], region).pk)
    for entry in data.get("team_notes") or []:
        organisation = _find(entry["organisation"], region)
        notes: dict[tuple[str, str], list[str]] = {}
        for note in entry["notes"]:
            notes.setdefault((note["domain"], note["kind"]), []).append(note["text"])
        name = conversation_pack.notes_filename(review, organisation=organisation,
                                                team=entry["team"])
        with tempfile.TemporaryDirectory(prefix="stocktake-example-") as folder:
            path = Path(folder) / name
            path.write_bytes(conversation_pack.notes_template_docx(
                review, organisation=organisation, team=entry["team"], notes=notes))
            extraction = conversation_pack.read_notes(review, path, name=name,
                                                      max_bytes=10 * 1024 * 1024)
            staff_learning.record_team_notes(review=review, organisation=organisation,
                                             team=entry["team"], extraction=extraction,
                                             path=path, original_name=name, by=lead)


def _evidence(review, phrases: list[str]) -> list:
    """The review's findings that mention any of the phrases (the evidence a recommendation cites)."""
    query = Q()
    for phrase in phrases:
        query |= Q(text__icontains=phrase)
    return list(review.findings.filter(query)) if phrases else []


def _memos(review, memos: list[dict], region, by) -> None:
    """Reviewers' memos: on the first finding mentioning a phrase, a theme (by key), an
    organisation (by name) or the review."""
    themes = {t.key: t for t in review.framework.themes.all()}
    for entry in memos:
        about = {}
        if entry.get("finding"):
            finding = review.findings.filter(text__icontains=entry["finding"]).order_by("id").first()
            if finding is None:
                raise InvalidInput(f"No finding mentions {entry['finding']!r} for a memo")
            about = {"finding": finding}
        elif entry.get("theme"):
            about = {"theme": themes[entry["theme"]]}
        elif entry.get("organisation"):
            about = {"organisation": _find(entry["organisation"], region)}
        assess_actions.add_memo(review=review, text=entry["text"], by=by, **about)
def _start(entry: dict) -> dt.datetime:
    """A session's start: ``starts`` ("2025-05-14 10:00") or ``starts_in_days`` from today
    at 10:00, in the site's time zone."""
    if entry.get("starts_in_days") is not None:
        day = timezone.localdate() + dt.timedelta(days=int(entry["starts_in_days"]))
        return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    value = entry["starts"]
    value = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _sessions(review, sessions: list[dict], region, by) -> None:
    """Reflection sessions: scheduled, their notes saved and lines made into findings, held
    and summarised, as a reviewer would in the browser."""
    for entry in sessions:
        session = reflection_actions.schedule_session(
            review=review, title=entry["title"], starts_at=_start(entry),
            organisations=[_find(name, region) for name in entry["with"]], by=by,
            place=entry.get("place", ""), video_link=entry.get("video_link", ""),
            open_questions=entry.get("open_questions", ""),
            attendees=[NewAttendee(name=a["name"], email=a.get("email", ""),
                                   role=a.get("role", ""), from_contacts=True)
                       for a in entry.get("attendees") or []])
        if entry.get("notes"):
            session = reflection_actions.save_notes(session=session, notes=entry["notes"], by=by)
        for made in entry.get("findings") or []:
            reflection_actions.finding_from_note(
                session=session, line=made["line"], by=by,
                organisation=_find(made["organisation"], region))
        if entry.get("held"):
            session = reflection_actions.mark_held(session=session, by=by)
        if entry.get("summary"):
            reflection_actions.write_summary(session=session, source=entry["summary"], by=by)


def _drafts(review, drafts: list[dict], region, by) -> None:
    """Submissions still being written on the form: sections saved, not yet submitted."""
    domains = {d.key: d for d in review.framework.domains.all()}
    for entry in drafts:
        org = _find(entry["organisation"], region)
        participant = review.participants.get(organisation=org)
        writer = review.memberships.filter(role=Role.CONTRIBUTOR, organisation=org).first()
        author = writer.user if writer else by
        submission = collect_actions.create_submission(participant=participant, by=author)
        for section in entry["sections"]:
            collect_actions.save_section(
                submission=submission, domain=domains[section["domain"]], kind=section["kind"],
                text=section["text"], by=author)


def _report_content(review, report: dict, region, by) -> None:
    """What the review team wrote for the report: narratives, observations, leads, case studies."""
    themes = {t.key: t for t in review.framework.themes.all()}
    if report.get("summary"):
        builder.save_report_text(review=review, kind=TextKind.SUMMARY, source=report["summary"],
                                 by=by)
    if report.get("method_note"):
        builder.save_report_text(review=review, kind=TextKind.METHOD,
                                 source=report["method_note"], by=by)
    for key, source in (report.get("narratives") or {}).items():
        builder.save_report_text(review=review, kind=TextKind.THEME, theme=themes[key],
                                 source=source, by=by)
    for entry in report.get("observations") or []:
        builder.add_summary_observation(review=review, text=entry["text"], by=by,
                                        theme=themes.get(entry.get("theme") or ""))
    for entry in report.get("leads") or []:
        report_actions.update_recommendation(
            recommendation=review.recommendations.get(number=entry["number"]), by=by,
            lead_contact=entry["lead_contact"], due_date=_date(entry.get("due_date")))
    for entry in report.get("case_studies") or []:
        study = appendix.add_case_study(
            review=review, title=entry["title"], text=entry["text"], by=by,
            person=entry.get("person", ""),
            organisation=_find(entry["organisation"], region) if entry.get("organisation") else None)
        if entry.get("consent"):  # the other waits for its consent: stored, never published
            appendix.record_consent(study=study, note=entry["consent"], by=by)


def load_followed_up_review(entry: dict, *, framework, region, password: str, by) -> Review:
    """An earlier review of the region, submitted to, published, and followed up: owners'
    updates with evidence (per system where a recommendation applies to every system) and
    innovations decided on in each stocktake cycle; every cycle but the last closed.

    The personas named by username are reused if the main review made them. Cycle dates are
    days from today (``opens``, ``deadline``), so the open cycle's deadline lies ahead. The
    organisations a cycle ``asked`` have their personal links recorded as sent (no email
    goes out while loading, and the tokens are not kept)."""
    meta = entry["review"]
    review = actions.create_review(
        title=meta["title"], slug=meta["slug"], framework=framework, region=region,
        scope=meta.get("scope", ""), opens_on=_date(meta.get("opens_on")),
        closes_on=_date(meta.get("closes_on")), by=by)
    review = actions.change_review_status(review=review, status=ReviewStatus.COLLECTING, by=by)
    User = get_user_model()
    people = {}
    for member in entry.get("members") or []:
        account = User.objects.filter(username=member["username"]).first() or actions.create_user(
            username=member["username"], by=by, password=password,
            email=member.get("email", ""), full_name=member.get("full_name", ""))
        org = _find(member["organisation"], region) if member.get("organisation") else None
        actions.add_member(review=review, member=account, role=member["role"], organisation=org,
                           by=by)
        people[member["username"]] = account
    lead = next((people[m["username"]] for m in entry.get("members") or []
                 if m["role"] == Role.LEAD), by)
    domains = {d.key: d for d in framework.domains.all()}
    for sub in entry.get("submissions") or []:
        unknown = {f.get("domain") for f in sub["findings"]} - set(domains) - {None, ""}
        if unknown:
            raise InvalidInput(f"review.yaml: a finding of {sub['organisation']!r} in the "
                               f"earlier review names no domain of the framework: "
                               f"{sorted(unknown)[0]!r}")
        participant = actions.add_participant(review=review, by=by,
                                              organisation=_find(sub["organisation"], region))
        submission = collect_actions.create_submission(participant=participant, by=lead,
                                                       status=SubmissionStatus.SUBMITTED)
        collect_actions.add_findings(submission=submission, by=lead, findings=[
            NewFinding(text=f["text"], domain=domains.get(f.get("domain") or ""),
                       section=f.get("section", "general")) for f in sub["findings"]])
    review = actions.change_review_status(review=review, status=ReviewStatus.ASSESSING, by=by)
    themes = {t.key: t for t in framework.themes.all()}
    for rec in entry.get("recommendations") or []:
        if rec.get("theme") and rec["theme"] not in themes:
            raise InvalidInput(f"review.yaml: recommendation {rec.get('number')} of the earlier "
                               f"review names no theme of the framework: {rec['theme']!r}")
        report_actions.create_recommendation(
            review=review, text=rec["text"], number=rec.get("number"),
            section=rec.get("section", ""), theme=themes.get(rec.get("theme") or ""),
            owner=_find(rec["owner"], region) if rec.get("owner") else None, by=lead,
            findings=_evidence(review, rec.get("evidence") or []),
            lead_contact=rec.get("lead_contact", ""), due_date=_date(rec.get("due_date")))
    review = actions.change_review_status(review=review, status=ReviewStatus.REPORTING, by=by)
    review = report_actions.publish_report(review=review, by=lead,
                                           reason=entry.get("publish_reason", ""))
    for rec in entry.get("recommendations") or []:
        if rec.get("per_system"):
            track_actions.set_per_system(recommendation=review.recommendations.get(
                number=rec["number"]), per_system=True, by=lead)
    today = timezone.localdate()
    for spec in entry.get("cycles") or []:
        cycle = track_actions.start_cycle(
            review=review, title=spec["title"], note=spec.get("note", ""), by=lead,
            opens_on=today + dt.timedelta(days=int(spec["opens"])),
            deadline=today + dt.timedelta(days=int(spec["deadline"])))
        for name in spec.get("asked") or []:  # links recorded as sent; the demo mails none
            organisation = _find(name, region)
            contact = cycle_requests.known_contact(cycle, organisation.pk)
            if contact is None:
                raise InvalidInput(f"review.yaml: {name!r} is asked in {spec['title']!r} but "
                                   "has no action owner or contact with an email address")
            request, _token = track_actions.issue_update_request(
                cycle=cycle, organisation=organisation, contact_name=contact[0],
                email=contact[1], by=lead)
            track_actions.mark_request_sent(request=request, by=lead)
        for update in spec.get("updates") or []:
            track_actions.record_progress(
                recommendation=review.recommendations.get(number=update["recommendation"]),
                status=update["status"], note=update.get("note", ""), rag=update.get("rag", ""),
                evidence_links=update.get("evidence") or (), reason=update.get("reason", ""),
                organisation=_find(update["system"], region) if update.get("system") else None,
                channel=update.get("channel", "form"), cycle=cycle,
                by=people.get(update.get("by"), lead))
        for decision in spec.get("decisions") or []:
            innovation = Innovation.objects.filter(
                title=decision["innovation"], organisation__in=_region_ids(region)).first()
            if innovation is None:
                raise InvalidInput(f"review.yaml: the earlier review decides on an innovation "
                                   f"not logged: {decision['innovation']!r}")
            evaluation.decide(innovation=innovation, outcome=decision["outcome"],
                              rationale=decision["rationale"], cycle=cycle, by=lead)
        if spec.get("close"):
            track_actions.close_cycle(cycle=cycle, by=lead)
    return review


def _region_ids(region) -> set[int]:
    return set(OrgTree.shared().descendants(region.pk))
