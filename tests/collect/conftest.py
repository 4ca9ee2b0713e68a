from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "northmere"
SUBMISSIONS = EXAMPLES / "submissions"


@pytest.fixture
def submissions() -> Path:
    return SUBMISSIONS
