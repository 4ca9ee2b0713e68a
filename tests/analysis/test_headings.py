"""Section headings matched to themes by meaning: realistic paraphrases, acronyms, and headings
that are about no theme."""

from __future__ import annotations

import pytest

from stocktake.analysis.framework import ItemSpec, default_framework
from stocktake.analysis.headings import HeadingMatcher, normalise

NHSEI = ItemSpec("nhsei", "Relationship with NHS England and Improvement",
                 "How the national and regional bodies worked with local systems.")


@pytest.fixture(scope="module")
def matcher():
    return HeadingMatcher([*default_framework().themes, NHSEI])


def test_acronyms_are_written_out_and_numbering_dropped():
    assert normalise("4.2 Developing the NHSE/I relationship") == \
        "Developing the NHS England and Improvement relationship"
    assert normalise("Chapter 3: ICS & PCN working") == \
        "integrated care system and primary care network working"


@pytest.mark.parametrize(("heading", "theme"), [
    ("Developing the NHSE/I relationship with the local NHS", "nhsei"),
    ("4.2 Supporting staff wellbeing", "staff-wellbeing"),
    ("Looking after our people", "staff-wellbeing"),
    ("Digital technology and data", "technology"),
    ("Virtual care and remote monitoring", "technology"),
    ("Tackling health inequalities", "inequalities-vulnerable"),
    ("Working as a system", "full-system-working"),
    ("Place-based partnerships", "focus-on-place"),
    ("Communicating with patients and the public", "public-relationship"),
    ("Innovation and improvement", "innovation-spread"),
    ("Regional and national support", "regional-relationship"),
])
def test_paraphrased_headings_find_their_theme(matcher, heading, theme):
    found = matcher.match(heading)
    assert found.key == theme, matcher.scores(heading)[:3]


@pytest.mark.parametrize("heading", ["Introduction", "Conclusion", "Finance", "Annex B", "", "Next steps",
                                     "Executive summary", "Government response",
                                     "Chapter 8: Conclusions and recommendations"])
def test_headings_about_no_theme_match_none(matcher, heading):
    assert matcher.match(heading).key is None


def test_without_the_national_theme_the_regional_one_is_chosen():
    matcher = HeadingMatcher(default_framework().themes)
    assert matcher.match("Developing the NHSE/I relationship with the local NHS").key == \
        "regional-relationship"
