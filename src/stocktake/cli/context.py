"""Setting Django up for a command and turning known errors into one-line messages."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

DEFAULT_DATA_DIR = "var"

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder holding the SQLite database, uploaded originals and reports "
    "[default: $STOCKTAKE_DATA_DIR or ./var].",
)


def setup_django(data_dir: Path | None = None, *, force_sqlite: bool = False) -> Path:
    """Point settings at the data dir and start Django; returns the resolved data dir."""
    if data_dir is not None:
        os.environ["STOCKTAKE_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("STOCKTAKE_DATA_DIR", DEFAULT_DATA_DIR)
    if force_sqlite and os.environ.pop("DATABASE_URL", None):
        click.echo("Note: the demo always uses SQLite in its data dir; DATABASE_URL is ignored.")
    resolved = Path(os.environ["STOCKTAKE_DATA_DIR"]).resolve()
    try:
        resolved.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise click.ClickException(f"Cannot create data dir {resolved}: {exc.strerror}") from None
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stocktake.settings")
    import django

    django.setup()
    return resolved


def friendly_errors(func):
    """Known failures become `Error: <one line>` and exit status 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from stocktake.analysis.errors import InputError
        from stocktake.config import ConfigError
        from stocktake.core.errors import StocktakeError

        try:
            return func(*args, **kwargs)
        except (StocktakeError, InputError, ConfigError) as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except Exception as exc:  # database unreachable and the like
            from django.db import DatabaseError

            if isinstance(exc, DatabaseError):
                raise click.ClickException(f"Database error: {exc}".splitlines()[0]) from None
            raise

    return wrapper


def ensure_migrated() -> None:
    """Refuse to work on a database that `stocktake init` has not set up."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise click.ClickException(
            "The database is not set up or is out of date; run `stocktake init` first"
        )


def get_review(slug: str):
    from stocktake.reviews.models import Review

    try:
        return Review.objects.get(slug=slug)
    except Review.DoesNotExist:
        known = ", ".join(Review.objects.values_list("slug", flat=True)[:10]) or "none yet"
        raise click.ClickException(f"No review with slug {slug!r} (known: {known})") from None
