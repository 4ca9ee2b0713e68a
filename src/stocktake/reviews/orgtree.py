"""The organisation tree (region → system → place → organisation → unit), read once.

:meth:`OrgTree.load` reads every organisation in one query and, the first time a
name is resolved, every alias in a second; after that descendants, ancestors, the
system of an organisation, display names and name resolution are plain Python.
A request or an import loads one tree and asks it everything, so the number of
queries does not grow with the depth or size of the tree.

The tree works on any nodes with ``id, name, short_name, level, parent_id``:
``Organisation`` rows when loaded from the database (so what it returns can be
stored), :class:`Org` in tests. Nothing else in stocktake walks the tree.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db import connection

from stocktake.core.models import AuditEvent
from stocktake.reviews.models import Organisation, OrganisationAlias, OrganisationLevel

_FILLER = re.compile(r"\b(nhs|foundation|trust|ft|the|and|&|of|for|limited|ltd|cic)\b", re.IGNORECASE)
# "Leeds Community Healthcare NHS Trust (LCH)": a name followed by its acronym in brackets.
_WITH_ACRONYM = re.compile(r"^(?P<full>.+?)\s*\((?P<acronym>[A-Za-z0-9&]{2,12})\)$")


def normalise_name(name: str) -> str:
    """A form of an organisation's name that ignores case, punctuation and filler words
    ("NHS", "Foundation", "Trust", "FT", "&"/"and" …)."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    stripped = " ".join(_FILLER.sub(" ", text).split())
    return stripped or " ".join(text.split())


def name_forms(name: str) -> list[str]:
    """The normalised forms a name may stand for, best first: the whole name and, for
    "Full Name (ACR)", the full name and then the acronym (two capitals or more)."""
    name = " ".join((name or "").split())
    forms = [normalise_name(name)]
    match = _WITH_ACRONYM.match(name)
    if match and sum(c.isupper() for c in match["acronym"]) >= 2:
        forms += [normalise_name(match["full"]), normalise_name(match["acronym"])]
    return [form for index, form in enumerate(forms) if form and form not in forms[:index]]


def split_acronym(name: str) -> tuple[str, str]:
    """"Leeds Community Healthcare NHS Trust (LCH)" -> ("Leeds Community Healthcare NHS
    Trust", "LCH"); a name without an acronym in brackets comes back whole, with "".
    How a new organisation named that way is stored: the acronym as its short name."""
    name = " ".join((name or "").split())
    match = _WITH_ACRONYM.match(name)
    if match and sum(c.isupper() for c in match["acronym"]) >= 2:
        return match["full"].strip(), match["acronym"]
    return name, ""


def initials(name: str) -> str:
    """The acronym a name would have: first letters of its words, filler words left out
    ("Leeds Community Healthcare NHS Trust" -> "lch")."""
    return "".join(word[0] for word in normalise_name(name).split())


# How alike two normalised names must be (difflib's ratio) to be offered as a likely match.
LIKELY_RATIO = 0.86


@dataclass(frozen=True)
class Org:
    """A node of the tree without the database (tests; organisations an upload would add)."""

    id: int
    name: str
    short_name: str
    level: str
    parent_id: int | None

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


def _alias_rows():
    return OrganisationAlias.objects.order_by("pk").values_list("organisation_id", "alias")


def _version_sql() -> str:
    """One query whose answer moves on whenever organisations or aliases may have changed:
    the newest audit event (every action records one, organisation edits included) and
    the count, newest id and newest creation time of organisations and of aliases."""
    org, alias = Organisation._meta.db_table, OrganisationAlias._meta.db_table
    event = AuditEvent._meta.db_table
    return (f"SELECT (SELECT MAX(id) FROM {event}), "
            f"(SELECT COUNT(*) FROM {org}), (SELECT MAX(id) FROM {org}), "
            f"(SELECT MAX(created_at) FROM {org}), "
            f"(SELECT COUNT(*) FROM {alias}), (SELECT MAX(id) FROM {alias})")


