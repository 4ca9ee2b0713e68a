"""The organisation tree (region → system → place → organisation → unit) in memory.

A view loads the organisations' ``id, name, short_name, level, parent_id`` rows
once; this answers "which system?", "which organisations below?" and "what is
it called?" without a query per organisation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from stocktake.reviews.models import OrganisationLevel


@dataclass(frozen=True)
class Org:
    id: int
    name: str
    short_name: str
    level: str
    parent_id: int | None

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


class OrgTree:
    def __init__(self, orgs: Iterable[Org]):
        self.by_id: dict[int, Org] = {org.id: org for org in orgs}
        self.children: dict[int, set[int]] = defaultdict(set)
        for org in self.by_id.values():
            if org.parent_id is not None:
                self.children[org.parent_id].add(org.id)

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping]) -> OrgTree:
        return cls(
            Org(id=r["id"], name=r["name"], short_name=r.get("short_name") or "",
                level=r["level"], parent_id=r.get("parent_id"))
            for r in rows
        )

    def get(self, org_id: int | None) -> Org | None:
        return self.by_id.get(org_id) if org_id is not None else None

    def ancestors(self, org_id: int) -> list[Org]:
        chain, seen = [], {org_id}
        node = self.get(self.by_id[org_id].parent_id) if org_id in self.by_id else None
        while node is not None and node.id not in seen:
            chain.append(node)
            seen.add(node.id)
            node = self.get(node.parent_id)
        return chain

    def system_of(self, org_id: int) -> Org | None:
        """The integrated care system the organisation belongs to (itself if it is one)."""
        org = self.get(org_id)
        if org is None:
            return None
        if org.level == OrganisationLevel.SYSTEM:
            return org
        systems = (a for a in self.ancestors(org_id) if a.level == OrganisationLevel.SYSTEM)
        return next(systems, None)

    def descendants(self, org_id: int) -> set[int]:
        """The organisation and every organisation below it."""
        found, frontier = {org_id}, [org_id]
        while frontier:
            for child in self.children.get(frontier.pop(), ()):
                if child not in found:
                    found.add(child)
                    frontier.append(child)
        return found

    def name(self, org_id: int | None, missing: str = "Unknown organisation") -> str:
        org = self.get(org_id)
        return org.name if org else missing

    def name_with_system(self, org_id: int | None) -> str:
        """"Ashby General Hospital NHS Foundation Trust (NICS)"."""
        org = self.get(org_id)
        if org is None:
            return "Unknown organisation"
        system = self.system_of(org.id)
        if system is None or system.id == org.id:
            return org.name
        return f"{org.name} ({system.display_name})"
