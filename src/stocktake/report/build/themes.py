"""The report's theme parts: an observation and a section (narrative, quotes) per theme."""

from __future__ import annotations

from collections import Counter

from stocktake.analysis.consensus import pattern_of
from stocktake.collect.models import Finding, Polarity
from stocktake.core.text import join_names, lower_first, plural
from stocktake.report.build.recommendations import recommendation_item
from stocktake.report.build.sources import source_of
from stocktake.report.data import (
    CONSISTENT,
    DISTINCTIVE,
    QUOTE_IDEAL_MAX,
    QUOTES_PER_THEME,
    Quote,
    ThemeObservation,
    ThemeSection,
)
from stocktake.reviews.orgtree import OrgTree


def _count_phrase(count: int, singular: str) -> str:
    return f"no {singular}s" if count == 0 else plural(count, singular)


def length_score(length: int) -> int:
    """Longer quotes say more, up to QUOTE_IDEAL_MAX characters; beyond it they lose ground."""
    return length if length <= QUOTE_IDEAL_MAX else 2 * QUOTE_IDEAL_MAX - length


def select_quotes(candidates: list[Quote], limit: int = QUOTES_PER_THEME, *,
                  length=None) -> tuple[Quote, ...]:
    """Pick up to ``limit`` diverse quotes, deterministically.

    Greedy: each pick prefers, in order, an organisation not quoted yet, a
    polarity (achievement or challenge) not shown yet, a system not quoted
    yet, a length close to the ideal, and finally the earliest finding.
    ``length(candidate)``: the length of its text as shown (default ``len(q.text)``), so
    that candidates need carry only what is ranked (the publish checks use it).
    """
    length = length or (lambda q: len(q.text))
    chosen: list[Quote] = []
    remaining = sorted(candidates, key=lambda q: q.finding_id)
    while remaining and len(chosen) < limit:
        orgs = {q.organisation for q in chosen}
        systems = {q.system for q in chosen}
        polarities = {q.polarity for q in chosen}

        def key(q: Quote):
            new_polarity = (
                q.polarity in (Polarity.ACHIEVEMENT, Polarity.CHALLENGE)
                and q.polarity not in polarities
            )
            return (
                q.organisation not in orgs,
                new_polarity,
                q.system not in systems,
                length_score(length(q)),
                -q.finding_id,
            )

        best = max(remaining, key=key)
        chosen.append(best)
        remaining.remove(best)
    return tuple(chosen)


def _narrative(name: str, obs: ThemeObservation, counts: Counter) -> tuple[str, ...]:
    if obs.finding_count == 0:
        theme = lower_first(name) if name else "this theme"
        return (f"No submitted findings were coded to {theme}.",)
    achievements = counts.get(Polarity.ACHIEVEMENT, 0)
    challenges = counts.get(Polarity.CHALLENGE, 0)
    other = obs.finding_count - achievements - challenges
    if achievements or challenges:
        parts = [_count_phrase(achievements, "achievement"),
                 _count_phrase(challenges, "challenge")]
        if other:
            parts.append(f"{other} mixed or neutral")
    else:
        parts = ["none was clearly an achievement or a challenge"]
    where = plural(obs.organisation_count, "organisation")
    if obs.total_systems == 1 and obs.system_count == 1:
        where += " in the one system that took part"
    elif obs.total_systems and obs.system_count == obs.total_systems:
        where += f" in all {obs.total_systems} systems"
    elif obs.total_systems:
        where += f" in {obs.system_count} of {obs.total_systems} systems"
    sentences = [
        f"{plural(obs.finding_count, 'finding')} from {where} "
        f"{'was' if obs.finding_count == 1 else 'were'} coded to this theme: "
        f"{join_names(parts)}."
    ]
    if obs.pattern == CONSISTENT:
        every = "every system" if obs.system_count == obs.total_systems else "nearly every system"
        sentences.append(f"This was a consistent message, raised by {every} that took part.")
    elif obs.pattern == DISTINCTIVE:
        sentences.append(f"This was distinctive to {join_names(obs.systems)}.")
    elif obs.systems:
        sentences.append(f"Systems involved: {join_names(obs.systems)}.")
    if achievements and challenges:
        lead = "Achievements outnumbered challenges" if achievements > challenges else (
            "Challenges outnumbered achievements" if challenges > achievements
            else "Achievements and challenges were reported in equal measure"
        )
        sentences.append(f"{lead}.")
    return tuple(sentences)


