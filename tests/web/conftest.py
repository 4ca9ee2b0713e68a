import pytest
from django.conf import settings


@pytest.fixture(autouse=True, scope="session")
def _static_root():
    """WhiteNoise warns (an error under our strict pytest) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
