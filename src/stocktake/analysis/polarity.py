"""Is a statement an achievement, a challenge, both or neither? (plain Python, no Django)

Two layers. The **cue rules** here score a statement;
:func:`stocktake.analysis.polarity_model.polarities` then weighs those scores
together with the statement's words in a small model trained on the labelled
statements shipped with the package. On review-style text the rules
alone left two statements in five without a cue (and called them neutral);
the model agrees with hand-coded polarity clearly more often on sets it was not
trained on (docs/quality.md).

The cue rules: a lexicon of health-and-care cue words and phrases (the lists
below plus ``polarity_cues.yaml``, a larger lexicon of the field's register:
board papers, session notes, plain reports of action), with three rules:

- **negation**: "not", "no", "never", "without", "could not" … flip the next
  cue within three words ("no delays" is good news, "not well received" bad);
  the strong negators ("could not", "unable to", "did not", "not enough")
  count as a challenge themselves when no cue follows;
- **reduction**: "reduced", "cut", "fewer", "shorter", "tackled" … next to a
  challenge word turn it into an achievement ("reduced waiting", "cut delays");
- **contrast**: "but", "however", "although", "despite", "yet" … split the
  statement into clauses; achievement and challenge in different clauses make
  it **mixed**. Without a contrast the stronger side wins, and near-ties are
  mixed.

Statements of intent ("will", "plans to", "next year") with weak cues are
**neutral** (:func:`rule_classify`). Each text takes a few microseconds.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ACHIEVEMENT, CHALLENGE, MIXED, NEUTRAL = "achievement", "challenge", "mixed", "neutral"
CUES_PATH = Path(__file__).with_name("polarity_cues.yaml")

_POSITIVE = {
    # strong
    "successfully": 2, "successful": 2, "success": 2, "improved": 2, "well received": 2,
    "worked well": 2, "rapidly set up": 2, "excellent": 2, "outstanding": 2, "proud": 2,
    "for the first time": 1.5, "achieved": 2, "transformed": 1.5, "has become": 1,
    "has since been": 1, "now used": 1.5, "is now used": 1.5, "thrived": 2, "flourished": 2,
    # ordinary
    "introduced": 1, "launched": 1, "established": 1, "set up": 1, "rolled out": 1,
    "adopted": 1, "implemented": 1, "delivered": 1, "enabled": 1, "allowed": 1,
    "helped": 1, "supported": 1, "effective": 1, "effectively": 1, "valued": 1,
    "appreciated": 1, "praised": 1, "positive": 1, "benefit": 1, "benefits": 1,
    "benefited": 1, "better": 1, "faster": 1, "quicker": 1, "quickly": 1, "rapidly": 1,
    "smoothly": 1, "innovative": 1, "strong": 1, "stronger": 1, "strengthened": 1,
    "enhanced": 1, "resilient": 1, "saved": 1, "saving": 1, "freed": 1, "reached": 1,
    "provided": 1, "offered": 1, "brought together": 1, "pulled together": 1, "agreed": 1,
    "collaborated": 1, "recognised": 1, "expanded": 1, "increased uptake": 2,
    "uptake rose": 2, "uptake increased": 2, "copied": 1, "celebrated": 1, "thank": 1,
    "thank you": 1, "within hours": 1, "within days": 1, "within a week": 1,
    "within two weeks": 1, "within a fortnight": 1, "at pace": 1, "safely": 1,
    "accurate": 1, "trusted": 1, "open and supportive": 2, "supportive": 1, "useful": 1,
    "volunteered": 1, "stepped up": 1.5, "kept in touch": 1, "feel valued": 2,
    "gave": 0.5, "shared": 0.5, "joined": 0.5, "received": 0.5, "increased": 0.5,
    "grew": 0.5, "rose": 0.5, "continued": 0.5, "ensured": 1, "protected": 1,
    # things done: in a learning review a plain report of action is usually an achievement
    "were given": 0.75, "was given": 0.75, "issued": 0.75, "took on": 0.75, "held": 0.75,
    "led": 0.75, "ran": 0.75, "coordinated": 0.75, "arranged": 0.75, "organised": 0.75,
    "created": 0.75, "developed": 0.75, "built": 0.75, "designed": 0.75, "funded": 0.75,
    "opened": 0.75, "redeployed": 0.75, "trained": 0.75, "recruited": 0.75, "returned to": 0.75,
    "gathered": 0.75, "recorded": 0.75, "targeted": 0.75, "used": 0.5, "now": 0.5,
    "new": 0.5, "jointly": 0.75, "cross-skilled": 0.75, "upskilled": 0.75, "deployed": 0.75,
    "reviews": 0.25, "worked": 0.5, "work together": 1, "working together": 1,
}

_NEGATIVE = {
    # strong
    "struggled": 2, "struggle": 2, "struggling": 2, "struggles": 2, "shortage": 2,
    "shortages": 2, "short of": 2, "lack of": 2, "lacked": 2, "lacking": 2, "lack": 1.5,
    "failed": 2, "failure": 2, "failures": 2, "exhausted": 2, "exhaustion": 2,
    "burnout": 2, "overwhelmed": 2, "died": 2, "deaths": 1.5, "unable": 2,
    "could not": 2, "cannot": 2, "not enough": 2, "too few": 2, "too many": 1.5,
    "undermined": 2, "contradicted": 2, "duplicated": 2, "duplication": 2,
    # ordinary
    "difficult": 1, "difficulty": 1, "difficulties": 1, "hard to": 1, "harder": 1,
    "pressure": 1, "pressures": 1, "challenge": 1, "challenges": 1, "challenging": 1,
    "problem": 1, "problems": 1, "issue": 1, "issues": 1, "barrier": 1, "barriers": 1,
    "gap": 1, "gaps": 1, "poor": 1, "poorly": 1, "inadequate": 1, "insufficient": 1,
    "delay": 1, "delays": 1, "delayed": 1, "backlog": 1, "backlogs": 1, "waiting": 1,
    "concern": 1, "concerns": 1, "worried": 1, "anxiety": 1, "stress": 1, "fatigue": 1,
    "tired": 1, "lost": 1, "loss": 1, "confused": 1, "confusion": 1, "burden": 1,
    "slowed": 1, "slow": 1, "late": 1, "inconsistent": 1, "inconsistently": 1,
    "overlooked": 1, "missed": 1, "excluded": 1, "exclusion": 1, "isolated": 1,
    "isolation": 1, "reluctant": 1, "complaints": 1, "fragmented": 1, "unclear": 1,
    "conflicting": 1, "competing": 1, "limited": 1, "shortfall": 1, "vacancies": 1,
    "sickness": 1, "dropped": 1, "cancelled": 1, "postponed": 1, "suspended": 1,
    "strain": 1, "strained": 1, "tension": 1, "tensions": 1, "frustration": 1,
    "frustrated": 1, "bureaucracy": 1, "top-down": 1, "eroded": 1, "harm": 1,
    "deteriorated": 1, "worse": 1, "worsened": 1, "declined": 1, "decline": 1,
    "reverted": 1, "lapsed": 1, "risen sharply": 1.5, "rose sharply": 1.5,
    "remains wide": 1.5, "remain wide": 1.5, "rather than trust": 1, "left without": 1.5, "high rate": 1,
    "higher rate": 1, "much higher": 1, "low": 1, "lowest": 0.5, "risk": 0.5,
    "disrupted": 1, "disruption": 1, "strike": 1, "unsafe": 2, "vulnerable": 0.5,
}

_NEGATORS = {"not", "no", "never", "without", "nor", "n't", "hardly", "neither"}
_STRONG_NEGATORS = {"could not", "cannot", "unable", "did not", "not enough", "never"}
_REDUCERS = {
    "reduced", "reduce", "reduces", "reducing", "reduction", "cut", "cuts", "fewer", "less",
    "lower", "lowered", "shorter", "shortened", "decreased", "avoided", "avoid", "prevented",
    "prevent", "eliminated", "tackled", "tackle", "addressed", "overcame", "overcome",
    "resolved", "cleared", "closing", "closed", "ease", "eased", "easing", "removed",
    "minimised", "mitigated", "fell", "halved", "manage", "managed", "managing", "beat",
}
_CONTRAST = {"but", "however", "although", "though", "despite", "yet", "whereas",
             "nevertheless", "nonetheless", "notwithstanding", "except"}
_CONCESSIVE = {"although", "though", "despite", "whereas", "notwithstanding"}
_STOPS = {".", ";", ":", "!", "?"}
_INTENT = re.compile(
    r"\b(will|plans? to|planning to|intends? to|aims? to|next year|from april|going forward|"
    r"in future|would like|proposals? to|proposes? to)\b"
)
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)?|n't|[.,;:!?]")


def _phrase_table(entries: dict[str, float], sign: int):
    table: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    for phrase, weight in entries.items():
        parts = tuple(phrase.split())
        table.setdefault(parts[0], []).append((parts, sign * weight))
    for options in table.values():
        options.sort(key=lambda item: -len(item[0]))
    return table


def _load_extra_cues() -> None:
    """Add the cues of ``polarity_cues.yaml`` (a larger lexicon of the field's register)."""
    data = yaml.safe_load(CUES_PATH.read_text(encoding="utf-8"))
    for entries, table in ((data["achievement"], _POSITIVE), (data["challenge"], _NEGATIVE)):
        for phrase, weight in entries.items():
            key = " ".join(_WORD.findall(str(phrase).lower()))
            if key:
                table[key] = max(table.get(key, 0.0), float(weight))
    for both in set(_POSITIVE) & set(_NEGATIVE):  # a cue claimed by both sides says nothing
        del _POSITIVE[both], _NEGATIVE[both]
    for phrase in data["negators"]:
        (_STRONG_NEGATORS if " " in phrase else _NEGATORS).add(phrase)
    _REDUCERS.update(w for w in data["reducers"] if " " not in w)
    _CONTRAST.update(w for w in data["contrast"] if " " not in w)


_load_extra_cues()
_CUES = _phrase_table(_NEGATIVE, -1)
for _first, _options in _phrase_table(_POSITIVE, +1).items():
    _CUES.setdefault(_first, []).extend(_options)
    _CUES[_first].sort(key=lambda item: -len(item[0]))
_STRONG = _phrase_table({p: 1 for p in _STRONG_NEGATORS}, 1)


def _match(table, toks: list[str], i: int):
    for parts, weight in table.get(toks[i], ()):
        if tuple(toks[i:i + len(parts)]) == parts:
            return len(parts), weight
    return 0, 0.0


def score(text: str) -> tuple[float, float, bool]:
    """(achievement weight, challenge weight, whether they sit in contrasting clauses)."""
    toks = _WORD.findall(text.lower().replace("’", "'"))
    clauses: list[list[float]] = [[0.0, 0.0]]
    negate_until = -1  # a cue at or before this index is negated
    strong_until: int | None = None  # a strong negator with no cue yet counts as a challenge
    reducer_at = -10
    concessive = False  # "despite X, Y": the comma closes the concessive clause
    pending_neg: list[tuple[int, float]] = []  # (end index, weight) of challenge cues

    def flush_strong():
        nonlocal strong_until
        if strong_until is not None:
            clauses[-1][1] += 2.0
            strong_until = None

    def new_clause():
        nonlocal negate_until, pending_neg
        flush_strong()
        clauses.append([0.0, 0.0])
        negate_until, pending_neg = -1, []

    i, n = 0, len(toks)
    while i < n:
        tok = toks[i]
        if strong_until is not None and i > strong_until:
            flush_strong()
        if tok in _CONTRAST:
            new_clause()
            concessive = tok in _CONCESSIVE
            i += 1
            continue
        if tok == ",":
            if concessive:
                new_clause()
                concessive = False
            i += 1
            continue
        if tok in _STOPS:
            flush_strong()
            negate_until, concessive = -1, False
            i += 1
            continue
        length = _match(_STRONG, toks, i)[0] if tok in _STRONG else 0
        if length:
            negate_until = strong_until = i + length + 2
            i += length
            continue
        if tok in _NEGATORS:
            negate_until = i + (1 if tok == "without" else 3)
            i += 1
            continue
        if tok in _REDUCERS:
            # "delays were reduced": a challenge cue just before turns good.
            if pending_neg and i - pending_neg[-1][0] <= 3:
                _, cue_weight = pending_neg.pop()
                clauses[-1][1] -= cue_weight
                clauses[-1][0] += cue_weight
            reducer_at = i
            i += 1
            continue
        if tok not in _CUES:
            i += 1
            continue
        length, weight = _match(_CUES, toks, i)
        if not length:
            i += 1
            continue
        if i <= negate_until:
            weight = -weight
            negate_until, strong_until = -1, None
        elif weight < 0 and i - reducer_at <= 3:
            weight = -weight
        if weight > 0:
            clauses[-1][0] += weight
        else:
            clauses[-1][1] -= weight
            pending_neg.append((i + length - 1, -weight))
        i += length
    flush_strong()
    pos = sum(c[0] for c in clauses)
    neg = sum(c[1] for c in clauses)
    contrast = (
        len(clauses) > 1
        and any(c[0] > c[1] for c in clauses)
        and any(c[1] > c[0] for c in clauses)
    )
    return pos, neg, contrast


def rule_classify(text: str) -> str:
    """The cue rules alone: achievement, challenge, mixed or neutral for one statement."""
    pos, neg, contrast = score(text)
    if pos == 0 and neg == 0:
        return NEUTRAL
    if is_intent(text) and max(pos, neg) < 2.5:
        return NEUTRAL
    if contrast:
        return MIXED
    if pos and neg and min(pos, neg) / max(pos, neg) > 0.7:
        return MIXED
    return ACHIEVEMENT if pos > neg else CHALLENGE


def is_intent(text: str) -> bool:
    return bool(_INTENT.search(text.lower()))
