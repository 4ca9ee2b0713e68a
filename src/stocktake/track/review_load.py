"""Loading a review document (format ``stocktake.review``, version 2) into this database.

The document is what ``stocktake export`` and the data pack's ``review.json`` hold
(:mod:`stocktake.report.datapack.document`). Loading makes a new review with
everything in it, only through the actions of each app (so every change is checked
and audited as if typed in), in one transaction: a document that fails half-way
leaves nothing behind.

- The framework is the stored one with the document's key when it has every domain
  and theme the document uses; else it is created (a different framework under the
  same key is refused).
- Organisations are matched in the register: the same name under the same parent,
  else by name, short name or alias within the review's region (``OrgTree.resolve``);
  those not found are created with their place in the hierarchy.
- Submitted findings, codes (reviewers' decisions are recorded as made by the person
  loading; the analysis's suggestions as a finished run per original run, with its
  backend and seed), examples with their curation for the appendix (left out, merged,
  made from a finding), personal data a lead kept, recommendations with their progress
  and responses, case studies (with consent as recorded), narratives, summary
  observations and chosen evidence follow.
- Source documents are recorded by name, hash, size and format; their bytes are not
  in the document, so they cannot be downloaded from the loaded review.

Lives in track (the top app) because it calls the actions of every app below it.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import jsonschema
from django.db import transaction

from stocktake.analysis.framework import FrameworkSpec, ItemSpec
from stocktake.assess import actions as assess_actions
from stocktake.assess.actions import MachineCode
from stocktake.collect import actions as collect_actions
from stocktake.collect.actions import NewFinding
from stocktake.collect.importers import ExtractedResponse
from stocktake.collect.models import PersonalDataFlag, PersonalDataStatus, SubmissionStatus
from stocktake.core import audit
from stocktake.core.errors import InvalidInput
from stocktake.report import actions as report_actions
from stocktake.report.actions import appendix, builder
from stocktake.report.datapack.document import FORMAT, VERSION
from stocktake.reviews import actions as review_actions
from stocktake.reviews.frameworks import spec_for
from stocktake.reviews.models import Framework, Organisation, Review
from stocktake.reviews.orgtree import OrgTree
from stocktake.reviews.workflow import PUBLISHED_STATES, ReviewStatus
from stocktake.track import actions as track_actions

SCHEMA = Path(__file__).resolve().parents[1] / "report" / "datapack" / "schema" / (
    f"stocktake-review-v{VERSION}.schema.json")
# The statuses a loaded review passes through to reach the document's.
STATUS_PATH = [ReviewStatus.COLLECTING, ReviewStatus.ASSESSING, ReviewStatus.REPORTING,
               ReviewStatus.TRACKING, ReviewStatus.CLOSED]


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def read_document(path: Path) -> dict:
    """The review document in ``path`` (a ``review.json``, or a data pack zip holding one),
    checked against the schema. Raises InvalidInput naming the file and what is wrong."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror or exc}") from None
    name = str(path)
    if raw[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as pack:
                raw = pack.read("review.json")
        except KeyError:
            raise InvalidInput(f"{path} is a zip without review.json: not a stocktake data "
                               "pack") from None
        except zipfile.BadZipFile as exc:
            raise InvalidInput(f"{path} is not a readable zip file ({exc})") from None
        name = f"{path} (review.json)"
    return parse_document(raw, name=name)


def parse_document(raw: bytes | str, *, name: str = "the document") -> dict:
    """The review document in ``raw`` JSON, checked as :func:`read_document` does."""
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise InvalidInput(f"{name} is not UTF-8 text: not a stocktake review export") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{name} is not valid JSON (line {exc.lineno}, column {exc.colno}: "
                           f"{exc.msg}); the file may be cut short or damaged") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput(f"{name} is not a stocktake review export (it has no "
                           f"\"format\": \"{FORMAT}\")")
    version = data.get("version")
    if version != VERSION:
        hint = (" Version 1 files lack the ids that link findings to their submissions and "
                "codes: export the review again with this stocktake." if version == 1 else "")
        raise InvalidInput(f"{name} is version {version!r} of the stocktake review format; this "
                           f"stocktake loads version {VERSION}.{hint}")
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema()).iter_errors(data))
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "the top level"
        raise InvalidInput(f"{name}: at {where}: {error.message}")
    _check_references(data, name)
    return data


