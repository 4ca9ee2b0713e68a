"""`org`: the organisation register from the command line (list, add, edit, merge, CSV)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stocktake.cli.context import data_dir_option, ensure_migrated, friendly_errors, setup_django

LEVELS = ["region", "system", "place", "organisation", "unit"]


def _ready(data_dir) -> None:
    setup_django(data_dir)
    ensure_migrated()


def find_organisation(tree, name: str):
    """The organisation ``name`` stands for (full name, acronym, alias or "Full Name
    (ACR)"), or a one-line error that offers the likely one."""
    found = tree.resolve(name)
    if found is None:
        likely = tree.likely_match(name)
        hint = f"; did you mean {likely.name!r}?" if likely is not None else (
            "; see `stocktake org list`")
        raise click.ClickException(f"No organisation called {name!r}{hint}")
    return found


@click.group()
def org():
    """The organisation register: region → system → place → organisation → unit.

    Wherever a command takes an organisation, its full name, acronym, an alias or
    "Full Name (ACR)" will do.
    """


@org.command("list")
@data_dir_option
@click.option("--search", default="", help="Only organisations whose name, acronym or alias "
              "contains this text.")
@friendly_errors
def org_list(data_dir, search):
    """List the register as a tree: name, acronym, level and type, one per line."""
    _ready(data_dir)
    from stocktake.reviews.orgtree import OrgTree, normalise_name

    tree = OrgTree.load()
    depth = {}
    for org_id in tree.by_id:
        depth[org_id] = len(tree.ancestors(org_id))
    wanted = normalise_name(search) if search else ""
    shown = 0
    for org_id in _tree_order(tree):
        node = tree.get(org_id)
        if wanted and not _matches(tree, node, wanted):
            continue
        shown += 1
        acronym = f" ({node.short_name})" if node.short_name else ""
        click.echo(f"{'  ' * depth[org_id]}{node.name}{acronym}\t{node.level}\t"
                   f"{node.get_kind_display()}")
    if not shown:
        click.echo("No organisations match." if wanted else
                   "The register is empty; add with `stocktake org add` or `stocktake org import`.")


def _tree_order(tree) -> list[int]:
    order, stack = [], list(reversed(tree.children.get(None, [])))
    seen = set()
    while stack:
        org_id = stack.pop()
        if org_id in seen:
            continue
        seen.add(org_id)
        order.append(org_id)
        stack.extend(reversed(tree.children.get(org_id, [])))
    return order


def _matches(tree, node, wanted: str) -> bool:
    from stocktake.reviews.orgtree import normalise_name

    names = [node.name, node.short_name, *tree.aliases_of(node.id)]
    return any(wanted in normalise_name(name) for name in names if name)


@org.command("add")
@data_dir_option
@click.argument("name")
@click.option("--level", required=True, type=click.Choice(LEVELS))
@click.option("--type", "kind", default="other", show_default=True,
              help="e.g. nhs_trust, icb, local_authority, gp_practice, care_home, "
                   "voluntary_sector (see `stocktake org types`).")
@click.option("--parent", help="The organisation it sits below.")
@click.option("--acronym", default="", help="Acronym or short name, e.g. LCH.")
@click.option("--alias", "aliases", multiple=True, help="Another name it is known by "
              "(repeat for more).")
@friendly_errors
def org_add(data_dir, name, level, kind, parent, acronym, aliases):
    """Add an organisation to the register."""
    _ready(data_dir)
    from stocktake.reviews import actions
    from stocktake.reviews.orgtree import OrgTree

    above = find_organisation(OrgTree.load(), parent) if parent else None
    made = actions.create_organisation(name=name, level=level, kind=kind, parent=above,
                                       short_name=acronym, aliases=aliases, by=None)
    acronym = f" ({made.short_name})" if made.short_name else ""
    where = f" in {above.name}" if above else ""
    click.echo(f"Added {made.name}{acronym}, {made.level}{where}.")


@org.command("types")
def org_types():
    """List the organisation types (the values --type and the CSV's type column take)."""
    setup_django(None)
    from stocktake.reviews.models import OrganisationType

    for choice in OrganisationType:
        click.echo(f"{choice.value}\t{choice.label}")


@org.command("edit")
@data_dir_option
@click.argument("organisation")
@click.option("--name", help="New full name.")
@click.option("--acronym", help="New acronym or short name ('' to remove).")
@click.option("--level", type=click.Choice(LEVELS))
@click.option("--type", "kind", help="New type (see `stocktake org types`).")
@click.option("--parent", help="The organisation it now sits below ('' for none).")
@click.option("--alias", "aliases", multiple=True, help="Replace the aliases with these "
              "(repeat for more).")
@click.option("--add-alias", "added", multiple=True, help="Add an alias, keeping the others.")
@friendly_errors
def org_edit(data_dir, organisation, name, acronym, level, kind, parent, aliases, added):
    """Change an organisation's name, acronym, level, type, parent or aliases."""
    _ready(data_dir)
    from stocktake.reviews import actions
    from stocktake.reviews.orgtree import OrgTree

    tree = OrgTree.load()
    target = find_organisation(tree, organisation)
    changes = {key: value for key, value in (("name", name), ("short_name", acronym),
                                              ("level", level), ("kind", kind))
               if value is not None}
    if parent is not None:
        changes["parent"] = find_organisation(tree, parent) if parent else None
    if aliases or added:
        current = [] if aliases else list(target.aliases.values_list("alias", flat=True))
        changes["aliases"] = [*current, *aliases, *added]
    if not changes:
        raise click.UsageError("Give at least one change (see --help)")
    updated = actions.update_organisation(organisation=target, by=None, **changes)
    if updated.changed_fields:
        click.echo(f"Updated {updated.name}: {', '.join(updated.changed_fields)}.")
    else:
        click.echo(f"{updated.name}: nothing changed.")


@org.command("merge")
@data_dir_option
@click.argument("keep")
@click.argument("absorb")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@friendly_errors
def org_merge(data_dir, keep, absorb, yes):
    """Merge ABSORB into KEEP: everything that names ABSORB moves to KEEP, whose aliases
    gain ABSORB's names; then ABSORB goes. Shows what will move and asks first."""
    _ready(data_dir)
    from stocktake.reviews import actions
    from stocktake.reviews.orgtree import OrgTree

    tree = OrgTree.load()
    kept, absorbed = find_organisation(tree, keep), find_organisation(tree, absorb)
    plan = actions.plan_merge(keep=kept, absorb=absorbed)
    if plan.refused:
        raise click.ClickException(plan.refused)
    click.echo(f"Merge {absorbed.name} into {kept.name}. What moves:")
    for key, label in actions.MERGE_LABELS.items():
        if plan.counts.get(key):
            click.echo(f"  {plan.counts[key]} {label}")
    if not any(plan.counts.values()):
        click.echo("  nothing refers to it")
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("Add --yes to merge without being asked")
        click.confirm("Merge?", abort=True)
    actions.merge_organisations(keep=kept, absorb=absorbed, by=None)
    click.echo(f"Merged: {absorbed.name} is now an alias of {kept.name}.")


@org.command("import")
@data_dir_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@friendly_errors
def org_import(data_dir, path):
    """Add or update organisations from a CSV file with columns name, acronym, level,
    type, parent, aliases (separated by ';'). Rows update the organisation their name or
    acronym already names; importing a file twice changes nothing. A bad row stops the
    whole file, with one line per bad row."""
    _ready(data_dir)
    from stocktake.reviews import actions, register

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path.name}: not a UTF-8 CSV file") from None
    result = actions.import_organisations(rows=register.read_csv(text), by=None)
    click.echo(f"{len(result.created)} added, {len(result.updated)} updated, "
               f"{result.unchanged} unchanged.")


@org.command("export")
@data_dir_option
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file [default: print].")
@friendly_errors
def org_export(data_dir, output):
    """Write the register as CSV (what `org import` reads), parents before children."""
    _ready(data_dir)
    from stocktake.reviews import register

    text = register.export_csv()
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {output}")
