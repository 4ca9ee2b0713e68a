"""`example` and `case-study`: the report's appendices from the command line, for scripts.

The same actions as the web page "Examples and case studies" (collect.actions for examples,
report.actions.appendix for case studies), run as whoever owns the database (``by=None``).
Lists are tab-separated, one item per line; text with undecided personal data is shown with
each item replaced, as in the report.
"""

from __future__ import annotations

from pathlib import Path

import click

from stocktake.cli.context import (
    data_dir_option,
    ensure_migrated,
    friendly_errors,
    get_review,
    setup_django,
)


def _ready(data_dir, slug: str):
    setup_django(data_dir)
    ensure_migrated()
    return get_review(slug)


def _one_line(text: str) -> str:
    return " ".join(str(text or "").split())


def _example(review, example_id: int):
    from stocktake.collect.models import Example

    found = Example.objects.filter(review=review, pk=example_id).first()
    if found is None:
        raise click.ClickException(f"No example {example_id} in {review.slug}; see "
                                   f"`stocktake example list {review.slug}`")
    return found


def _study(review, study_id: int):
    from stocktake.report.models import CaseStudy

    found = CaseStudy.objects.filter(review=review, pk=study_id).first()
    if found is None:
        raise click.ClickException(f"No case study {study_id} in {review.slug}; see "
                                   f"`stocktake case-study list {review.slug}`")
    return found


def _organisation(name: str | None):
    if name is None:
        return None
    from stocktake.cli.org_cmds import find_organisation
    from stocktake.reviews.models import Organisation
    from stocktake.reviews.orgtree import OrgTree

    return Organisation.objects.get(pk=find_organisation(OrgTree.load(), name).pk)


slug_argument = click.argument("slug")
example_id_argument = click.argument("example_id", type=int)


@click.group()
def example():
    """Curate the report's best-practice examples: list, find duplicates, edit, merge, exclude.

    Examples merged into another are printed once in the report, naming every
    organisation; excluded ones stay stored but are left out.
    """


@example.command("list")
@data_dir_option
@slug_argument
@click.option("--left-out", is_flag=True, help="List the examples left out of the report instead, "
              "with why.")
@friendly_errors
def example_list(data_dir, slug, left_out):
    """List the examples the report will print, in its order: id, domain, system,
    organisation, title, and how many were merged into each."""
    review = _ready(data_dir, slug)
    from stocktake.collect.personal_data import hide_flagged
    from stocktake.report import appendix
    from stocktake.reviews.orgtree import OrgTree

    tree = OrgTree.load()
    if left_out:
        for item in hide_flagged(appendix.left_out_examples(review)):
            click.echo(f"{item.pk}\t{_one_line(item.title)}\t{item.excluded_reason}")
        return
    examples = appendix.appendix_examples(review, tree)
    merged = appendix.merged_into(review, [e.pk for e in examples])
    for item in hide_flagged(examples):
        click.echo("\t".join([
            str(item.pk), item.domain.name if item.domain_id else "No domain",
            tree.system_name(item.organisation_id) or "Not in a system",
            tree.name(item.organisation_id, missing="Not recorded") if item.organisation_id
            else "Not recorded", _one_line(item.title),
            f"{len(merged[item.pk])} merged" if merged.get(item.pk) else ""]).rstrip("\t"))
    if not examples:
        click.echo(f"No examples for the report of {slug} yet.")


@example.command("duplicates")
@data_dir_option
@slug_argument
@friendly_errors
def example_duplicates(data_dir, slug):
    """List pairs of examples that look like duplicates: both ids, how alike (0–1) and
    both titles; same domain and system first."""
    review = _ready(data_dir, slug)
    from stocktake.collect.personal_data import hide_flagged
    from stocktake.report import appendix
    from stocktake.reviews.orgtree import OrgTree

    tree = OrgTree.load()
    examples = appendix.appendix_examples(review, tree)
    pairs = appendix.likely_duplicates(examples, tree)
    titles = {e.pk: _one_line(e.title) for e in hide_flagged(examples)}
    for pair in pairs:
        click.echo(f"{pair.first}\t{pair.second}\t{pair.score:.2f}\t{titles[pair.first]}\t"
                   f"{titles[pair.second]}")
    if not pairs:
        click.echo("No likely duplicates.")