def _check_references(data: dict, name: str) -> None:
    """Every id the document refers to is one it defines."""
    def ids(key):
        return {row["id"] for row in data[key]}

    orgs, subs, docs = ids("organisations"), ids("submissions"), ids("documents")
    findings, examples, runs = ids("findings"), ids("examples"), ids("analysis_runs")
    problems = []

    def need(value, known, where):
        if value is not None and value not in known:
            problems.append(f"{where} refers to {value}, which the document does not hold")

    for org in data["organisations"]:
        need(org["parent_id"], orgs, f"organisation {org['id']}'s parent_id")
    need(data["review"]["region_id"], orgs, "the review's region_id")
    for p in data["participants"]:
        need(p["organisation_id"], orgs, "a participant's organisation_id")
    for s in data["submissions"]:
        need(s["organisation_id"], orgs, f"submission {s['id']}'s organisation_id")
        need(s["document"], docs, f"submission {s['id']}'s document")
    for f in data["findings"]:
        need(f["submission"], subs, f"finding {f['id']}'s submission")
        for code in f["machine_codes"]:
            need(code["analysis_run"], runs, f"finding {f['id']}'s machine code")
    for e in data["examples"]:
        need(e["submission"], subs, f"example {e['id']}'s submission")
        need(e["organisation_id"], orgs, f"example {e['id']}'s organisation_id")
        need(e["merged_into"], examples, f"example {e['id']}'s merged_into")
        need(e["finding"], findings, f"example {e['id']}'s finding")
    for r in data["recommendations"]:
        need(r["owner_id"], orgs, f"recommendation {r['number']}'s owner_id")
        for finding in r["findings"]:
            need(finding, findings, f"recommendation {r['number']}'s findings")
    for quote in data["report"]["evidence_quotes"]:
        need(quote["finding"], findings, "an evidence quote")
    for item in data["personal_data_kept"]:
        if (item["finding"] is None) == (item["example"] is None):
            problems.append("a kept item of personal data must name a finding or an example")
        need(item["finding"], findings, "a kept item of personal data")
        need(item["example"], examples, "a kept item of personal data")
    if problems:
        more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
        raise InvalidInput(f"{name}: " + "; ".join(problems[:3]) + more)


