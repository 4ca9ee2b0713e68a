import pytest

from stocktake.collect import importers
from stocktake.collect.importers import Extraction


@pytest.fixture
def documents(tmp_path, monkeypatch):
    """Files whose extraction is given (the parsers are tested on their own)."""
    extractions = {}

    def add(extraction: Extraction, content: str | None = None):
        path = tmp_path / extraction.file
        path.write_text(content or f"stand-in for {extraction.file}")
        extractions[path.name] = extraction
        return path

    def fake_extract(path, *, name=None, **_):
        return extractions[name or path.name]

    monkeypatch.setattr(importers, "extract", fake_extract)
    return add
