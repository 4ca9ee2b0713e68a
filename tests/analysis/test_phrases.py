"""Readable labels for groups of findings: noun phrases from the findings' own wording."""

from __future__ import annotations

from stocktake.analysis.phrases import (
    Background,
    doc_phrases,
    label_for,
    label_phrases,
    label_quality,
    labelled_clusters,
)

BACKGROUND = [
    "The trust opened a discharge lounge by the main entrance.",
    "Staff wellbeing hubs were open around the clock.",
    "The council funded extra home care packages over the winter.",
    "Ambulance handover delays grew in January.",
    "GP practices offered more same-day appointments.",
    "Bed occupancy stayed above 95% for most of the winter.",
] * 5


def test_candidates_are_noun_phrases_between_stop_words_and_verbs():
    phrases = doc_phrases(
        "Discharge to assess beds were commissioned quickly, and the "
        "length of stay fell by two days."
    )
    assert "discharg to assess" in phrases  # a connector inside a phrase
    assert "length of stay" in phrases
    assert not any(p.endswith(" to") or p.startswith("of ") for p in phrases)
    assert not any("commiss" in p for p in phrases)  # a participle ends no phrase
    assert not any("quick" in p for p in phrases)  # nor does an -ly adverb start one
    assert "fell" not in " ".join(phrases)  # verbs break chunks


def test_label_is_the_phrase_the_group_shares_and_others_do_not():
    group = [
        "Care home visiting resumed in pods by late spring.",
        "Families asked for care home visiting to restart.",
        "Care home visiting rules changed weekly.",
        "Outdoor care home visiting was arranged in the garden.",
    ]
    background = Background(BACKGROUND + group)
    assert label_for(group, background) == "Care home visiting"
    phrases = label_phrases(group, background, limit=3)
    assert phrases[0].findings == 4
    assert all(" / " not in p.text for p in phrases)
    # A phrase inside one chosen ("care home") is not offered again.
    assert all(p.key not in ("care home", "home visit") for p in phrases[1:])


def test_acronyms_keep_their_case_and_possessives_are_dropped():
    group = [
        "The PPE cell found gowns for the hospices.",
        "PPE cell stock ran low twice.",
        "Carers' PPE cell requests were answered within a day.",
    ]
    label = label_for(group, Background(BACKGROUND + group))
    assert label == "PPE cell"


def test_without_a_shared_phrase_one_findings_phrase_names_the_group():
    group = ["Alpha beta rounds.", "Gamma delta.", "Epsilon zeta."]
    assert label_for(group, Background(BACKGROUND), fallback="Other") in (
        "Alpha beta rounds",
        "Gamma delta",
        "Epsilon zeta",
    )
    assert (
        label_for(["It was.", "And then it was not."], Background(BACKGROUND), fallback="Other")
        == "Other"
    )


def test_the_same_texts_give_the_same_label():
    group = [
        "Virtual ward nurses called twice a day.",
        "The virtual ward freed beds.",
        "GPs referred patients to the virtual ward.",
    ]
    labels = {label_for(list(g), Background(BACKGROUND + group)) for g in (group, group[:])}
    assert labels == {"Virtual ward"}


def test_labelled_clusters_get_phrases_from_their_own_text_close_to_peoples_labels():
    """The set of docs/quality.md: 30 clusters named by a person."""
    clusters = labelled_clusters()
    results = label_quality(clusters)
    assert len(results) == 30
    assert all(r.in_text for r in results), [r.label for r in results if not r.in_text]
    assert all(" / " not in r.label and len(r.label.split()) <= 5 for r in results)
    shared = sum(r.shares_word for r in results) / len(results)
    assert shared >= 0.75, shared  # 24 of 30 when written (docs/quality.md)
