"""Frameworks as plain data: loading and validating the YAML form.

FRAMEWORK.yaml::

    key: covid-learning          # optional, derived from name if missing
    name: Learning from COVID-19
    description: ...             # optional
    domains: [{key, name, description, keywords (optional)}]
    themes:  [{key, name, description, keywords (optional)}]

Errors name the file and line of the offending entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from stocktake.analysis.errors import InputError


@dataclass(frozen=True)
class ItemSpec:
    key: str
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """Everything that describes the item, for matching."""
        return " ".join([self.name, self.description, *self.keywords])


@dataclass(frozen=True)
class FrameworkSpec:
    name: str
    key: str
    description: str = ""
    domains: tuple[ItemSpec, ...] = field(default_factory=tuple)
    themes: tuple[ItemSpec, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict:
        def item(spec: ItemSpec) -> dict:
            data = {"key": spec.key, "name": spec.name, "description": spec.description}
            if spec.keywords:
                data["keywords"] = list(spec.keywords)
            return data

        return {
            "key": self.key,
            "name": self.name,
            "description": self.description,
            "domains": [item(d) for d in self.domains],
            "themes": [item(t) for t in self.themes],
        }

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True, width=100)


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line each mapping starts on."""


def _construct_mapping(loader, node, deep=False):
    mapping = yaml.SafeLoader.construct_mapping(loader, node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# A framework item's key: it appears in web addresses (``<slug:key>``) and file names.
KEY_PATTERN = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def _items(data: dict, section: str, where: str, *,
           required: bool) -> tuple[tuple[ItemSpec, ...], list[str]]:
    """A section's items and every problem found in it (one line each, naming the line)."""
    raw = data.get(section)
    line = data.get("__line__", 1)
    if raw is None:
        if required:
            return (), [f"{where}:{line}: no '{section}' list; a framework needs at least one"]
        return (), []
    if not isinstance(raw, list):
        return (), [f"{where}:{line}: '{section}' must be a list of entries with key and name"]
    if required and not raw:
        return (), [f"{where}:{line}: '{section}' is empty; a framework needs at least one"]
    items, seen, problems = [], {}, []
    for index, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(f"{where}: {section} entry {index} is not a mapping with key and "
                            "name")
            continue
        entry_line = entry.get("__line__", line)
        missing = [name for name in ("key", "name")
                   if entry.get(name) is None or str(entry.get(name)).strip() == ""]
        if missing:
            problems += [f"{where}:{entry_line}: {section} entry {index} has no '{name}'"
                         for name in missing]
            continue
        key = str(entry["key"]).strip()
        if not KEY_PATTERN.fullmatch(key):
            problems.append(f"{where}:{entry_line}: the key {key!r} may use only letters, "
                            "digits, hyphens and underscores (80 at most): it is part of web "
                            "addresses")
            continue
        if len(str(entry["name"]).strip()) > 200:
            problems.append(f"{where}:{entry_line}: the name of {key!r} must be 200 characters "
                            "or fewer")
            continue
        if key in seen:
            problems.append(f"{where}:{entry_line}: duplicate {section[:-1]} key {key!r} "
                            f"(first used on line {seen[key]})")
            continue
        seen[key] = entry_line
        keywords = entry.get("keywords") or []
        if isinstance(keywords, str):
            keywords = [k.strip() for k in keywords.split(",") if k.strip()]
        if not isinstance(keywords, list):
            problems.append(f"{where}:{entry_line}: keywords of {key!r} must be a list")
            continue
        items.append(
            ItemSpec(
                key=key,
                name=str(entry["name"]).strip(),
                description=str(entry.get("description") or "").strip(),
                keywords=tuple(str(k).strip() for k in keywords if str(k).strip()),
            )
        )
    return tuple(items), problems


def parse_framework(text: str, where: str = "<framework>") -> FrameworkSpec:
    """A framework from YAML text; InputError lists every problem, one line each, each
    naming ``where`` and its line."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"{where}{line}: not valid YAML ({problem})") from None
    if not isinstance(data, dict):
        raise InputError(f"{where}: a framework file must be a mapping with name, domains and themes")
    name = str(data.get("name") or "").strip()
    problems = [] if name else [f"{where}:{data.get('__line__', 1)}: the framework has no 'name'"]
    domains, found = _items(data, "domains", where, required=False)
    problems += found
    themes, found = _items(data, "themes", where, required=True)
    problems += found
    if problems:
        raise InputError("\n".join(problems))
    return FrameworkSpec(
        name=name,
        key=str(data.get("key") or slugify(name)),
        description=str(data.get("description") or "").strip(),
        domains=domains,
        themes=themes,
    )


def load_framework(path: str | Path) -> FrameworkSpec:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not a framework file") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: not a UTF-8 text file") from None
    return parse_framework(text, where=str(path))


DEFAULT_FRAMEWORK_PATH = Path(__file__).with_name("default_framework.yaml")


def default_framework() -> FrameworkSpec:
    return load_framework(DEFAULT_FRAMEWORK_PATH)
