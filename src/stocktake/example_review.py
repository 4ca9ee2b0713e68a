"""Loading the example review (examples/northmere) into an empty database, through actions.

``review.yaml`` holds the review, the organisation hierarchy (region → systems →
places → organisations), participants, persona users with their roles, and draft
recommendations; ``submissions/`` holds the files, imported as a reviewer would.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from stocktake.collect import actions as collect_actions
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
from stocktake.track.actions import evaluation
from stocktake.track.importing import import_paths
from stocktake.track.innovation_import import parse_month
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
        _drafts(review, data.get("drafts") or [], region, by)
        _sessions(review, data.get("reflection_sessions") or [], region,
                  people.get(Role.REVIEWER) or lead)
        _innovations(data, region, by)
        review = actions.change_review_status(review=review, status=ReviewStatus.ASSESSING, by=by)
    return review


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


def _evidence(review, phrases: list[str]) -> list:
    """The review's findings that mention any of the phrases (the evidence a recommendation cites)."""
    query = Q()
    for phrase in phrases:
        query |= Q(text__icontains=phrase)
    return list(review.findings.filter(query)) if phrases else []


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
