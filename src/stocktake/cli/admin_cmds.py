"""`framework`, `review` and `user`: setting up a review of your own from the command line."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from stocktake.cli.context import (
    data_dir_option,
    ensure_migrated,
    friendly_errors,
    get_review,
    setup_django,
)


def _ready(data_dir) -> None:
    setup_django(data_dir)
    ensure_migrated()


def _date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2025-03-31") from None


@click.group()
def framework():
    """Load, list and export frameworks (domains and themes)."""


@framework.command("load")
@data_dir_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@friendly_errors
def framework_load(data_dir, path):
    """Load a framework from a YAML file (name, domains, themes)."""
    from stocktake.analysis.framework import load_framework

    spec = load_framework(path)
    _ready(data_dir)
    from stocktake.reviews import actions

    created = actions.create_framework(spec=spec, by=None)
    click.echo(
        f"Loaded framework {created.key!r}: {len(spec.domains)} domains, {len(spec.themes)} themes."
    )


@framework.command("list")
@data_dir_option
@friendly_errors
def framework_list(data_dir):
    """List the frameworks in the database."""
    _ready(data_dir)
    from stocktake.reviews.models import Framework

    for item in Framework.objects.order_by("key"):
        click.echo(f"{item.key}\t{item.name}")


@framework.command("export")
@data_dir_option
@click.argument("key")
@friendly_errors
def framework_export(data_dir, key):
    """Print a stored framework as YAML (the format `framework load` reads)."""
    _ready(data_dir)
    from stocktake.reviews.frameworks import spec_for
    from stocktake.reviews.models import Framework

    stored = Framework.objects.filter(key=key).first()
    if stored is None:
        raise click.ClickException(f"No framework with key {key!r}; see `stocktake framework list`")
    sys.stdout.write(spec_for(stored).to_yaml())


@click.group()
def review():
    """Create and list reviews, and move them through their workflow."""


@review.command("create")
@data_dir_option
@click.option("--title", required=True, help="The review's title.")
@click.option("--slug", required=True, help="Short name used in URLs and commands.")
@click.option("--framework", "framework_key",
              help="Key of a loaded framework [default: the built-in six domains, nine themes].")
@click.option("--opens", help="Date submissions open, YYYY-MM-DD.")
@click.option("--closes", help="Date submissions close, YYYY-MM-DD.")
@click.option("--reflection-by", help="Date reflection sessions are held by, YYYY-MM-DD.")
@click.option("--report-due", help="Date the report is due, YYYY-MM-DD.")
@click.option("--scope", default="", help="What the review covers.")
@friendly_errors
def review_create(data_dir, title, slug, framework_key, opens, closes, reflection_by,
                  report_due, scope):
    """Create a review in draft (sharing the stored framework; a review made in the
    browser gets its own copy)."""
    opens_on, closes_on = _date(opens), _date(closes)
    reflection_on, report_on = _date(reflection_by), _date(report_due)
    _ready(data_dir)
    from stocktake.reviews import actions
    from stocktake.reviews.models import Framework

    chosen = (Framework.objects.filter(key=framework_key).first() if framework_key
              else actions.store_default_framework(by=None))
    if chosen is None:
        raise click.ClickException(f"No framework with key {framework_key!r}")
    created = actions.create_review(title=title, slug=slug, framework=chosen, scope=scope,
                                    opens_on=opens_on, closes_on=closes_on,
                                    reflection_by=reflection_on, report_due_on=report_on,
                                    by=None)
    click.echo(f"Created review {created.slug!r} ({chosen.name}), status draft.")


@review.command("list")
@data_dir_option
@friendly_errors
def review_list(data_dir):
    """List reviews with their status and size."""
    _ready(data_dir)
    from stocktake.reviews.models import Review

    for item in Review.objects.order_by("slug"):
        click.echo(f"{item.slug}\t{item.status}\t{item.findings.count()} findings\t{item.title}")


@review.command("status")
@data_dir_option
@click.argument("slug")
@click.argument("status")
@friendly_errors
def review_status(data_dir, slug, status):
    """Move a review to STATUS (draft, collecting, assessing, reporting, closed).

    A review moves to tracking by publishing its report: `stocktake review publish`.
    """
    if status == "tracking":
        raise click.ClickException(
            "A review moves to tracking only when its report is published, which also makes "
            f"its draft recommendations agreed: run `stocktake review publish {slug}`")
    _ready(data_dir)
    from stocktake.reviews import actions

    target = actions.change_review_status(review=get_review(slug), status=status, by=None)
    click.echo(f"{target.slug} is now {target.status}.")


@review.command("publish")
@data_dir_option
@click.argument("slug")
@click.option("--reason", default="",
              help="Why publish while checks are open (required then; kept with the version).")
@click.option("--correction", "change_note", metavar="NOTE",
              help="Publish a correction of the published report: a new version with this "
                   "note of what changed.")
@click.option("--no-build", is_flag=True,
              help="Leave writing the version's files to the background worker "
                   "(`stocktake worker`) instead of writing them now.")
@friendly_errors
def review_publish(data_dir, slug, reason, change_note, no_build):
    """Publish a review's report: run the checks, record a version, write its files.

    The first publication moves the review to tracking: its draft recommendations
    become agreed, and everyone with a role in the review can then see all submitted
    material. Open checks are printed; with any open, --reason is required (nothing
    is asked on the terminal). The version's files (every format this build has)
    are written now, with progress on stderr, unless --no-build.
    """
    _ready(data_dir)
    from stocktake.cli.report_cmds import progress_printer
    from stocktake.report.actions import publish_correction, publish_report
    from stocktake.report.actions.publishing import write_version_files
    from stocktake.report.checks import publish_checks

    review = get_review(slug)
    checks = publish_checks(review)
    for check in checks:
        if check.count:
            kind = "info" if not check.blocks else "open"
            click.echo(f"Check {kind}: {check.message}", err=True)
    if change_note is not None:
        version = publish_correction(review=review, change_note=change_note, reason=reason,
                                     by=None)
        click.echo(f"{slug}: version {version.number} (a correction) is published.")
    else:
        target = publish_report(review=review, reason=reason, by=None)
        version = target.report_versions.get(number=1)
        click.echo(f"{target.slug} is published and now {target.status}.")
    if no_build:
        click.echo(f"Version {version.number}'s files will be written by the background worker.")
        return
    try:
        status = write_version_files(version=version, progress=progress_printer("files"))
    except Exception:  # recorded on the version (failed, with the message), shown below
        status = "failed"
    version.refresh_from_db()
    click.echo(f"Version {version.number}: {status}"
               + (f" ({version.message})" if version.message else ""))
    if status != "ready":
        raise click.ClickException(f"Version {version.number}'s files were not written: "
                                   f"{version.message}")


@review.command("load")
@data_dir_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--slug", help="Slug for the new review [default: the one in the file].")
@friendly_errors
def review_load(data_dir, path, slug):
    """Load an exported review (JSON, or a data pack zip) as a new review.

    PATH is what `stocktake export --format json` writes, or a data pack holding it
    (review.json), version 2 of the format (docs/data-pack.md). The framework, the
    organisations (matched in the register, else added), findings, codes, examples,
    recommendations with progress and responses, and the report's texts are loaded
    through the same checks as typing them in. All or nothing.
    """
    _ready(data_dir)
    from stocktake.track.review_load import load_review, read_document

    data = read_document(path)
    click.echo(f"Loading {len(data['findings'])} findings, {len(data['examples'])} examples "
               f"and {len(data['recommendations'])} recommendations…", err=True)
    loaded = load_review(data=data, by=None, slug=slug)
    click.echo(f"Loaded {path.name} as review {loaded.slug} ({loaded.status}).")


@review.command("update")
@data_dir_option
@click.argument("slug")
@click.option("--title", help="A new title.")
@click.option("--opens", help="Date submissions open, YYYY-MM-DD.")
@click.option("--closes", help="Date submissions close, YYYY-MM-DD.")
@click.option("--reflection-by", help="Date reflection sessions are held by, YYYY-MM-DD.")
@click.option("--report-due", help="Date the report is due, YYYY-MM-DD.")
@click.option("--scope", help="What the review covers.")
@friendly_errors
def review_update(data_dir, slug, title, opens, closes, reflection_by, report_due, scope):
    """Change a review's title, dates or scope (only the options given)."""
    given = {"title": title, "opens_on": _date(opens), "closes_on": _date(closes),
             "reflection_by": _date(reflection_by), "report_due_on": _date(report_due),
             "scope": scope}
    changes = {name: value for name, value in given.items() if value is not None}
    if not changes:
        raise click.UsageError("Give at least one of --title, --opens, --closes, "
                               "--reflection-by, --report-due, --scope")
    _ready(data_dir)
    from stocktake.reviews import actions

    actions.update_review(review=get_review(slug), by=None, **changes)
    click.echo(f"Updated {slug}: {', '.join(UPDATE_LABELS[name] for name in changes)}.")


