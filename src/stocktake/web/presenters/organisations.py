"""The organisation register's pages: the tree, an organisation and the merge plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from stocktake.reviews.models import OrganisationLevel, OrganisationType
from stocktake.reviews.orgtree import OrgTree, normalise_name

LEVELS = dict(OrganisationLevel.choices)
TYPES = dict(OrganisationType.choices)


@dataclass
class OrgNode:
    id: int
    name: str
    acronym: str
    level: str
    type: str
    href: str
    part_of: str = ""  # the chain above it, for search results
    children: list[OrgNode] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


def _node(tree: OrgTree, org) -> OrgNode:
    return OrgNode(id=org.id, name=org.name, acronym=org.short_name or "",
                   level=LEVELS.get(org.level, org.level),
                   type=TYPES.get(getattr(org, "kind", ""), ""),
                   href=reverse("organisation", kwargs={"org_id": org.id}))


def register_tree(tree: OrgTree) -> list[OrgNode]:
    """The register as nested nodes, each level in name order."""
    nodes = {org_id: _node(tree, org) for org_id, org in tree.by_id.items()}
    roots = []
    for org_id, org in tree.by_id.items():
        parent = nodes.get(org.parent_id)
        (parent.children if parent is not None and org.parent_id != org_id else roots).append(
            nodes[org_id])
    return roots


def search(tree: OrgTree, text: str) -> list[OrgNode]:
    """Organisations whose name, acronym or an alias contains ``text`` (ignoring case,
    punctuation and filler words), each with the chain it is part of."""
    wanted = normalise_name(text)
    exact = tree.resolve(text)  # "Full Name (ACR)" resolves though no one name contains it
    found = []
    for org_id, org in tree.by_id.items():
        names = [org.name, org.short_name, *tree.aliases_of(org_id)]
        if (exact is not None and org_id == exact.id) or any(
                wanted in normalise_name(name) for name in names if name):
            node = _node(tree, org)
            node.part_of = " › ".join(a.name for a in reversed(tree.ancestors(org_id)))
            found.append(node)
    return found


def ancestors(tree: OrgTree, org_id: int) -> list[OrgNode]:
    """From the top of the register down to the organisation's parent."""
    return [_node(tree, org) for org in reversed(tree.ancestors(org_id))]


def children(tree: OrgTree, org_id: int) -> list[OrgNode]:
    return [_node(tree, tree.get(child)) for child in tree.children.get(org_id, [])]


def merge_lines(plan, labels: dict[str, str]) -> list[str]:
    """What a merge moves, one line per kind of thing ("3 findings")."""
    return [f"{plan.counts[key]} {label}" for key, label in labels.items()
            if plan.counts.get(key)]


def form_values(form, organisation=None, tree: OrgTree | None = None) -> dict[str, str]:
    """The text each field shows: what was posted, else the organisation's own values."""
    if form.is_bound:
        return {name: str(form.data.get(name, "")) for name in form.fields}
    if organisation is None:
        return {"level": OrganisationLevel.ORGANISATION, "kind": OrganisationType.OTHER}
    parent = tree.get(organisation.parent_id) if tree is not None else organisation.parent
    return {
        "name": organisation.name, "short_name": organisation.short_name,
        "level": organisation.level, "kind": organisation.kind,
        "parent": parent.name if parent is not None else "",
        "aliases": "\n".join(a.alias for a in organisation.aliases.all()),
    }


def choice_items(choices, value: str) -> list[dict]:
    return [{"value": key, "text": text, "selected": key == value} for key, text in choices]
