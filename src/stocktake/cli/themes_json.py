"""The JSON document of `stocktake themes`, built from the analysis library (no Django)."""

from __future__ import annotations

import numpy as np

from stocktake.analysis import consensus as cons
from stocktake.analysis.emergent import emergent_themes
from stocktake.analysis.phrases import with_phrase_labels
from stocktake.analysis.similar import SimilarityIndex, fit_tfidf

MAX_PAIRS = 10_000  # near-duplicate pairs listed at most (copies of one text first)


def _feature_names(coder, X):
    """The coder's TF-IDF feature names when it offers them (else None: we vectorise again)."""
    names = getattr(coder, "feature_names", None)
    if names is None:
        fitted = getattr(coder, "_fitted", None)  # TfidfCoder keeps them after score_matrix
        names = fitted.get("names") if isinstance(fitted, dict) else None
    if names is None or len(names) != X.shape[1]:
        return None
    return np.asarray(names, dtype=object)


def _code(framework, texts, seed):
    """Theme probabilities (n × T) and, when reusable, the coder's TF-IDF matrix and names."""
    from stocktake.analysis.backends import get_backend

    coder = get_backend("tfidf")(framework, seed=seed)
    coder.fit(texts)
    probs, _, X = coder.score_matrix(texts)
    names = _feature_names(coder, X)
    return np.asarray(probs), (X if names is not None else None), names


def _finding(rows, position: int) -> dict:
    row = rows[position]
    return {"id": row.id, "text": row.text, "organisation": row.organisation or None,
            "system": row.system or None}


def _emergent_json(rows, result) -> dict:
    return {
        "considered": len(result.considered),
        "clustered": len(result.considered) - len(result.unclustered),
        "unclustered": len(result.unclustered),
        "themes": [
            {
                "key": theme.key,
                "label": theme.label,
                "size": theme.size,
                "cohesion": theme.cohesion,
                "terms": [{"term": t, "score": s} for t, s in theme.terms],
                "representative": _finding(rows, theme.representative),
                "finding_ids": [rows[m].id for m in theme.members],
            }
            for theme in result.themes
        ],
    }


def _message_json(rows, message) -> dict:
    return {
        "key": message.key, "name": message.name, "source": message.source,
        "pattern": message.pattern, "finding_count": message.finding_count,
        "organisation_count": message.organisation_count,
        "system_count": message.system_count, "systems": list(message.systems),
        "quotes": [_finding(rows, q) for q in message.quotes],
    }


def _profile_json(rows, profile) -> dict:
    return {
        "system": profile.system, "finding_count": profile.finding_count,
        "organisation_count": profile.organisation_count,
        "distinctive_terms": [{"term": t, "score": s} for t, s in profile.terms],
        "examples": [_finding(rows, e) for e in profile.examples],
        "distinctive_themes": profile.distinctive,
        "consistent_not_raised": profile.consistent_missing,
    }


def _duplicates_json(rows, X, threshold) -> list[dict]:
    index = SimilarityIndex([r.text for r in rows], [r.organisation for r in rows], matrix=X)
    return [
        {"a": _finding(rows, p.first), "b": _finding(rows, p.second), "score": p.score,
         "same_organisation": p.same_organisation}
        for p in index.near_duplicates(threshold, limit=MAX_PAIRS)
    ]


def build_payload(rows, *, framework=None, seed=0, include_all=False, fit_threshold=0.5,
                  min_size=3, k_max=30, k=None, duplicate_threshold=None) -> dict:
    """Everything `stocktake themes` prints, for findings ``rows`` (id, text, organisation, system)."""
    from stocktake.analysis.coder import APPLIES_THRESHOLD

    texts = [r.text for r in rows]
    systems = [r.system for r in rows]
    orgs = [r.organisation for r in rows]
    probs = X = names = None
    if framework is not None:
        probs, X, names = _code(framework, texts, seed)
    if X is None:
        vectorizer, X = fit_tfidf(texts)
        names = vectorizer.get_feature_names_out()
    emergent = emergent_themes(
        texts, top_scores=None if probs is None else probs.max(axis=1), include_all=include_all,
        fit_threshold=fit_threshold, seed=seed, min_size=min_size, k=k, k_max=k_max,
        matrix=X, names=names,
    )
    emergent = with_phrase_labels(emergent, texts)
    common = {"texts": texts, "systems": systems, "organisations": orgs, "matrix": X}
    messages = []
    if framework is not None:
        keys = [t.key for t in framework.themes]
        groups = cons.members_by_key(cons.applied_from_matrix(probs, keys, APPLIES_THRESHOLD), keys)
        messages += cons.consensus([(t.key, t.name, groups[t.key]) for t in framework.themes],
                                   source="framework", **common)
    messages += cons.consensus([(t.key, t.label, t.members) for t in emergent.themes],
                               source="emergent", **common)
    profiles = cons.system_profiles(texts, systems=systems, organisations=orgs, matrix=X,
                                    names=names, messages=messages)
    all_systems = sorted({s for s in systems if s})
    payload = {
        "input": {"findings": len(rows), "organisations": len({o for o in orgs if o}),
                  "systems": all_systems},
        "parameters": {
            "seed": seed, "framework": framework.key if framework is not None else None,
            "backend": "tfidf" if framework is not None else None,
            "applies_threshold": APPLIES_THRESHOLD if framework is not None else None,
            "fit_threshold": emergent.parameters["fit_threshold"],
            "include_all": include_all or framework is None, "min_size": min_size,
            "max_themes": k_max, "themes": k, "chosen_k": emergent.parameters["k"],
            "consistent_share": cons.CONSISTENT_SHARE, "distinctive_max": cons.DISTINCTIVE_MAX,
            "duplicate_threshold": duplicate_threshold,
        },
        "emergent": _emergent_json(rows, emergent),
        "consensus": {
            "total_systems": len(all_systems),
            "themes": [_message_json(rows, m) for m in messages],
            "consistent": [m.key for m in messages if m.pattern == cons.CONSISTENT],
            "distinctive": [{"key": m.key, "systems": list(m.systems)}
                            for m in messages if m.pattern == cons.DISTINCTIVE],
            "systems": [_profile_json(rows, p) for p in profiles],
        },
    }
    if duplicate_threshold is not None:
        payload["near_duplicates"] = _duplicates_json(rows, X, duplicate_threshold)
    return payload