@review.command("scan-personal-data")
@data_dir_option
@click.argument("slug")
@click.option("--redact-all", is_flag=True,
              help="Then redact every item still flagged (as a lead's 'Redact all' does).")
@friendly_errors
def review_scan_personal_data(data_dir, slug, redact_all):
    """Flag personal data (NHS numbers, emails, phone numbers, postcodes, names) in findings,
    examples, recommendations, case studies and responses stored before detection existed;
    those already flagged are skipped."""
    _ready(data_dir)
    from stocktake.collect import actions

    target = get_review(slug)
    flagged = actions.scan_personal_data(review=target, by=None)
    click.echo(f"{slug}: {flagged} new item{'s' if flagged != 1 else ''} of possible personal "
               "data flagged.")
    if redact_all:
        redacted = actions.redact_all_personal_data(review=target, by=None)
        click.echo(f"{slug}: {redacted} flagged item{'s' if redacted != 1 else ''} redacted.")


# How `review update` names the fields it changed, in its options' order.
UPDATE_LABELS = {"title": "title", "opens_on": "opening date", "closes_on": "closing date",
                 "reflection_by": "reflection date", "report_due_on": "report due date",
                 "scope": "scope"}


@review.command("template")
@data_dir_option
@click.argument("slug")
@click.option("--organisation", help="Fill in \"About you\" with this organisation (name, short "
              "name or alias).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it [default: SLUG-submission-template.docx here].")