@example.command("edit")
@data_dir_option
@slug_argument
@example_id_argument
@click.option("--title", help="The title the report prints.")
@click.option("--synopsis", help="The synopsis the report prints.")
@friendly_errors
def example_edit(data_dir, slug, example_id, title, synopsis):
    """Change an example's title or synopsis."""
    changes = {k: v for k, v in (("title", title), ("synopsis", synopsis)) if v is not None}
    if not changes:
        raise click.UsageError("Give --title or --synopsis (or both)")
    review = _ready(data_dir, slug)
    from stocktake.collect import actions

    item = actions.update_example(example=_example(review, example_id), by=None, **changes)
    click.echo(f"Example {item.pk} saved.")


@example.command("exclude")
@data_dir_option
@slug_argument
@example_id_argument
@click.option("--reason", required=True, help="Why it is left out of the report.")
@friendly_errors
def example_exclude(data_dir, slug, example_id, reason):
    """Leave an example out of the report, saying why (`include` takes it back)."""
    review = _ready(data_dir, slug)
    from stocktake.collect import actions

    actions.exclude_example(example=_example(review, example_id), reason=reason, by=None)
    click.echo(f"Example {example_id} left out of the report.")


@example.command("include")
@data_dir_option
@slug_argument
@example_id_argument
@friendly_errors
def example_include(data_dir, slug, example_id):
    """Put an excluded example back into the report."""
    review = _ready(data_dir, slug)
    from stocktake.collect import actions

    actions.include_example(example=_example(review, example_id), by=None)
    click.echo(f"Example {example_id} is in the report again.")


@example.command("merge")
@data_dir_option
@slug_argument
@click.argument("keep", type=int)
@click.argument("duplicates", type=int, nargs=-1, required=True)
@friendly_errors
def example_merge(data_dir, slug, keep, duplicates):
    """Merge DUPLICATES into KEEP (example ids): the report prints KEEP once, naming the
    duplicates' organisations too."""
    review = _ready(data_dir, slug)
    from stocktake.collect import actions

    kept = actions.merge_examples(keep=_example(review, keep),
                                  duplicates=[_example(review, d) for d in duplicates], by=None)
    click.echo(f"Merged {', '.join(map(str, duplicates))} into example {kept.pk}.")


@example.command("unmerge")
@data_dir_option
@slug_argument
@example_id_argument
@friendly_errors
def example_unmerge(data_dir, slug, example_id):
    """Undo a merge: the example stands on its own in the report again."""
    review = _ready(data_dir, slug)
    from stocktake.collect import actions

    actions.unmerge_example(example=_example(review, example_id), by=None)
    click.echo(f"Example {example_id} stands on its own again.")


@example.command("from-finding")
@data_dir_option
@slug_argument
@click.argument("finding_id", type=int)
@click.option("--title", required=True, help="The example's title.")
@click.option("--synopsis", default="", help="Its synopsis [default: none].")
@friendly_errors
def example_from_finding(data_dir, slug, finding_id, title, synopsis):
    """Mark a finding as an example (with the finding's organisation, domain and source)."""
    review = _ready(data_dir, slug)
    from stocktake.collect import actions
    from stocktake.collect.models import Finding

    finding = Finding.objects.filter(review=review, pk=finding_id).first()
    if finding is None:
        raise click.ClickException(f"No finding {finding_id} in {slug}")
    made = actions.example_from_finding(finding=finding, title=title, synopsis=synopsis, by=None)
    click.echo(f"Added example {made.pk} from finding {finding_id}.")


# -- case studies ------------------------------------------------------------------------


def _text(text: str | None, text_file: Path | None) -> str | None:
    if text is not None and text_file is not None:
        raise click.UsageError("Give --text or --text-file, not both")
    if text_file is not None:
        try:
            return text_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise click.ClickException(f"Cannot read {text_file}: {exc}") from None
    return text