class _Loader:
    def __init__(self, data: dict, *, by, slug: str | None):
        self.data, self.by = data, by
        self.slug = slug or data["review"]["slug"]
        self.orgs: dict[int, Organisation] = {}
        self.docs: dict[int, object] = {}
        self.subs: dict[int, object] = {}
        self.findings: dict[int, object] = {}
        self.examples: dict[int, object] = {}
        self.recs: dict[int, object] = {}

    # -- framework and register ----------------------------------------------------

    def framework(self) -> Framework:
        spec = self.data["framework"]
        existing = Framework.objects.filter(key=spec["key"]).first()
        if existing is None:
            return review_actions.create_framework(spec=_spec(spec), by=self.by)
        have = spec_for(existing)
        missing = ({d["key"] for d in spec["domains"]} - {d.key for d in have.domains}) | (
            {t["key"] for t in spec["themes"]} - {t.key for t in have.themes})
        if missing:
            raise InvalidInput(
                f"This database has a framework {spec['key']!r} without "
                f"{', '.join(sorted(missing))}: the document's framework differs from it")
        return existing

    def organisations(self, region_id: int | None) -> None:
        tree = OrgTree.load()
        for row in self.data["organisations"]:  # parents before children
            parent = self.orgs.get(row["parent_id"])
            found = (Organisation.objects.filter(name__iexact=row["name"], parent=parent).first()
                     if row["parent_id"] is None or parent is not None else None)
            if found is None and region_id is not None and row["id"] != region_id:
                region = self.orgs.get(region_id)
                found = tree.resolve(row["name"], within=region.pk) if region else None
                found = Organisation.objects.get(pk=found.id) if found else None
            if found is None:
                found = review_actions.create_organisation(
                    name=row["name"], level=row["level"], kind=row["type"], parent=parent,
                    short_name=row["short_name"], aliases=tuple(row["aliases"]), by=self.by)
                tree.add(found)
            self.orgs[row["id"]] = found

    # -- the review ----------------------------------------------------------------

    def review(self) -> Review:
        meta = self.data["review"]
        if Review.objects.filter(slug=self.slug).exists():
            raise InvalidInput(f"A review with slug {self.slug!r} already exists; load the "
                               "document under another slug")
        framework = self.framework()
        self.organisations(meta["region_id"])
        review = review_actions.create_review(
            title=meta["title"], slug=self.slug, framework=framework,
            region=self.orgs.get(meta["region_id"]), scope=meta["scope"],
            opens_on=_date(meta["opens_on"]), closes_on=_date(meta["closes_on"]),
            reflection_by=_date(meta.get("reflection_by")),
            report_due_on=_date(meta.get("report_due_on")), by=self.by)
        for row in self.data["participants"]:
            review_actions.add_participant(review=review, organisation=self.orgs[row["organisation_id"]],
                                           by=self.by)
        return self.move_to(review, meta["status"])

    def move_to(self, review: Review, status: str) -> Review:
        """Walk the workflow to ``status``; publishing is the report's own action."""
        if status == ReviewStatus.DRAFT:
            return review
        for step in STATUS_PATH[: STATUS_PATH.index(status) + 1]:
            if step == ReviewStatus.TRACKING:
                # Published where it came from: its checks were decided there.
                review = report_actions.publish_report(
                    review=review, by=self.by,
                    reason="Loaded from a review document of a published review")
            else:
                review = review_actions.change_review_status(review=review, status=step,
                                                             by=self.by)
        return review

    def documents(self, review: Review) -> None:
        for row in self.data["documents"]:
            self.docs[row["id"]] = collect_actions.record_source_document(
                review=review, original_name=row["name"], stored_path="", sha256=row["sha256"],
                size=row["size"], format=row["format"], by=self.by)

    def submitted(self, review: Review) -> None:
        themes = {t.key: t for t in review.framework.themes.all()}
        domains = {d.key: d for d in review.framework.domains.all()}
        by_submission: dict[int, list[dict]] = defaultdict(list)
        for row in self.data["findings"]:
            by_submission[row["submission"]].append(row)
        for row in self.data["submissions"]:
            participant = review_actions.add_participant(
                review=review, organisation=self.orgs[row["organisation_id"]], by=self.by)
            submission = collect_actions.create_submission(
                participant=participant, by=self.by, source_document=self.docs.get(row["document"]),
                status=SubmissionStatus.SUBMITTED)
            self.subs[row["id"]] = submission
            rows = by_submission.get(row["id"], [])
            created = collect_actions.add_findings(submission=submission, by=self.by, findings=[
                NewFinding(text=f["text"], domain=domains.get(f["domain"] or ""),
                           section=f["section"], polarity=f["polarity"],
                           polarity_origin=f["polarity_origin"],
                           source_location=f["source"]["location"])
                for f in rows])
            for f, finding in zip(rows, created, strict=True):
                self.findings[f["id"]] = finding
        self.codes(review, themes)

    def codes(self, review: Review, themes: dict) -> None:
        runs = {run["id"]: run for run in self.data["analysis_runs"]}
        suggested: dict[int | None, list[MachineCode]] = defaultdict(list)
        for row in self.data["findings"]:
            finding = self.findings[row["id"]]
            for code in row["machine_codes"]:
                suggested[code["analysis_run"]].append(MachineCode(
                    finding=finding, theme=_theme(themes, code["theme"]), score=code["score"],
                    rank=code["rank"], explanation=code["explanation"]))
        for run_id in sorted(suggested, key=lambda r: (r is None, r or 0)):
            run = runs.get(run_id, {"backend": "recorded", "seed": 0})
            assess_actions.record_machine_codes(review=review, codes=suggested[run_id], by=self.by,
                                                backend=run["backend"], seed=run["seed"])
        for row in self.data["findings"]:
            for code in row["human_codes"]:
                assess_actions.confirm_code(finding=self.findings[row["id"]],
                                            theme=_theme(themes, code["theme"]),
                                            applies=code["applies"], by=self.by)

    def load_examples(self, review: Review) -> None:
        domains = {d.key: d for d in review.framework.domains.all()}
        for row in self.data["examples"]:
            self.examples[row["id"]] = collect_actions.add_example(
                review=review, title=row["title"], synopsis=row["synopsis"], by=self.by,
                organisation=self.orgs.get(row["organisation_id"]),
                domain=domains.get(row["domain"] or ""), submission=self.subs.get(row["submission"]),
                source_document=self.docs.get(row["source"]["document"]),
                source_location=row["source"]["location"],
                finding=self.findings.get(row["finding"]))
        # The appendix's curation: left out (with why), then duplicates merged.
        for row in self.data["examples"]:
            if row["excluded"]:
                collect_actions.exclude_example(example=self.examples[row["id"]],
                                                reason=row["excluded_reason"], by=self.by)
        merged: dict[int, list] = defaultdict(list)
        for row in self.data["examples"]:
            if row["merged_into"] is not None:
                merged[row["merged_into"]].append(self.examples[row["id"]])
        for keep, duplicates in merged.items():
            collect_actions.merge_examples(keep=self.examples[keep], duplicates=duplicates,
                                           by=self.by)

    def keep_personal_data(self) -> None:
        """The items a lead kept in the source are flagged again by the import: keep them."""
        wanted: dict[tuple, list[dict]] = defaultdict(list)
        for item in self.data["personal_data_kept"]:
            key = ("finding", item["finding"]) if item["finding"] is not None else (
                "example", item["example"])
            wanted[key].append(item)
        for (kind, old_id), items in wanted.items():
            obj = (self.findings if kind == "finding" else self.examples)[old_id]
            places = {(i["field"], i["kind"], i["start"], i["end"]) for i in items}
            flags = [flag.pk for flag in PersonalDataFlag.objects.filter(
                **{kind: obj}, status=PersonalDataStatus.FLAGGED)
                if (flag.field, flag.kind, flag.start, flag.end) in places]
            if flags:
                collect_actions.keep_personal_data(by=self.by, flags=flags, **{kind: obj})

    def progress(self, rec, update: dict) -> None:
        """One update as it was: the attachment itself does not travel, only its name."""
        reason = update.get("reason", "")
        if update.get("attachment") and not (reason or update.get("evidence_links")):
            reason = f"Evidence attached where this review came from: {update['attachment']}"
        track_actions.record_progress(
            recommendation=rec, status=update["status"], note=update["note"], by=self.by,
            rag=update.get("rag", ""), evidence_links=update.get("evidence_links", ()),
            reason=reason, organisation=self.orgs.get(update.get("organisation_id")),
            channel=update.get("channel") or "form")

    def load_recommendations(self, review: Review) -> None:
        themes = {t.key: t for t in review.framework.themes.all()}
        by_document: dict[int | None, list[tuple[dict, ExtractedResponse]]] = defaultdict(list)
        for row in self.data["recommendations"]:
            rec = report_actions.create_recommendation(
                review=review, text=row["text"], number=row["number"], label=row["label"],
                section=row["section"], theme=themes.get(row["theme"] or ""),
                owner=self.orgs.get(row["owner_id"]), status=row["status"],
                findings=[self.findings[f] for f in row["findings"]],
                lead_contact=row["lead_contact"], due_date=_date(row["due_date"]),
                source_document=self.docs.get(row["source"]["document"]), by=self.by)
            self.recs[row["id"]] = rec
            if row.get("per_system"):
                rec = track_actions.set_per_system(recommendation=rec, per_system=True,
                                                   by=self.by)
            for update in row["progress"]:
                self.progress(rec, update)
            for response in row["responses"]:
                by_document[response["source"]["document"]].append(_response(response))
        for response in self.data["unattached_responses"]:
            by_document[response["source"]["document"]].append(_response(response))
        for document_id, responses in by_document.items():
            track_actions.record_responses(review=review, responses=responses, by=self.by,
                                           as_updates=False,
                                           source_document=self.docs.get(document_id))

    def load_report(self, review: Review) -> None:
        themes = {t.key: t for t in review.framework.themes.all()}
        for row in self.data["case_studies"]:
            study = report_actions.create_case_study(
                review=review, title=row["title"], text=row["text"], person=row["person"],
                organisation=self.orgs.get(row["organisation_id"]),
                source_document=self.docs.get(row["source"]["document"]),
                source_location=row["source"]["location"], by=self.by)
            appendix.record_consent(study=study, note=row["consent_note"], by=self.by)
            if row["excluded"]:
                appendix.set_case_study_excluded(study=study, excluded=True, by=self.by)
        report = self.data["report"]
        for text in report["texts"]:
            builder.save_report_text(review=review, kind=text["kind"], source=text["source"],
                                     theme=themes.get(text["theme"] or ""), by=self.by)
        for row in report["summary_observations"]:
            builder.add_summary_observation(review=review, text=row["text"],
                                            theme=themes.get(row["theme"] or ""), by=self.by)
        for row in report["evidence_quotes"]:
            builder.choose_quote(review=review, theme=_theme(themes, row["theme"]),
                                 finding=self.findings[row["finding"]], by=self.by)


