"""What the person importing chose in the upload preview, applied to a file's extraction.

The preview offers, per file: a role for each table column (a
:class:`~stocktake.collect.importers.Mapping`, as ``--mapping`` takes it), items to
leave out, and an organisation of the register for each name the file gives. The
preview and the import apply them with the same functions here, so what the preview
promised is what the import does.

Items are named by a stable key, their kind and place in the file's extraction
(``finding-3``, ``example-0``, ``recommendation-12``): reading the same file with the
same mapping gives the same lists in the same order.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace

import yaml

from stocktake.collect.importers import Extraction, Mapping, parse_mapping
from stocktake.reviews.orgtree import normalise_name

KINDS = ("finding", "example", "recommendation")
_LISTS = {"finding": "findings", "example": "examples", "recommendation": "recommendations"}


def item_key(kind: str, index: int) -> str:
    return f"{kind}-{index}"


def without(extraction: Extraction, exclude: Collection[str]) -> Extraction:
    """The extraction less the items whose keys are in ``exclude``."""
    if not exclude:
        return extraction
    kept = {attr: [item for index, item in enumerate(getattr(extraction, attr))
                   if item_key(kind, index) not in exclude]
            for kind, attr in _LISTS.items()}
    # An organisation only the left-out rows named is not created either.
    named = {getattr(item, "organisation", None) for attr in ("findings", "examples")
             for item in getattr(extraction, attr)}
    still = {item.organisation for attr in ("findings", "examples") for item in kept[attr]}
    kept["organisations"] = [ref for ref in extraction.organisations
                             if ref.name not in named or ref.name in still]
    # An approach goes with its table row when every item that row gave is left out.
    rows = {row_of(item.location) for attr in ("findings", "examples")
            for item in getattr(extraction, attr) if item.location}
    rows_kept = {row_of(item.location) for attr in ("findings", "examples")
                 for item in kept[attr] if item.location}
    kept["approaches"] = [a for a in extraction.approaches
                          if row_of(a.location) not in rows - rows_kept]
    return replace(extraction, **kept)


_IN_ROW = re.compile(r"(, column '[^']*')?(, item \d+)?$")


def row_of(location: str) -> str:
    """The table row a location is in ("… table 1, row 4" for "… table 1, row 4, item 2"
    or "… row 4, column 'Approach'"); other locations are themselves."""
    return _IN_ROW.sub("", location or "")


def seed_organisations(resolver, extraction: Extraction, chosen: dict) -> None:
    """Make ``resolver`` (a FileOrganisations) answer each file name in ``chosen`` with the
    organisation chosen for it (a tree node in the preview, a model in the import)."""
    if not chosen:
        return
    pairs = {(ref.name, ref.system) for ref in extraction.organisations}
    pairs |= {(item.organisation, item.system) for item in [*extraction.findings, *extraction.examples]
              if item.organisation}
    for name, system in pairs:
        if name in chosen and chosen[name] is not None:
            resolver.orgs[(normalise_name(name), system)] = chosen[name]
            if chosen[name] not in resolver.found:
                resolver.found.append(chosen[name])


def mapping_from(columns: dict[str, str], name: str = "the upload preview") -> Mapping | None:
    """A Mapping from {header: role word}; None when there is nothing to map."""
    columns = {header: role for header, role in columns.items() if role}
    if not columns:
        return None
    return parse_mapping({"columns": columns}, name)


def mapping_yaml(columns: dict[str, str], one_row_per: str = "") -> str:
    """The ``--mapping`` file for these choices."""
    data: dict = {"columns": dict(columns)}
    if one_row_per:
        data["one_row_per"] = one_row_per
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
