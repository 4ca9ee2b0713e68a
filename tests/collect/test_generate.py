"""The committed example files are exactly what examples/generate.py writes."""

import importlib.util

from tests.collect.conftest import EXAMPLES


def test_examples_are_up_to_date_and_small(tmp_path):
    spec = importlib.util.spec_from_file_location("generate", EXAMPLES.parent / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.generate(tmp_path)
    for path in written:
        committed = EXAMPLES / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"{committed} is stale: run examples/generate.py"
    committed = {p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*") if p.is_file()}
    assert committed == {p.relative_to(tmp_path) for p in written}
    assert sum(p.stat().st_size for p in EXAMPLES.parent.rglob("*") if p.is_file()) < 3_000_000
