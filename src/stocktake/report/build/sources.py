"""Where a finding came from, in words, as the report and its builder pages cite it."""

from __future__ import annotations


def source_of(finding) -> str:
    """"returns.docx, table 2 row 4": the document's name and the place in it ("" if typed
    in). ``finding.source_document`` should be selected with it."""
    name = finding.source_document.original_name if finding.source_document_id else ""
    return ", ".join(part for part in (name, finding.source_location) if part)
