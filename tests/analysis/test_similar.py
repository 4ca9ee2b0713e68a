"""Similar practice from other organisations, and near-duplicates."""

from __future__ import annotations

import numpy as np
import pytest

from stocktake.analysis.similar import SimilarityIndex, _prefix, fit_tfidf
from tests.analysis.explore_data import constructed_findings

ROWS = constructed_findings()
TEXTS = [r["text"] for r in ROWS]
ORGS = [r["organisation"] for r in ROWS]


def test_similar_practice_comes_from_other_organisations():
    index = SimilarityIndex(TEXTS, ORGS)
    for position, row in enumerate(ROWS):
        matches = index.similar(position, k=3)
        assert matches, row["text"]
        assert all(ORGS[m.index] != row["organisation"] for m in matches)
        assert all(m.index != position for m in matches)
        scores = [m.score for m in matches]
        assert scores == sorted(scores, reverse=True)
        assert ROWS[matches[0].index]["group"] == row["group"]


def test_similar_to_a_new_example_text():
    index = SimilarityIndex(TEXTS, ORGS)
    matches = index.similar("Our food bank volunteers delivered parcels to families",
                            organisation="Northmere Trust", k=4)
    assert len(matches) == 4
    assert all(ROWS[m.index]["group"] == "food-banks" for m in matches)
    assert all(ORGS[m.index] != "Northmere Trust" for m in matches)
    many = index.similar_many([0, 1], k=3)
    assert many == [index.similar(0, k=3), index.similar(1, k=3)]


def test_near_duplicates_found_across_organisations():
    texts = TEXTS + [
        TEXTS[0],  # pasted by another organisation
        TEXTS[5].replace(".", ", as reported in May."),  # re-imported with a small edit
    ]
    orgs = ORGS + ["Elsewhere Council", ORGS[5]]
    pairs = SimilarityIndex(texts, orgs).near_duplicates(0.85)
    found = {(p.first, p.second): p for p in pairs}
    assert set(found) == {(0, len(TEXTS)), (5, len(TEXTS) + 1)}
    assert found[(0, len(TEXTS))].score == pytest.approx(1.0)
    assert not found[(0, len(TEXTS))].same_organisation
    assert found[(5, len(TEXTS) + 1)].same_organisation


def test_prefix_filter_is_exact():
    """Candidate pairs from the prefix filter miss nothing a full product finds."""
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    texts = [" ".join(rng.choice(words, size=rng.integers(3, 9))) for _ in range(300)]
    texts += texts[:20]
    _, X = fit_tfidf(texts)
    for threshold in (0.5, 0.7, 0.9):
        full = (X @ X.T).toarray()
        np.fill_diagonal(full, 0)
        expected = {(int(a), int(b)) for a, b in zip(*np.nonzero(np.triu(full) >= threshold))}
        got = {(p.first, p.second)
               for p in SimilarityIndex(texts, matrix=X).near_duplicates(threshold)}
        assert got == expected
        P = _prefix(X, threshold)
        assert P.nnz <= X.nnz


def test_bad_threshold():
    with pytest.raises(ValueError):
        SimilarityIndex(TEXTS).near_duplicates(0)


def test_query_scores_are_the_full_product():
    """Scores read from the query terms' postings equal the whole matrix times the query."""
    rng = np.random.default_rng(1)
    words = [f"w{i}" for i in range(60)]
    texts = [" ".join(rng.choice(words, size=rng.integers(1, 10))) for _ in range(400)]
    index = SimilarityIndex(texts, [f"org{i % 7}" for i in range(len(texts))])
    for position in range(0, len(texts), 37):
        q = index.X[position]
        expected = (index.X @ q.T).toarray().ravel()
        assert np.allclose(index._scores(q), expected, atol=1e-6)
    assert not index._scores(index.vector("nothing known here")).any()
    own = index.similar(3, k=10)
    assert all(index.organisations[m.index] != "org3" for m in own)
    anyone = [m.index for m in index.similar(3, k=400, organisation="elsewhere", min_score=0)]
    assert 3 not in anyone and len(anyone) == 399  # only the query itself is left out


def test_texts_with_no_terms_give_empty_rows():
    vectorizer, X = fit_tfidf(["", "  ", None])
    assert X.shape == (3, 1) and X.nnz == 0
    assert SimilarityIndex(["", ""]).similar(0) == []
