"""The organisations a file names, resolved one way for the upload preview and the import.

:class:`FileOrganisations` finds each name of a file in the review's region of an
:class:`~stocktake.reviews.orgtree.OrgTree`, inside the system the file gives when it
gives one, and otherwise makes the organisation (a system under the region, an
organisation under its system or the region) and adds it to the tree, so later names
of the file find it. The import's ``make`` creates organisations; the preview's plans
them on a copy of the tree. Both walk a file with :meth:`FileOrganisations.resolve_file`,
so what the preview promises is what the import does. A row that names a system but no
organisation is the system's own (:meth:`FileOrganisations.for_row`); only rows naming
neither need the organisation chosen on import (:func:`needs_organisation`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from itertools import count

from stocktake.collect.importers import Extraction, Problem
from stocktake.collect.importers.assemble import NO_ORGANISATION
from stocktake.reviews.models import OrganisationLevel
from stocktake.reviews.orgtree import Org, OrgTree, normalise_name, split_acronym

# make(name=..., level=..., parent=<tree node or None>) -> the new node
Make = Callable[..., object]


class FileOrganisations:
    """Each system and organisation one file names, found or made once."""

    def __init__(self, tree: OrgTree, *, region_id: int | None, make: Make):
        self.tree, self.region_id, self._make = tree, region_id, make
        self.systems: dict[str, object | None] = {}
        self.orgs: dict[tuple[str, str | None], object] = {}
        self.found: list = []  # existing organisations the file names, in order
        self.made: list = []  # organisations made for it, in order
        self._made_ids: set[int] = set()

    def _new(self, *, name: str, level: str, parent) -> object:
        node = self._make(name=name, level=level, parent=parent)
        self.tree.add(node)
        self.made.append(node)
        self._made_ids.add(node.id)
        return node

    def is_made(self, node) -> bool:
        return node.id in self._made_ids

    def system(self, name: str | None):
        if not name:
            return None
        if name not in self.systems:
            self.systems[name] = self.tree.system_named(name, within=self.region_id) or self._new(
                name=name, level=OrganisationLevel.SYSTEM, parent=self.tree.get(self.region_id))
        return self.systems[name]

    def organisation(self, name: str, system_name: str | None):
        key = (normalise_name(name), system_name)
        if key not in self.orgs:
            system = self.system(system_name)
            found = self.tree.resolve(name, within=self.region_id,
                                      prefer=system.id if system is not None else None)
            if found is not None:
                self.found.append(found)
            else:
                found = self._new(name=name, level=OrganisationLevel.ORGANISATION,
                                  parent=system or self.tree.get(self.region_id))
            self.orgs[key] = found
        return self.orgs[key]

    def for_row(self, name: str | None, system_name: str | None):
        """Who a row of the file speaks for: its own organisation, else its own system (a
        system's own row), else None (the file's fallback organisation applies)."""
        if name:
            return self.organisation(name, system_name)
        return self.system(system_name)

    def resolve_file(self, extraction: Extraction) -> None:
        """Resolve every organisation the file speaks for, in the order the import stores them.

        A file that gives nobody anything (a report's recommendations, a response document)
        speaks for no organisation: the name in its title is not added to the register."""
        if not (extraction.findings or extraction.examples or extraction.approaches):
            return
        for ref in extraction.organisations:
            self.organisation(ref.name, ref.system)
        for finding in extraction.findings:
            self.for_row(finding.organisation, finding.system)
        for item in (*extraction.examples, *extraction.approaches):
            self.for_row(item.organisation, item.system)


def needs_organisation(extraction: Extraction) -> bool:
    """Whether some finding or approach of the file names neither an organisation nor a system,
    so that it needs the organisation chosen on import (a file whose rows each name their own
    organisation or system needs none)."""
    return any(item.organisation is None and item.system is None
               for item in (*extraction.findings, *extraction.approaches))


def open_problems(extraction: Extraction, *, organisation_chosen: bool) -> list[Problem]:
    """The file's problems, less "does not say which organisation" once it no longer
    applies: the items without one were left out, or the organisation was chosen."""
    settled = organisation_chosen or not needs_organisation(extraction)
    return [p for p in extraction.problems
            if not (settled and p.message.startswith(NO_ORGANISATION))]


def planner() -> Make:
    """A ``make`` for previews: plans an organisation (negative id) without writing anything."""
    ids = count(-1, -1)

    def plan(*, name: str, level: str, parent) -> Org:
        name, short_name = split_acronym(name)  # as create_organisation stores it
        return Org(id=next(ids), name=name, short_name=short_name, level=level,
                   parent_id=parent.id if parent is not None else None)

    return plan


def likely_but_new(extraction: Extraction, tree: OrgTree, *, region_id: int | None,
                   seed: Callable[[FileOrganisations], None], new: Collection[str]
                   ) -> list[tuple[str, str]]:
    """The names the file gives that its import would add as new organisations although the
    register probably holds them (:meth:`OrgTree.likely_match`), each with that likely
    name; leaving out the names in ``new`` (added as new by a person's choice). ``seed``
    applies the organisations chosen for names (``choices.seed_organisations``). Plans on
    a copy of ``tree``: nothing is written."""
    orgs = FileOrganisations(tree.copy(), region_id=region_id, make=planner())
    seed(orgs)
    orgs.resolve_file(extraction)
    found: dict[str, str] = {}
    for ref in extraction.organisations:
        if ref.name in new or ref.name in found:
            continue
        if orgs.is_made(orgs.organisation(ref.name, ref.system)):
            likely = tree.likely_match(ref.name, within=region_id)
            if likely is not None:
                found[ref.name] = likely.name
    return list(found.items())
