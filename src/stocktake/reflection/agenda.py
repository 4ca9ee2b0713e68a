"""A session's agenda drafted from the assessment (read only; the actions store it).

For the systems a session is held with, the draft names:

- the themes **distinctive** to them — raised in one or two systems of the review,
  these among them (``analysis.consensus.pattern_of``, the report's own definition),
  counted in SQL by the rule every count uses (``assess.themes.counted_codes``);
- their **significant learning**: what their submissions put under "significant
  learning", then their top achievements — one for each of the themes they raised most
  (topped up in document order, so a review not yet coded still gets a draft);
- their **challenges**, one for each of those themes (topped up likewise);
- the **open questions** the reviewers noted on the session.

Only submitted findings are read, and undecided personal data is replaced
(``collect.personal_data.hide_flagged`` with no access): contributors read the agenda.
The draft is Markdown, so the lead edits it as any other narrative (core/richtext.py).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count

from stocktake.analysis.consensus import CONSISTENT_SHARE, DISTINCTIVE, DISTINCTIVE_MAX, pattern_of
from stocktake.assess.themes import counted_codes, with_theme
from stocktake.collect.models import Finding, Polarity, SectionKind, SubmissionStatus
from stocktake.collect.personal_data import hide_flagged
from stocktake.reviews.orgtree import OrgTree

TOP_THEMES = 4  # the themes a system raised most, for its achievements and challenges
LEARNING_ITEMS = 3
QUOTE_CHARS = 240
# Shares of the session's time per part (welcome, distinctive, learning, challenges,
# questions, close): a 90-minute session gets 10, 20, 25, 20, 10 and 5 minutes.
TIME_SHARES = (10, 20, 25, 20, 10, 5)


@dataclass(frozen=True)
class Item:
    text: str
    detail: str = ""  # who said it, or how far a theme reached


@dataclass
class AgendaDraft:
    """The parts of a drafted agenda, and their Markdown."""

    systems: list[str]
    minutes: int
    distinctive: list[Item] = field(default_factory=list)
    learning: list[Item] = field(default_factory=list)
    challenges: list[Item] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def timings(self) -> list[int]:
        total = sum(TIME_SHARES)
        parts = [round(self.minutes * share / total) for share in TIME_SHARES]
        parts[2] += self.minutes - sum(parts)  # rounding goes to the learning
        return parts

    def markdown(self) -> str:
        who = " and ".join(self.systems) or "the participants"
        t = self.timings()
        out = [
            f"## 1. Welcome and purpose ({t[0]} minutes)",
            "",
            f"Why we are meeting: to explore the significant learning behind {who}'s "
            "submission, and what the review should say about it.",
            "",
        ]
        out += [f"## 2. What is distinctive to {who} ({t[1]} minutes)", ""]
        out += _bullets(
            self.distinctive,
            "Nothing in their submissions stands out from the other systems': ask what they would "
            "single out.",
        )
        out += [f"## 3. Significant learning ({t[2]} minutes)", ""]
        out += _bullets(self.learning, "Their submissions name no significant learning yet.")
        out += [f"## 4. Challenges ({t[3]} minutes)", ""]
        out += _bullets(self.challenges, "Their submissions name no challenges yet.")
        out += [f"## 5. Open questions ({t[4]} minutes)", ""]
        out += (
            [f"- {_escape(q)}" for q in self.questions] + [""]
            if self.questions
            else ["Add the questions the reviewers want to ask on the session's page.", ""]
        )
        out += [
            f"## 6. Close and next steps ({t[5]} minutes)",
            "",
            "What happens to these notes: findings for the report, checked with you first.",
            "",
        ]
        return "\n".join(out).strip() + "\n"


def _escape(text: str) -> str:
    """Plain text kept plain in Markdown (a leading "1." or "#", emphasis characters)."""
    for ch in "\\`*_[]<>#":
        text = text.replace(ch, "\\" + ch)
    return " ".join(text.split())


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1].rstrip() + "…"


def _bullets(items: list[Item], empty: str) -> list[str]:
    if not items:
        return [empty, ""]
    lines = []
    for item in items:
        line = f"- {_escape(item.text)}"
        if item.detail:
            line += f" ({_escape(item.detail)})"
        lines.append(line)
    return lines + [""]


def questions_of(text: str) -> list[str]:
    """The open questions typed on a session, one a line (list markers dropped)."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip().lstrip("-*•").strip()
        if line:
            out.append(line)
    return out


def session_organisation_ids(organisation_ids, tree: OrgTree) -> frozenset[int]:
    """The organisations whose findings a session is about: each of its organisations and
    everything below (a system's session is about all of the system)."""
    return tree.descendants_of(organisation_ids)