text_options = [
    click.option("--text", help="The case study's text."),
    click.option("--text-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                 help="Read the text from this UTF-8 file instead."),
    click.option("--person", help="The person or role, as the report prints it."),
    click.option("--organisation", help="Its organisation (name, acronym or alias, from the "
                 "register)."),
]


def _with(options):
    def decorate(func):
        for option in reversed(options):
            func = option(func)
        return func
    return decorate


@click.group("case-study")
def case_study():
    """The report's case studies: list, add, edit, record consent, exclude, reorder.

    A case study is printed only once consent to publish it is recorded, and not
    while it is excluded.
    """


@case_study.command("list")
@data_dir_option
@slug_argument
@friendly_errors
def case_study_list(data_dir, slug):
    """List the case studies in report order: id, title, person, whether in the report."""
    review = _ready(data_dir, slug)
    from stocktake.report.models import CaseStudy

    studies = CaseStudy.objects.filter(review=review).order_by("position", "id")
    for study in studies:
        state = ("in the report" if study.consent_recorded and not study.excluded
                 else "left out" if study.excluded else "consent not recorded")
        click.echo(f"{study.pk}\t{_one_line(study.title)}\t{study.person}\t{state}")
    if not studies:
        click.echo(f"No case studies in {slug} yet.")


@case_study.command("add")
@data_dir_option
@slug_argument
@click.option("--title", required=True, help="The case study's title.")
@_with(text_options)
@friendly_errors
def case_study_add(data_dir, slug, title, text, text_file, person, organisation):
    """Add a case study at the end of the list (consent not yet recorded)."""
    body = _text(text, text_file)
    if body is None:
        raise click.UsageError("Give the case study's --text or --text-file")
    review = _ready(data_dir, slug)
    from stocktake.report.actions import appendix

    study = appendix.add_case_study(review=review, title=title, text=body, person=person or "",
                                    organisation=_organisation(organisation), by=None)
    click.echo(f"Added case study {study.pk}; record consent before it can appear in the report.")


@case_study.command("edit")
@data_dir_option
@slug_argument
@click.argument("study_id", type=int)
@click.option("--title", help="A new title.")
@_with(text_options)
@friendly_errors
def case_study_edit(data_dir, slug, study_id, title, text, text_file, person, organisation):
    """Change a case study's title, text, person or organisation."""
    body = _text(text, text_file)
    review = _ready(data_dir, slug)
    from stocktake.report.actions import appendix

    changes = {k: v for k, v in (("title", title), ("text", body), ("person", person)) if v is not None}
    if organisation is not None:
        changes["organisation"] = _organisation(organisation)
    if not changes:
        raise click.UsageError("Give something to change: --title, --text, --person, --organisation")
    appendix.update_case_study(study=_study(review, study_id), by=None, **changes)
    click.echo(f"Case study {study_id} saved.")


@case_study.command("consent")
@data_dir_option
@slug_argument
@click.argument("study_id", type=int)
@click.option("--note", required=True, help="How consent was given, e.g. \"signed form, 3 March\".")
@friendly_errors
def case_study_consent(data_dir, slug, study_id, note):
    """Record consent to publish a case study (when is recorded for you)."""
    review = _ready(data_dir, slug)
    from stocktake.report.actions import appendix

    appendix.record_consent(study=_study(review, study_id), note=note, by=None)
    click.echo(f"Consent recorded for case study {study_id}.")


@case_study.command("withdraw")
@data_dir_option
@slug_argument
@click.argument("study_id", type=int)
@friendly_errors
def case_study_withdraw(data_dir, slug, study_id):
    """Withdraw consent: the case study leaves the report."""
    review = _ready(data_dir, slug)
    from stocktake.report.actions import appendix

    appendix.withdraw_consent(study=_study(review, study_id), by=None)
    click.echo(f"Consent withdrawn for case study {study_id}.")


@case_study.command("exclude")
@data_dir_option
@slug_argument
@click.argument("study_id", type=int)
@click.option("--include", is_flag=True, help="Take an excluded case study back instead.")
@friendly_errors
def case_study_exclude(data_dir, slug, study_id, include):
    """Leave a case study out of the report (or, with --include, take it back)."""
    review = _ready(data_dir, slug)
    from stocktake.report.actions import appendix

    appendix.set_case_study_excluded(study=_study(review, study_id), excluded=not include, by=None)
    click.echo(f"Case study {study_id} {'included again' if include else 'left out'}.")


@case_study.command("move")
@data_dir_option
@slug_argument
@click.argument("study_id", type=int)
@click.argument("direction", type=click.Choice(["up", "down"]))
@friendly_errors
def case_study_move(data_dir, slug, study_id, direction):
    """Move a case study up or down the report's list."""
    review = _ready(data_dir, slug)
    from stocktake.report.actions import appendix

    appendix.move_case_study(study=_study(review, study_id),
                             offset=-1 if direction == "up" else 1, by=None)
    click.echo(f"Case study {study_id} moved {direction}.")