@friendly_errors
def review_template(data_dir, slug, organisation, output):
    """Write the review's Word submission template: a section per domain with the review's
    prompts and a best-practice table. Filled in and imported, each answer goes to its
    domain and section."""
    _ready(data_dir)
    from stocktake.collect.word_template import template_docx, template_filename
    from stocktake.reviews.orgtree import OrgTree

    target = get_review(slug)
    org = None
    if organisation:
        org = OrgTree.load().resolve(organisation, prefer=target.region_id)
        if org is None:
            raise click.ClickException(f"No organisation called {organisation!r}")
    output = output or Path(template_filename(target, organisation=org))
    try:
        output.write_bytes(template_docx(target, organisation=org))
    except OSError as exc:
        raise click.ClickException(f"Cannot write {output}: {exc.strerror or exc}") from None
    click.echo(f"Wrote {output}: the Word submission template for {target.title}"
               + (f", for {org.name}." if org else "."))


@review.command("add-member")
@data_dir_option
@click.argument("slug")
@click.argument("username")
@click.option("--role", required=True,
              type=click.Choice(["lead", "reviewer", "contributor", "action_owner", "viewer"]))
@click.option("--organisation", help="Organisation (name, short name or alias) the member "
              "speaks for; required for contributors and action owners.")
@friendly_errors
def review_add_member(data_dir, slug, username, role, organisation):
    """Give an existing user a role in a review."""
    _ready(data_dir)
    from django.contrib.auth import get_user_model

    from stocktake.cli.org_cmds import find_organisation
    from stocktake.reviews import actions
    from stocktake.reviews.orgtree import OrgTree

    target = get_review(slug)
    member = get_user_model().objects.filter(username=username).first()
    if member is None:
        raise click.ClickException(f"No user {username!r}; create one with `stocktake user create`")
    org = None
    if organisation:
        org = find_organisation(OrgTree.load(), organisation)  # as `org` commands resolve
    actions.add_member(review=target, member=member, role=role, organisation=org, by=None)
    click.echo(f"{username} is now {role} in {slug}.")


@click.group()
def user():
    """Create sign-in accounts."""


@user.command("create")
@data_dir_option
@click.argument("username")
@click.option("--full-name", default="", help="Shown in the header and the audit trail.")
@click.option("--email", default="")
@click.option("--superuser", is_flag=True, help="Acts as review lead in every review.")
@click.option("--password", envvar="STOCKTAKE_PASSWORD",
              help="[default: $STOCKTAKE_PASSWORD, else asked for]")
