import pytest
from django.conf import settings
from django.db import connection

from stocktake.config import ConfigError, env_bool, env_int, file_storage, secret_key


def test_sqlite_is_configured_for_concurrent_use(db):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite settings only")
    options = settings.DATABASES["default"]["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA foreign_keys")
        assert cursor.fetchone() == (1,)


def test_env_helpers_fail_fast_with_the_variable_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "perhaps")
    with pytest.raises(ConfigError, match="DEBUG='perhaps' is not a boolean"):
        env_bool("DEBUG")
    monkeypatch.setenv("SQLITE_TIMEOUT", "ten")
    with pytest.raises(ConfigError, match="SQLITE_TIMEOUT='ten' is not a whole number"):
        env_int("SQLITE_TIMEOUT", 20)
    monkeypatch.setenv("DEBUG", "Yes")
    assert env_bool("DEBUG") is True


def test_the_analysis_stale_threshold_has_a_floor(monkeypatch):
    assert settings.STOCKTAKE_ANALYSIS_STALE_SECONDS >= 60
    monkeypatch.setenv("STOCKTAKE_ANALYSIS_STALE_SECONDS", "5")
    with pytest.raises(ConfigError, match="STOCKTAKE_ANALYSIS_STALE_SECONDS='5' is too small; "
                                          "use 60 or more"):
        env_int("STOCKTAKE_ANALYSIS_STALE_SECONDS", 900, minimum=60)
    monkeypatch.setenv("STOCKTAKE_ANALYSIS_STALE_SECONDS", "120")
    assert env_int("STOCKTAKE_ANALYSIS_STALE_SECONDS", 900, minimum=60) == 120


def test_secret_key_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = secret_key(tmp_path)
    assert first == secret_key(tmp_path) and len(first) > 40
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert secret_key(tmp_path) == "from-env"


def test_file_storage_is_private_files_by_default_and_configurable(monkeypatch):
    monkeypatch.delenv("STOCKTAKE_FILE_STORAGE", raising=False)
    monkeypatch.delenv("STOCKTAKE_FILE_STORAGE_OPTIONS", raising=False)
    default = file_storage()
    assert default["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert default["OPTIONS"]["file_permissions_mode"] == 0o600
    monkeypatch.setenv("STOCKTAKE_FILE_STORAGE", "storages.backends.s3.S3Storage")
    monkeypatch.setenv("STOCKTAKE_FILE_STORAGE_OPTIONS", '{"bucket_name": "stocktake"}')
    assert file_storage() == {"BACKEND": "storages.backends.s3.S3Storage",
                              "OPTIONS": {"bucket_name": "stocktake"}}
    monkeypatch.setenv("STOCKTAKE_FILE_STORAGE_OPTIONS", "bucket=stocktake")
    with pytest.raises(ConfigError, match="STOCKTAKE_FILE_STORAGE_OPTIONS='bucket=stocktake' is not JSON"):
        file_storage()