_shared: dict[str, tuple] = {}  # database alias → (version, tree)
_loading = threading.Lock()


class OrgTree:
    """Organisations by id, their children, and every name they answer to."""

    _frozen = False  # a shared tree (see :meth:`shared`) is never added to
    version: tuple | None = None  # a shared tree's version: the same version, the same tree

    def __init__(self, orgs: Iterable, aliases: Iterable[tuple[int, str]] | Callable = ()):
        """``orgs``: nodes, in the order ties between equal names are settled (name, id);
        ``aliases``: ``(organisation id, alias)`` pairs, or a callable giving them when a
        name is first resolved."""
        self.by_id: dict[int, object] = {}
        self.children: dict[int | None, list[int]] = {}
        self._names: dict[str, list[int]] | None = None  # built when a name is first resolved
        self._alias_source = aliases
        self._aliases: dict[str, list[int]] | None = None
        self._alias_names: dict[int, list[str]] = {}
        self._initials: dict[str, list[int]] | None = None  # built for the first likely match
        self._forms: list | None = None  # likewise
        self._below: dict[int, frozenset[int]] = {}
        self._systems: dict[int, object | None] = {}
        for org in orgs:
            self.add(org)

    @classmethod
    def load(cls) -> OrgTree:
        """Every organisation (one query); aliases follow in one more when first needed."""
        return cls(Organisation.objects.order_by("name", "pk"), aliases=_alias_rows)

    @classmethod
    def shared(cls) -> OrgTree:
        """The tree :meth:`load` would give, kept in this process until organisations change.

        For pages, which only read it: one small version query instead of reading every
        organisation on each request. The tree is shared between threads and requests,
        so it cannot be added to (``copy()`` it first); its answers are the same as a
        fresh tree's whenever the version is (the version moves on with every action).
        """
        with connection.cursor() as cursor:
            cursor.execute(_version_sql())
            version = tuple(str(value) for value in cursor.fetchone())
        kept = _shared.get(connection.alias)
        if kept is not None and kept[0] == version:
            return kept[1]
        with _loading:  # threads that miss together wait for the first load
            kept = _shared.get(connection.alias)
            if kept is None or kept[0] != version:
                tree = cls.load()
                tree._name_map(), tree._alias_map()  # built now: threads only read it
                tree._frozen, tree.version = True, version
                kept = _shared[connection.alias] = (version, tree)
        return kept[1]

    def copy(self) -> OrgTree:
        """A tree that can be added to without changing this one."""
        other = OrgTree(())
        other.by_id = dict(self.by_id)
        other.children = {key: list(ids) for key, ids in self.children.items()}
        other._names = {key: list(ids) for key, ids in self._name_map().items()}
        other._alias_source, other._aliases = self._alias_source, self._alias_map()
        other._alias_names = {key: list(names) for key, names in self._alias_names.items()}
        return other

    def add(self, org) -> None:
        """Make a new organisation known (it resolves after its namesakes already here)."""
        if self._frozen:
            raise TypeError("a shared organisation tree cannot be added to: copy() it first")
        self.by_id[org.id] = org
        self.children.setdefault(org.parent_id, []).append(org.id)
        if self._names is not None:
            self._index(org)
        self._below.clear()
        self._systems.clear()
        self._initials = self._forms = None

    # -- walking ------------------------------------------------------------------

    def get(self, org_id: int | None):
        return self.by_id.get(org_id) if org_id is not None else None

    def ancestors(self, org_id: int) -> list:
        """Parents from the nearest up to the root (a cycle ends the walk)."""
        chain, seen = [], {org_id}
        node = self.get(getattr(self.get(org_id), "parent_id", None))
        while node is not None and node.id not in seen:
            chain.append(node)
            seen.add(node.id)
            node = self.get(node.parent_id)
        return chain

    def descendants(self, org_id: int) -> frozenset[int]:
        """The organisation and every organisation below it."""
        if org_id not in self._below:
            found, frontier = {org_id}, [org_id]
            while frontier:
                for child in self.children.get(frontier.pop(), ()):
                    if child not in found:
                        found.add(child)
                        frontier.append(child)
            self._below[org_id] = frozenset(found)
        return self._below[org_id]

    def descendants_of(self, org_ids: Iterable[int]) -> frozenset[int]:
        return frozenset().union(*(self.descendants(org_id) for org_id in org_ids))

    def system_of(self, org_id: int | None):
        """The integrated care system the organisation belongs to (itself if it is one)."""
        if org_id not in self._systems:
            org = self.get(org_id)
            chain = [org, *self.ancestors(org_id)] if org is not None else []
            self._systems[org_id] = next(
                (node for node in chain if node.level == OrganisationLevel.SYSTEM), None)
        return self._systems[org_id]

    def below(self, root_id: int | None, *, levels: Iterable[str]) -> list:
        """Organisations at ``levels`` in ``root_id``'s subtree (everywhere if None), in the
        tree's order (by name, as loaded)."""
        levels = set(levels)
        ids = self.descendants(root_id) if root_id is not None else self.by_id.keys()
        return [org for org in self.by_id.values() if org.level in levels and org.id in ids]

    # -- names --------------------------------------------------------------------

    def name(self, org_id: int | None, missing: str = "Unknown organisation") -> str:
        org = self.get(org_id)
        return org.name if org else missing

    def system_name(self, org_id: int | None) -> str:
        system = self.system_of(org_id)
        return system.name if system else ""

    def name_with_system(self, org_id: int | None) -> str:
        """"Ashby General Hospital NHS Foundation Trust (NICS)"."""
        org = self.get(org_id)
        if org is None:
            return "Unknown organisation"
        system = self.system_of(org.id)
        if system is None or system.id == org.id:
            return org.name
        return f"{org.name} ({system.display_name})"

    # -- resolving ----------------------------------------------------------------

    def _index(self, org) -> None:
        for form in name_forms(org.name) + name_forms(org.short_name or ""):
            ids = self._names.setdefault(form, [])
            if org.id not in ids:
                ids.append(org.id)

    def _name_map(self) -> dict[str, list[int]]:
        if self._names is None:
            self._names = {}
            for org in self.by_id.values():
                self._index(org)
        return self._names

    def _alias_map(self) -> dict[str, list[int]]:
        if self._aliases is None:
            source = self._alias_source
            self._aliases = {}
            for org_id, alias in (source() if callable(source) else source):
                self._alias_names.setdefault(org_id, []).append(alias)
                for form in name_forms(alias):
                    self._aliases.setdefault(form, []).append(org_id)
        return self._aliases

    def resolve(self, name: str, *, within: int | None = None, prefer: int | None = None):
        """The organisation called ``name``, or None.

        A name matches an organisation's full name, short name or an alias, ignoring case,
        punctuation and filler words; "Full Name (ACR)" also matches by its full name, then
        by its acronym. Names are tried before aliases, the first organisation by name wins a
        tie. Only organisations in ``within``'s subtree count (all when None); one in
        ``prefer``'s subtree wins over the rest.
        """
        for scope in ([prefer] if prefer is not None else []) + [within]:
            allowed = self.descendants(scope) if scope is not None else self.by_id.keys()
            for form in name_forms(name):
                for ids in (self._name_map().get(form, ()), self._alias_map().get(form, ())):
                    found = next((i for i in ids if i in allowed and i in self.by_id), None)
                    if found is not None:
                        return self.by_id[found]
        return None

    def aliases_of(self, org_id: int) -> list[str]:
        """The aliases of an organisation, as written."""
        self._alias_map()
        return list(self._alias_names.get(org_id, ()))

    def likely_match(self, name: str, *, within: int | None = None):
        """The organisation ``name`` probably means when it does not resolve: a near
        spelling, the same words with one more or fewer, or an acronym that is the
        initials of an organisation's name ("LCH" for "Leeds Community Healthcare NHS
        Trust"). Only ever a suggestion for a person to accept: imports never apply it.
        None when ``name`` resolves, or when nothing is close enough."""
        if not normalise_name(name or "") or self.resolve(name, within=within) is not None:
            return None
        allowed = self.descendants(within) if within is not None else self.by_id.keys()
        return self._most_like([name], allowed, skip=frozenset())

    def similar_to(self, org_id: int):
        """Another organisation that may be the same as this one (a possible duplicate to
        merge): the one most like any of its names, by :meth:`likely_match`'s rules, that
        is not itself, above it or below it. None when none is close enough."""
        org = self.get(org_id)
        if org is None:
            return None
        skip = self.descendants(org_id) | {a.id for a in self.ancestors(org_id)}
        names = [org.name, org.short_name or "", *self.aliases_of(org_id)]
        return self._most_like([n for n in names if normalise_name(n)], self.by_id.keys(),
                               skip=skip)

    def _most_like(self, names: list[str], allowed, *, skip):
        best, best_score = None, LIKELY_RATIO

        def offer(ids, score):
            nonlocal best, best_score
            found = next((i for i in ids if i in allowed and i not in skip and i in self.by_id),
                         None)
            if found is not None:
                best, best_score = self.by_id[found], score

        for name in names:
            compact = re.sub(r"[^A-Za-z]", "", name)
            if 3 <= len(compact) <= 8 and compact.isupper() and best_score < 0.95:
                offer(self._initials_map().get(compact.lower(), ()), 0.95)
        forms, by_word, single = self._likely_forms()
        for query in dict.fromkeys(form for name in names for form in name_forms(name)):
            matcher = SequenceMatcher(None)
            matcher.set_seq2(query)  # difflib caches the second sequence: compared to many
            words, size = frozenset(query.split()), len(query)
            # Candidates share a word with the name (a one-word name: any one-word form).
            shortlist = set(single) if len(words) == 1 else set()
            for word in words:
                shortlist.update(by_word.get(word, ()))
            for position in sorted(shortlist):
                form, other, ids = forms[position]
                if len(words) >= 2 and len(other) >= 2 and (words <= other or other <= words):
                    score = 1.0 if words == other else 0.9
                else:
                    # difflib's ratio is at most 2·min/(sum of lengths): skip hopeless ones cheaply
                    if 2 * min(size, len(form)) <= best_score * (size + len(form)):
                        continue
                    matcher.set_seq1(form)
                    if matcher.quick_ratio() <= best_score:
                        continue
                    score = matcher.ratio()
                if score > best_score:
                    offer(ids, score)
        return best

    def _likely_forms(self):
        """For :meth:`likely_match`: every normalised name and alias with its words and
        organisations; where each word occurs; which forms are one word."""
        if self._forms is None:
            forms = [(form, frozenset(form.split()), ids)
                     for index in (self._name_map(), self._alias_map())
                     for form, ids in index.items()]
            by_word: dict[str, list[int]] = {}
            for position, (_, words, _) in enumerate(forms):
                for word in words:
                    by_word.setdefault(word, []).append(position)
            single = [position for position, (_, words, _) in enumerate(forms)
                      if len(words) == 1]
            self._forms = (forms, by_word, single)
        return self._forms

    def _initials_map(self) -> dict[str, list[int]]:
        if self._initials is None:
            self._initials = {}
            for org in self.by_id.values():
                self._initials.setdefault(initials(org.name), []).append(org.id)
        return self._initials

    def system_named(self, name: str, *, within: int | None = None):
        """The system ``name`` stands for: the organisation it resolves to if that is a
        system, else the system above it (None if neither)."""
        found = self.resolve(name, within=within)
        return self.system_of(found.id) if found is not None else None
