"""Where recommendations of one review print the same label (two documents each with a
"Recommendation 1"), each is named with the document it came from."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def origins(recommendations: Iterable) -> dict[int, str]:
    """Recommendation id → "from <document>" for those whose shown label another one shares
    (``source_document`` selected); the others are not listed."""
    recs = list(recommendations)
    counts = Counter(r.shown_number for r in recs)
    return {r.pk: (f"from {r.source_document.original_name}" if r.source_document_id else "added by hand")
            for r in recs if counts[r.shown_number] > 1}