def draft_agenda(session, *, tree: OrgTree | None = None) -> AgendaDraft:
    """The agenda the assessment suggests for ``session`` (a ReflectionSession)."""
    return draft_for(
        session.review,
        session.organisations.values_list("organisation_id", flat=True),
        minutes=session.duration_minutes,
        open_questions=session.open_questions,
        tree=tree,
    )


def draft_for(
    review,
    organisation_ids,
    *,
    minutes: int = 90,
    open_questions: str = "",
    tree: OrgTree | None = None,
) -> AgendaDraft:
    """The agenda the assessment suggests for a session with these organisations (the
    schedule form previews it before the session exists)."""
    tree = tree or OrgTree.shared()
    chosen = list(organisation_ids)
    systems = sorted({tree.system_name(org) or tree.name(org) for org in chosen})
    draft = AgendaDraft(systems=systems, minutes=minutes, questions=questions_of(open_questions))
    own = session_organisation_ids(chosen, tree)
    if not own:
        return draft
    submitted = Finding.objects.filter(review=review, submission__status=SubmissionStatus.SUBMITTED)
    theirs = submitted.filter(organisation_id__in=own)
    draft.distinctive = _distinctive(review, submitted, own, tree)
    top = _top_themes(theirs)
    draft.learning = _findings(
        theirs.filter(section=SectionKind.LEARNING).order_by("position", "id")[:LEARNING_ITEMS],
        tree,
    )
    draft.learning += _per_theme(
        theirs.filter(polarity=Polarity.ACHIEVEMENT),
        top,
        tree,
        skip={i.text for i in draft.learning},
    )
    draft.challenges = _per_theme(theirs.filter(polarity=Polarity.CHALLENGE), top, tree)
    return draft


def _distinctive(review, submitted, own: frozenset[int], tree: OrgTree) -> list[Item]:
    per_theme: dict[int, Counter] = defaultdict(Counter)  # theme -> system -> findings
    mine: Counter = Counter()
    for theme_id, org_id, n in (
        counted_codes(submitted.order_by())
        .values_list("theme_id", "finding__organisation_id")
        .annotate(n=Count("finding_id", distinct=True))
        .order_by()
    ):
        per_theme[theme_id][tree.system_name(org_id)] += n
        if org_id in own:
            mine[theme_id] += n
    orgs = set(submitted.order_by().values_list("organisation_id", flat=True).distinct())
    total = len({tree.system_name(org) for org in orgs} - {""})
    items = []
    for theme in review.framework.themes.order_by("position", "id"):
        by_system = per_theme.get(theme.pk, Counter())
        by_system.pop("", None)
        if not mine[theme.pk]:
            continue
        pattern = pattern_of(
            by_system, total, consistent_share=CONSISTENT_SHARE, distinctive_max=DISTINCTIVE_MAX
        )
        if pattern != DISTINCTIVE:
            continue
        others = len(by_system) - 1
        reach = f"{mine[theme.pk]} finding{'s' if mine[theme.pk] != 1 else ''} here; " + (
            "raised in no other system"
            if others <= 0
            else f"in {others} other system{'s' if others != 1 else ''} of {total}"
        )
        items.append((mine[theme.pk], Item(text=theme.name, detail=reach)))
    items.sort(key=lambda pair: -pair[0])
    return [item for _, item in items]


def _top_themes(findings) -> list[int]:
    counted = (
        counted_codes(findings.order_by())
        .values("theme_id")
        .annotate(n=Count("finding_id", distinct=True))
        .order_by("-n", "theme_id")
    )
    return [row["theme_id"] for row in counted[:TOP_THEMES]]


def _findings(findings, tree: OrgTree) -> list[Item]:
    return [
        Item(text=_quote(f.text), detail=tree.name(f.organisation_id))
        for f in hide_flagged(findings)
    ]


def _per_theme(
    findings, theme_ids: list[int], tree: OrgTree, *, skip: set[str] = frozenset()
) -> list[Item]:
    """One finding for each theme (its first in document order), none repeated; topped up
    in document order while fewer than :data:`TOP_THEMES` (before any coding, all of them)."""
    order = ("organisation__name", "position", "id")
    chosen: list = []
    for theme_id in theme_ids:
        seen = {f.pk for f in chosen}
        finding = with_theme(findings, theme_id).exclude(pk__in=seen).order_by(*order).first()
        if finding is not None:
            chosen.append(finding)
    if len(chosen) < TOP_THEMES:
        chosen += list(
            findings.exclude(pk__in=[f.pk for f in chosen]).order_by(*order)[
                : TOP_THEMES - len(chosen)
            ]
        )
    return [item for item in _findings(chosen, tree) if item.text not in skip]