@friendly_errors
def user_create(data_dir, username, full_name, email, superuser, password):
    """Create a user who can sign in."""
    _ready(data_dir)
    from stocktake.reviews import actions

    if password is None:
        if not sys.stdin.isatty():
            raise click.ClickException("Give --password or set STOCKTAKE_PASSWORD")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    actions.create_user(username=username, password=password, email=email, full_name=full_name,
                        is_superuser=superuser, by=None)
    click.echo(f"Created user {username}.")


@click.command()
@data_dir_option
@click.argument("slug", required=False)
@click.option("--review", "review_option", metavar="SLUG",
              help="The review's slug, as an option (the same as the SLUG argument).")
@click.option("--recommendation", "number", type=int,
              help="Number of the recommendation to report progress on; omit to list them all.")
@click.option("--status", type=click.Choice(
    ["agreed", "in_progress", "completed", "not_progressed", "superseded", "no_longer_relevant"]),
    help="Its status now.")
@click.option("--note", default="", help="What was done (the update's narrative).")
@click.option("--rag", type=click.Choice(["red", "amber", "green"]),
              help="Red, amber or green: delivery against the plan.")
@click.option("--evidence", "evidence", multiple=True, metavar="URL",
              help="A web address of evidence; repeat for several.")
@click.option("--attachment", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A document kept with the update as evidence (PDF, Word, Excel, ...).")
@click.option("--reason", default="",
              help="Why a complete recommendation has no evidence.")
@click.option("--organisation", metavar="NAME",
              help="The system the update is about, where the recommendation is tracked per "
                   "system (a name, acronym or alias in the organisation register).")
@friendly_errors
def track(data_dir, slug, review_option, number, status, note, rag, evidence, attachment, reason,
          organisation):
    """List the recommendations of review SLUG with their status, or record progress on one.

    "completed" needs evidence (--evidence or --attachment) or a --reason.
    """
    if slug and review_option and slug != review_option:
        raise click.UsageError(f"Two different reviews given: {slug} and --review {review_option}")
    slug = slug or review_option
    if not slug:
        raise click.UsageError("Give the review's slug: stocktake track SLUG")
    _ready(data_dir)
    target = get_review(slug)
    if number is None:
        for rec in (target.recommendations.select_related("owner")
                    .prefetch_related("responses", "system_statuses__organisation")
                    .order_by("number")):
            owner = rec.owner.display_name if rec.owner else "no owner"
            answers = [r.get_status_display().lower() for r in rec.responses.all()]
            said = f"  [response: {', '.join(answers)}]" if answers else ""
            rag_text = f" {rec.rag}" if rec.rag else ""
            click.echo(f"{rec.shown_number:>3}  {rec.status:<15}{rag_text} {owner:<12} "
                       f"{rec.text[:70]}{said}")
            for row in rec.system_statuses.all():
                rag_text = f" {row.rag}" if row.rag else ""
                click.echo(f"       {row.organisation.display_name}: {row.status}{rag_text}")
        return
    if status is None:
        raise click.UsageError("--status is required with --recommendation")
    rec = target.recommendations.filter(number=number).first()
    if rec is None:
        raise click.ClickException(f"{slug} has no recommendation {number}")
    from django.core.files import File

    from stocktake.reviews.orgtree import OrgTree
    from stocktake.track.actions import record_progress
    from stocktake.track.models import UpdateChannel

    org = None
    if organisation:
        org = OrgTree.load().resolve(organisation, within=target.region_id)
        if org is None:
            raise click.BadParameter(f"{organisation!r} is not in the organisation register",
                                     param_hint="'--organisation'")
    handle = attachment.open("rb") if attachment else None
    try:
        record_progress(recommendation=rec, status=status, note=note, rag=rag or "",
                        evidence_links=evidence, reason=reason, organisation=org,
                        attachment=File(handle, name=attachment.name) if handle else None,
                        channel=UpdateChannel.CLI, by=None)
    finally:
        if handle:
            handle.close()
    where = f" in {org.name}" if org else ""
    click.echo(f"Recommendation {number} is now {status}{where}.")
