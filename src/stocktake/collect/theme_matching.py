"""A report's section headings → the review's themes: matched by meaning, changeable in the preview.

The import and the upload preview use the same :class:`ThemeMatcher`, so the preview
shows what the import will do. A heading that names a theme outright ("4.2 Supporting
staff wellbeing") matches it as before (:class:`~stocktake.collect.importers.DomainMatcher`);
any other is scored by meaning (:class:`stocktake.analysis.headings.HeadingMatcher`).
The preview posts one choice per heading (:func:`choices_from_post`), which
``collect.importing.import_document(theme_choices=...)`` honours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from stocktake.analysis.headings import HeadingMatcher
from stocktake.collect.importers import DomainMatcher
from stocktake.reviews.frameworks import spec_for
from stocktake.reviews.models import Review, Theme
from stocktake.reviews.orgtree import normalise_name

# The form fields of one heading of file ``index``: its text, and the theme chosen for it.
HEADING_FIELD = "heading-{index}-{n}"
THEME_FIELD = "theme-{index}-{n}"


class ThemeMatcher:
    """The themes of one review, ready to match headings (build once per import or preview)."""

    def __init__(self, review: Review):
        self.themes: dict[str, Theme] = {t.key: t for t in
                                         review.framework.themes.order_by("position", "id")}
        self.by_id = {t.pk: t for t in self.themes.values()}
        self._exact = DomainMatcher([(key, t.name) for key, t in self.themes.items()])
        self._meaning = HeadingMatcher(spec_for(review.framework, active_only=True).themes)

    def match(self, heading: str | None) -> tuple[Theme | None, float]:
        """The theme ``heading`` is about (or None) and how sure (1.0 for a theme's own name)."""
        if not heading or not normalise_name(heading):
            return None, 0.0
        key = self._exact.match(heading, max_extra_words=6)
        if key:
            return self.themes[key], 1.0
        found = self._meaning.match(heading)
        return (self.themes.get(found.key) if found.key else None), found.score

    def theme_for(self, heading: str | None, choices: Mapping[str, int | None] | None = None):
        """The theme for a recommendation under ``heading``: the person's choice, if they made
        one in the preview (``None`` there means "no theme"), else the match."""
        if choices is not None and heading in choices:
            return self.by_id.get(choices[heading]) if choices[heading] is not None else None
        return self.match(heading)[0]


@dataclass(frozen=True)
class HeadingTheme:
    """One distinct section heading of a file, with the theme it matched (for the preview)."""

    n: int
    heading: str
    theme_id: int | None
    theme_name: str
    score: float
    recommendations: int  # how many recommendations sit under it


def heading_themes(matcher: ThemeMatcher, sections: Iterable[str]) -> list[HeadingTheme]:
    """Each distinct heading of ``sections`` (in first-seen order) and its matched theme."""
    counts: dict[str, int] = {}
    for section in sections:
        if section and section.strip():
            counts[section] = counts.get(section, 0) + 1
    rows = []
    for n, (heading, count) in enumerate(counts.items(), start=1):
        theme, score = matcher.match(heading)
        rows.append(HeadingTheme(n, heading, theme.pk if theme else None,
                                 theme.name if theme else "", round(score, 2), count))
    return rows


def choices_from_post(data: Mapping[str, str], *, index: int, review: Review) -> dict[str, int | None]:
    """The theme chosen for each heading of file ``index`` in the preview's form.

    Only the review's own themes count; "" means the person chose "no theme"; a
    heading with no choice posted is left out (the import matches it itself).
    """
    valid = set(review.framework.themes.values_list("pk", flat=True))
    choices: dict[str, int | None] = {}
    n = 1
    while (heading := data.get(HEADING_FIELD.format(index=index, n=n))) is not None:
        value = data.get(THEME_FIELD.format(index=index, n=n))
        value = value.strip() if value is not None else None
        if value is None:
            pass
        elif value == "":
            choices[heading] = None
        elif value.isdigit() and int(value) in valid:
            choices[heading] = int(value)
        n += 1
    return choices
