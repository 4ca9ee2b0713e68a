import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType

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


@pytest.fixture(autouse=True)
def _fresh_content_types():
    """A test that flushes the database (the data pack's load) leaves Django's content type
    cache naming rows its rollback removed; personal data flags name their subject by
    content type, so each test ends by emptying that cache."""
    yield
    ContentType.objects.clear_cache()


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