def _spec(data: dict) -> FrameworkSpec:
    def items(rows):
        return tuple(ItemSpec(key=r["key"], name=r["name"], description=r.get("description", ""),
                              keywords=tuple(r.get("keywords", ()))) for r in rows)

    return FrameworkSpec(key=data["key"], name=data["name"], description=data.get("description", ""),
                         domains=items(data["domains"]), themes=items(data["themes"]))


def _theme(themes: dict, key: str):
    if key not in themes:
        raise InvalidInput(f"Theme {key!r} is not in the review's framework")
    return themes[key]


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _response(row: dict) -> ExtractedResponse:
    return ExtractedResponse(label=row["label"], number=row["number"], text=row["text"],
                             status=row["status"], recommendation_text=row["recommendation_text"],
                             location=row["source"]["location"])


@transaction.atomic
def load_review(*, data: dict, by, slug: str | None = None) -> Review:
    """Create a review from a checked document (:func:`read_document`); all or nothing.

    ``slug``: the new review's slug (default: the document's), which must be free.
    """
    loader = _Loader(data, by=by, slug=slug)
    review = loader.review()
    loader.documents(review)
    loader.submitted(review)
    loader.load_examples(review)
    loader.keep_personal_data()
    loader.load_recommendations(review)
    loader.load_report(review)
    audit.record(actor=by, verb="review.loaded", subject=review, review=review,
                 format=FORMAT, version=VERSION, source_slug=data["review"]["slug"],
                 findings=len(loader.findings), examples=len(loader.examples),
                 recommendations=len(loader.recs))
    review.refresh_from_db()
    if review.status in PUBLISHED_STATES and not review.is_published:  # pragma: no cover
        raise InvalidInput("The loaded review did not reach its published status")
    return review
