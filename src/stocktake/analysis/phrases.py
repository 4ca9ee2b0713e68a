"""Readable labels for groups of findings: the noun phrase a person would write (no Django).

An emergent theme's label used to be its top distinctive terms joined by slashes
("sharply / city winter / elective waiting"). A reviewer names a group of
statements with a short noun phrase taken from the statements themselves —
"care home visiting", "discharge to assess", "length of stay". This module does
that without a language model:

1. **Candidates** (:func:`doc_phrases`): each finding is cut into chunks at
   punctuation, digits, stop words and verbs (a short list of common ones, and
   adverbs ending in -ly); within a chunk every run of one to four words is a
   candidate, with "of", "to", "for" or "and" allowed once between two words
   ("length of stay", "discharge to assess"). A candidate may not start with a
   verb form, nor end with a past participle (-ed) or, when it is one word, an
   -ing form or a word too general to name a topic on its own (``GENERIC_WORDS``).
   Words are compared stemmed, so "care homes" and "care home" are one phrase.
2. **Score** (:func:`label_phrases`): the share of the group's findings that
   use the phrase times the log of how much more often they use it than the
   findings in general do (class-based TF-IDF, as for the terms in
   :mod:`stocktake.analysis.emergent`), times a bonus for two- and three-word
   phrases; a phrase used by fewer than :data:`MIN_SHARE` of the group (and at
   least two findings) is not a label. A phrase inside one already chosen, or
   containing it, is skipped.
   When no phrase is shared by enough findings, the most distinctive phrase of any
   one of them names the group.
3. **Shown** in the spelling the group uses most (acronyms and names keep their
   case), the first letter capitalised.

Deterministic: the same texts give the same label.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from stocktake.analysis import text as textlib
from stocktake.analysis.emergent import GENERIC_STEMS, EmergentResult
from stocktake.analysis.labelled import HERE as LABELLED
from stocktake.analysis.labelled import load_set

MAX_WORDS = 4
# A label is used by at least this share of its group's findings (and by two of them).
MIN_SHARE = 0.1
LENGTH_BONUS = {1: 1.0, 2: 1.7, 3: 1.9, 4: 1.6}
CONNECTORS = frozenset({"of", "to", "for", "and"})
# Background frequencies are read from at most this many findings (every k-th).
BACKGROUND_SAMPLE = 20_000
# Members read per group to score and spell its phrases.
MEMBER_SAMPLE = 1_000
LABELS = 3
# A phrase found inside a longer one in at least this share of its uses is not a label.
CONTAINED_SHARE = 0.8

# Verbs common in learning-review prose that do not end in -ed: they end a chunk. Words
# as often nouns in this field ("peer support", "joint work", "unmet need") are not here.
VERBS = frozenset(
    """
    is are was were be been being am has have had having do does did done make makes made
    take takes took taken give gives gave given get gets got go goes went gone come comes came
    keep keeps kept run runs ran begin began begun lead leads led grow grows grew fall falls
    fell rise rises rose see sees saw seen build builds built bring brings brought meant mean
    means find finds found hold holds held feel feels felt tell told say says said show shows
    shown let lets put puts set sets become became becomes remain remains helps
    want wants allow allows enable enables continue continues struggles
    provide provides ensure ensures improves reduce reduces increases
    can cannot could would should will may might must knew know known think thought
    seem seems seemed became
    """.split()
)
# Words that say how, when or how much, not what: they end a chunk too.
NOT_TOPICS = frozenset(
    """
    but not no nobody nothing none never even like despite around now still already yet
    again always often sometimes last next well less fewer more better best worse real
    really own any else instead rather almost nearly quite enough just whole without across
    back far inside alone met good open single average alongside visible hard left right
    high low first time
    jan feb mar apr jun jul aug sep sept oct nov dec january february march april june
    july august september october november december monday tuesday wednesday thursday
    friday saturday sunday
    """.split()
)
# Words ending in -ed that are nouns, and may end a phrase.
NOT_PARTICIPLES = frozenset(
    {"bed", "beds", "need", "needs", "speed", "seed", "feed", "shed", "red", "hundred", "hundreds"}
)

_TOKEN = re.compile(
    r"[^\W\d_][^\W_]*(?:['’][^\W\d_]+)*(?:-[^\W\d_]+)*['’]?"
    r"|\d+(?:[.,]\d+)*|[^\w\s]"
)
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Phrase:
    text: str  # as shown: "Care home visiting"
    key: str  # stemmed words, space-separated: "care home visit"
    findings: int  # how many of the group's findings use it
    score: float


def _is_word(token: str) -> bool:
    return token[0].isalpha()


def _word(token: str) -> str:
    """A token without a possessive ("carers'" → "carers", "council's" → "council")."""
    return _POSSESSIVE.sub("", token) or token


def _breaks(lower: str) -> bool:
    """A word that ends a chunk: a stop word (connectors aside), a verb or an -ly adverb."""
    if lower in CONNECTORS:
        return False
    return (
        lower in textlib.STOP_WORDS
        or lower in VERBS
        or lower in NOT_TOPICS
        or (lower.endswith("ly") and len(lower) > 4)
    )


def _chunks(text: str) -> list[list[str]]:
    """Runs of words between punctuation, digits, stop words and verbs (original spelling)."""
    chunks, current = [], []
    for token in _TOKEN.findall(text or ""):
        token = _word(token) if _is_word(token) else token
        lower = token.lower()
        if not _is_word(token) or _breaks(lower) or "'" in lower or "’" in lower:
            if current:
                chunks.append(current)
            current = []
            continue
        current.append(token)
    if current:
        chunks.append(current)
    return chunks


def _participle(lower: str) -> bool:
    return lower.endswith("ed") and len(lower) > 4 and lower not in NOT_PARTICIPLES


def _acceptable(words: Sequence[str]) -> bool:
    lowers = [w.lower() for w in words]
    first, last = lowers[0], lowers[-1]
    if first in CONNECTORS or last in CONNECTORS:
        return False
    if sum(w in CONNECTORS for w in lowers) > 1:
        return False
    if _participle(last) or (len(lowers) == 1 and last.endswith("ing")):
        return False
    if len(lowers) == 1 and (textlib.stem(last) in GENERIC_STEMS or len(last) < 3):
        return False
    if all(textlib.stem(w) in GENERIC_STEMS for w in lowers if w not in CONNECTORS):
        return False  # "staff time", "local services": no topic
    return not (len(lowers) >= 2 and len(set(lowers)) < len(lowers))


def _key(words: Sequence[str]) -> str:
    return " ".join(
        w.lower() if w.lower() in CONNECTORS else textlib.stem(w.lower()) for w in words
    )


def spans(text: str) -> Iterable[tuple[str, str]]:
    """(key, spelling) of every candidate phrase in ``text``, repeats included."""
    for chunk in _chunks(text):
        for start in range(len(chunk)):
            for end in range(start + 1, min(len(chunk), start + MAX_WORDS) + 1):
                words = chunk[start:end]
                if _acceptable(words):
                    yield _key(words), " ".join(words)


def doc_phrases(text: str) -> set[str]:
    """The keys of the candidate phrases in one finding (each once)."""
    return {key for key, _ in spans(text)}


class Background:
    """How often each phrase occurs among findings in general (a fixed, even sample)."""

    def __init__(self, texts: Sequence[str], *, sample: int = BACKGROUND_SAMPLE):
        step = max(1, math.ceil(len(texts) / sample)) if sample else 1
        self.df: Counter = Counter()
        self.n = 0
        for text in texts[::step]:
            self.df.update(doc_phrases(text))
            self.n += 1

    def share(self, key: str) -> float:
        return (self.df.get(key, 0) + 1.0) / (self.n + 2.0)


def _spelling(counter: Counter) -> str:
    """The commonest spelling, ties to the lower-case one; lower-cased unless an acronym."""

    def shown(spelling: str) -> str:
        # Acronyms keep their case, and so do capitalised words after the first (names:
        # "Dunmarrow and Hensby"); the first may be capitalised only by its sentence.
        return " ".join(
            w if (w.isupper() and len(w) > 1) or (i and w[:1].isupper()) else w.lower()
            for i, w in enumerate(spelling.split(" "))
        )

    folded: Counter = Counter()
    for spelling, n in counter.items():
        folded[shown(spelling)] += n
    return min(folded.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _capitalised(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:] if phrase else phrase


def _overlaps(key: str, chosen: Iterable[str]) -> bool:
    padded = f" {key} "
    return any(f" {other} " in padded or padded in f" {other} " for other in chosen)


def _contained(df: Counter) -> set[str]:
    """Phrases that are nearly always part of a longer one ("CYP mental" of "CYP mental
    health"): the longer one is what people wrote."""
    inner = set()
    for key, count in df.items():
        words = key.split(" ")
        if len(words) < 2:
            continue
        for part in (" ".join(words[:-1]), " ".join(words[1:])):
            if part in df and count >= CONTAINED_SHARE * df[part]:
                inner.add(part)
    return inner


def label_phrases(
    member_texts: Sequence[str],
    background: Background,
    *,
    limit: int = LABELS,
    min_findings: int | None = None,
) -> list[Phrase]:
    """The group's best noun phrases, best first (see the module docstring); may be empty.

    ``min_findings``: how many findings must use a phrase (default: :data:`MIN_SHARE`
    of the group, and at least two)."""
    texts = list(member_texts[:MEMBER_SAMPLE])
    n = len(texts)
    if not n:
        return []
    df: Counter = Counter()
    spellings: dict[str, Counter] = {}
    for text in texts:
        seen = set()
        for key, spelling in spans(text):
            spellings.setdefault(key, Counter())[spelling] += 1
            seen.add(key)
        df.update(seen)
    floor = max(2, math.ceil(MIN_SHARE * n)) if n >= 2 else 1
    if min_findings is not None:
        floor = min_findings
    scored = []
    inner = _contained(df)
    for key, count in df.items():
        if count < floor or key in inner:
            continue
        share_in = count / n
        lift = math.log(share_in / background.share(key))
        if lift <= 0:
            continue
        length = len([w for w in key.split(" ") if w not in CONNECTORS])
        score = share_in * lift * LENGTH_BONUS.get(len(key.split(" ")), 1.0)
        scored.append((round(score, 9), -length, key, count))
    scored.sort(key=lambda s: (-s[0], s[1], s[2]))
    chosen: list[Phrase] = []
    for score, _, key, count in scored:
        if len(chosen) >= limit:
            break
        if _overlaps(key, [p.key for p in chosen]):
            continue
        chosen.append(
            Phrase(
                text=_capitalised(_spelling(spellings[key])), key=key, findings=count, score=score
            )
        )
    return chosen


def label_for(member_texts: Sequence[str], background: Background, *, fallback: str = "") -> str:
    """The group's label: its best phrase, or ``fallback`` when no phrase is shared enough."""
    phrases = label_phrases(member_texts, background, limit=1) or label_phrases(
        member_texts, background, limit=1, min_findings=1
    )
    return phrases[0].text if phrases else fallback


def with_phrase_labels(result: EmergentResult, texts: Sequence[str]) -> EmergentResult:
    """``result`` with each theme named by :func:`label_for` (its terms label kept as the
    fallback), the background being ``texts``, every finding of the input."""
    background = Background(list(texts))
    themes = [replace(theme, label=label_for([texts[m] for m in theme.members], background,
                                             fallback=theme.label))
              for theme in result.themes]
    return replace(result, themes=themes)


# --------------------------------------------------------------------------- quality


@dataclass(frozen=True)
class LabelledCluster:
    """A group of a labelled set's findings (by id) and the name a person gave it."""

    set: str
    members: tuple[str, ...]
    human: str


@dataclass(frozen=True)
class LabelResult:
    label: str
    in_text: bool  # the label occurs in the members' own text (ignoring case)
    shares_word: bool  # it shares a word (stemmed, stop words aside) with the person's label


def labelled_clusters() -> list[LabelledCluster]:
    """The clusters of ``labelled/emergent_labels.jsonl`` (docs/quality.md)."""
    lines = (LABELLED / "emergent_labels.jsonl").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        if line.strip():
            row = json.loads(line)
            out.append(LabelledCluster(row["set"], tuple(row["members"]), row["human"]))
    return out


def _content_stems(phrase: str) -> set[str]:
    return {
        textlib.stem(w)
        for w in textlib.words(phrase)
        if w not in textlib.STOP_WORDS and w not in CONNECTORS
    }


def label_quality(clusters: Sequence[LabelledCluster]) -> list[LabelResult]:
    """Each cluster's label (against its whole set as background) compared with a person's."""
    sets: dict[str, tuple[dict[str, str], Background]] = {}
    out = []
    for cluster in clusters:
        if cluster.set not in sets:
            rows = load_set(cluster.set).rows
            texts = {str(r["id"]): r["text"] for r in rows}
            sets[cluster.set] = texts, Background(list(texts.values()))
        texts, background = sets[cluster.set]
        members = [texts[m] for m in cluster.members]
        label = label_for(members, background)
        joined = " ".join(" ".join(_word(t) for t in _TOKEN.findall(m)) for m in members).lower()
        out.append(
            LabelResult(
                label=label,
                in_text=bool(label) and label.lower() in joined,
                shares_word=bool(_content_stems(label) & _content_stems(cluster.human)),
            )
        )
    return out
