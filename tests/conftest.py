import pytest
from django.conf import settings as django_settings

from tests.personas import PASSWORD, build_world


@pytest.fixture(autouse=True, scope="session")
def _static_root():
    """WhiteNoise warns (an error under our strict pytest) when STATIC_ROOT is missing."""
    django_settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, settings):
    """Every test writes uploads and reports under its own temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    # Deliberately weak and fast: the personas' passwords are hashed a dozen times per test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """Sign the test client in as a persona: ``login(world.users["lena"])``."""

    def _login(user):
        assert client.login(username=user.username, password=PASSWORD)
        return client

    return _login
