"""The upload preview's choices, ready for the template: column roles per table, items to
leave out (a page at a time, so a 5,000-row file's preview stays quick to use), and an
organisation of the register for each name a file gives."""

from __future__ import annotations

import re

from stocktake.collect.choices import item_key
from stocktake.web.presenters.collect import organisation_items

PAGE_SIZE = 50
KIND_LABELS = {"finding": "Finding", "example": "Example", "recommendation": "Recommendation"}


def _items(extraction) -> list[dict]:
    """Every item of the extraction, with its key: findings, then examples, then recommendations."""
    if extraction is None:
        return []
    rows = []
    for index, f in enumerate(extraction.findings):
        rows.append({"key": item_key("finding", index), "kind": "finding", "text": f.text,
                     "organisation": f.organisation or "", "where": f.location})
    for index, e in enumerate(extraction.examples):
        text = f"{e.title}: {e.synopsis}" if e.synopsis else e.title
        rows.append({"key": item_key("example", index), "kind": "example", "text": text,
                     "organisation": e.organisation or "", "where": e.location})
    for index, r in enumerate(extraction.recommendations):
        label = r.label or (str(r.number) if r.number is not None else "")
        rows.append({"key": item_key("recommendation", index), "kind": "recommendation",
                     "text": f"{label}. {r.text}" if label else r.text, "organisation": "",
                     "where": r.location})
    return rows


_IN_ROW = re.compile(r"(, column '[^']*')?(, item \d+)?$")


def _rows(shown: list[dict]) -> None:
    """Mark the first item of each table row that gave several items with the whole row
    (``item["row"]``), so the row can be left out at once."""
    start = 0
    while start < len(shown):
        first = shown[start]
        row = _IN_ROW.sub("", first["where"])
        end = start + 1
        while (end < len(shown) and shown[end]["kind"] == first["kind"] and row != first["where"]
               and _IN_ROW.sub("", shown[end]["where"]) == row):
            end += 1
        if end - start > 1:
            group = shown[start:end]
            first["row"] = {"value": ",".join(item["key"] for item in group), "where": row,
                            "count": len(group), "left_out": all(i["left_out"] for i in group),
                            "id": f"row-{first['key']}"}
        start = end


def _tables(preview, roles: list[tuple[str, str]]) -> list[dict]:
    labels = dict(roles)
    tables = []
    for t, table in enumerate(preview.tables, start=1):
        columns = []
        for c, (header, role) in enumerate(table.columns, start=1):
            items = [{"value": value, "text": text, "selected": value == role}
                     for value, text in roles]
            if role not in labels:  # a role this list does not offer: keep it choosable
                items.insert(0, {"value": role, "text": role, "selected": True})
            columns.append({"id": f"{preview.index}-{t}-{c}", "header": header, "role": role,
                            "label": labels.get(role, role), "items": items})
        tables.append({"number": t, "where": table.where, "skipped": table.skipped,
                       "columns": columns})
    return tables


def _likely(preview, org) -> str | None:
    """The name of a likely match the register suggests for a new organisation, where the
    preview has one (on the name's record or on the new-organisation record); else None."""
    records = [org] + [new for new in preview.created if new.name == org.name]
    for record in records:
        for attr in ("likely", "likely_match", "suggestion"):
            value = getattr(record, attr, None)
            if value:
                return value if isinstance(value, str) else getattr(value, "name", str(value))
    return None


NEW = "new"  # the organisation picker's value for "add a new organisation anyway"


def _organisation_selects(preview, choices, groups) -> list[dict]:
    """A picker for each name the file gives. A name the register probably holds (a likely
    match) starts with no choice made, and offers the suggestion, a new organisation
    anyway, or any other organisation of the register; the import waits for a choice."""
    register = organisation_items(groups, "")[1:]
    selects = []
    for n, org in enumerate(preview.organisations, start=1):
        chosen = str(choices.organisations.get(org.name, ""))
        likely_id = getattr(org, "likely_id", None)
        if likely_id is not None:
            items = _likely_items(org, chosen, register, choices)
        else:
            first = (f"As the file says: {org.matched}" if org.matched
                     else f"As the file says: new organisation, {org.name}")
            items = [{"value": "", "text": first, "selected": not chosen}]
            items += [{**item, "selected": item["value"] == chosen} for item in register]
        likely = _likely(preview, org)
        selects.append({"n": n, "name": org.name, "items": items, "likely": likely,
                        "undecided": bool(getattr(org, "undecided", False)),
                        "likely_choice": likely_id is not None,
                        "id": f"org-{preview.index}-{n}"})
    return selects


def _likely_items(org, chosen: str, register: list[dict], choices) -> list[dict]:
    """A likely match's options: choose (nothing yet), the suggestion, a new one, the rest."""
    new = org.name in choices.new_organisations
    suggestion = str(org.likely_id) if org.likely_id is not None else ""
    items = [{"value": "", "text": "Choose: the suggestion, a new organisation or another",
              "selected": not chosen and not new}]
    if suggestion:
        items.append({"value": suggestion, "text": f"{org.likely_match} (suggested: likely the same)",
                      "selected": chosen == suggestion})
    items.append({"value": NEW, "text": f"A new organisation: {org.name}", "selected": new})
    items += [{**item, "selected": item["value"] == chosen and chosen != suggestion}
              for item in register]
    return items


def preview_file_view(preview, choices, *, page: int, roles, groups, saved, size: str,
                      organisations: list[str]) -> dict:
    """One file of the preview: the staging preview and its choices, for the template."""
    items = _items(preview.extraction)
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = min(page, pages)
    left_out = set(choices.exclude)
    shown = [{**row, "left_out": row["key"] in left_out,
              "kind_label": KIND_LABELS[row["kind"]]}
             for row in items[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]]
    _rows(shown)
    return {
        "preview": preview, "size": size, "organisations": organisations,
        "tables": _tables(preview, roles),
        "mapped": dict(choices.columns),
        "items": shown, "item_total": len(items), "page": page, "pages": pages,
        "first": (page - 1) * PAGE_SIZE + 1, "last": (page - 1) * PAGE_SIZE + len(shown),
        "org_selects": _organisation_selects(preview, choices, groups),
        "saved": [{"value": "", "text": "None"}] + [{"value": str(m.pk), "text": m.name}
                                                     for m in saved],
        "organisation": str(choices.organisation or ""),
    }