def _observation(theme, findings: list[Finding], systems: OrgTree, *, total_systems: int,
                 consistent_share: float, distinctive_max: int) -> ThemeObservation:
    """Who raised the theme, and whether that is a consistent or distinctive message."""
    names = [systems.system_name(f.organisation_id) for f in findings]
    return ThemeObservation(
        key=theme.key, name=theme.name, anchor=f"theme-{theme.key}",
        systems=tuple(sorted(set(names) - {""})),
        organisation_count=len({f.organisation_id for f in findings}),
        finding_count=len(findings),
        pattern=pattern_of(Counter(names), total_systems, consistent_share=consistent_share,
                           distinctive_max=distinctive_max),
        total_systems=total_systems,
    )


def _quote(finding: Finding, systems: OrgTree, *, chosen: bool = False) -> Quote:
    return Quote(
        finding_id=finding.pk, text=finding.text, organisation=finding.organisation.name,
        system=systems.system_name(finding.organisation_id), polarity=finding.polarity,
        polarity_label=finding.get_polarity_display(),
        domain=finding.domain.name if finding.domain else "", source=source_of(finding),
        chosen=chosen,
    )


def _candidate(finding: Finding, system: str) -> Quote:
    """What :func:`select_quotes` ranks a finding by (its label, domain and source are
    looked up only for the few it picks)."""
    return Quote(finding_id=finding.pk, text=finding.text, organisation=finding.organisation.name,
                 system=system, polarity=finding.polarity, polarity_label="", domain="")


def _quotes(theme_findings, chosen_ids, by_id, systems: OrgTree, limit: int):
    """The reviewers' chosen quotes, in their order; else the report's own suggestion."""
    if chosen_ids:
        return tuple(_quote(by_id[pk], systems, chosen=True) for pk in chosen_ids if pk in by_id)
    candidates = {f.pk: f for f in theme_findings}
    picked = select_quotes([_candidate(f, systems.system_name(f.organisation_id))
                            for f in theme_findings], limit)
    return tuple(_quote(candidates[q.finding_id], systems) for q in picked)


def theme_parts(
    themes, findings: list[Finding], assignments, systems: OrgTree, recs_by_theme, *,
    total_systems: int, quotes_per_theme: int, consistent_share: float, distinctive_max: int,
    chosen: dict[int, list[int]] | None = None, narratives: dict[int, str] | None = None,
) -> tuple[list[ThemeObservation], list[ThemeSection]]:
    """An observation (who raised it, its pattern) and a section for each theme, in order.

    ``chosen``: finding ids reviewers chose as a theme's evidence, by theme id, in order;
    ``narratives``: what reviewers wrote for a theme (sanitised HTML), by theme id.
    """
    chosen, narratives = chosen or {}, narratives or {}
    by_id = {f.pk: f for f in findings} if chosen else {}
    by_theme: dict[int, list[Finding]] = {t.pk: [] for t in themes}
    for finding in findings:
        for theme_id in assignments.get(finding.pk, ()):
            if theme_id in by_theme:
                by_theme[theme_id].append(finding)
    observations, sections = [], []
    for position, theme in enumerate(themes, start=1):
        theme_findings = by_theme[theme.pk]
        obs = _observation(theme, theme_findings, systems, total_systems=total_systems,
                           consistent_share=consistent_share, distinctive_max=distinctive_max)
        counts = Counter(f.polarity for f in theme_findings)
        quotes = _quotes(theme_findings, chosen.get(theme.pk), by_id, systems, quotes_per_theme)
        per_system = Counter(systems.system_name(f.organisation_id) for f in theme_findings)
        observations.append(obs)
        sections.append(ThemeSection(
            position=position, key=theme.key, name=theme.name, description=theme.description,
            anchor=obs.anchor, observation=obs,
            polarity_counts={p: counts.get(p, 0) for p in Polarity.values},
            narrative=_narrative(theme.name, obs, counts), quotes=quotes,
            recommendations=tuple(recommendation_item(r) for r in recs_by_theme[theme.pk]),
            narrative_html=narratives.get(theme.pk, ""),
            system_counts=tuple(sorted((k, n) for k, n in per_system.items() if k)),
        ))
    return observations, sections
