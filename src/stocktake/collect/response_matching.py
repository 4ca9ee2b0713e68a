"""Which recommendation a response answers: by its number as printed, then its number, then
the recommendation as quoted (plain functions on plain values, used by the upload preview
and by ``track.actions.record_responses``, so the preview promises what the import does).

Numbers are compared after normalising how documents print them: "Recommendation 8.12",
"R8.12", "8.12." and "8.12" are one label; "4a) iii", "4a(iii)" and "4a iii" are one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_PREFIX = re.compile(r"^\s*(?:recommendations?|recs?\.?|no\.?|r)\s*(?=[0-9])", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
# How much of a quoted recommendation's words must be shared to match on text alone.
TEXT_MATCH = 0.6


def normalise_label(label: str | None) -> str:
    """A recommendation's number as printed, in one comparable form ("" when there is none)."""
    text = _PREFIX.sub("", (label or "").strip().lower())
    text = re.sub(r"(?<=[0-9])\.(?=[a-z])", "", text)  # "4.a" → "4a"
    text = re.sub(r"[^0-9a-z.]+", "", text)
    return text.strip(".")


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if len(w) > 2}


def overlap(a: str, b: str) -> float:
    """Shared words over the smaller text's words (0 when either has none)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


@dataclass(frozen=True)
class Target:
    """A recommendation a response may answer."""

    id: int
    label: str  # as printed ("" when it has only its number)
    number: int
    text: str

    @property
    def shown(self) -> str:
        return self.label or str(self.number)


@dataclass(frozen=True)
class Match:
    target: Target | None
    reason: str = ""  # why there is no target: one phrase


def response_name(label: str, number: int | None) -> str:
    """How a message names the response's recommendation: "recommendation 8.12"."""
    shown = label or (str(number) if number is not None else "")
    return f"recommendation {shown}" if shown else "an unnumbered recommendation"


def matcher_for(review) -> ResponseMatcher:
    """The matcher of a review's recommendations (the import and the upload preview use it)."""
    return ResponseMatcher(
        Target(pk, label, number, text)
        for pk, label, number, text in review.recommendations.order_by("number", "id")
        .values_list("pk", "label", "number", "text"))


class ResponseMatcher:
    """Finds the recommendation a response answers among a review's recommendations."""

    def __init__(self, targets: Iterable[Target]):
        self.targets = list(targets)
        self._by_label: dict[str, list[Target]] = {}
        for target in self.targets:
            self._by_label.setdefault(normalise_label(target.shown), []).append(target)

    def match(self, *, label: str, number: int | None, quoted: str = "") -> Match:
        key = normalise_label(label)
        if not key and number is not None:
            key = str(number)
        if key:
            found = self._by_label.get(key, [])
            if not found:
                return Match(None, f"no {response_name(label, number)} in this review")
            return self._pick(found, quoted, label, number)
        if quoted:
            return self._pick(self.targets, quoted, label, number, by_text=True)
        return Match(None, "the response does not say which recommendation it answers")

    def _pick(self, found: list[Target], quoted: str, label: str, number: int | None, *,
              by_text: bool = False) -> Match:
        if len(found) == 1 and not by_text:
            return Match(found[0])
        scored = sorted(((overlap(quoted, t.text), t.id, t) for t in found),
                        key=lambda s: (-s[0], s[1])) if quoted else []
        if scored and scored[0][0] >= (TEXT_MATCH if by_text else 0.0) and (
                len(scored) == 1 or scored[0][0] > scored[1][0]):
            return Match(scored[0][2])
        if by_text:
            return Match(None, "no recommendation of this review matches the text it quotes")
        return Match(None, f"{len(found)} recommendations of this review are numbered "
                           f"{found[0].shown}; which one it answers is unclear")
