"""`init`, `demo`, `serve` and `manage`: setting up and running the service."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from stocktake.cli.context import data_dir_option, ensure_migrated, friendly_errors, setup_django

DEMO_PASSWORD = "stocktake-demo"
DEMO_ADMIN = "admin.demo"  # a staff account: the register's merge and import
EXAMPLE_SLUG_FILE = "review.yaml"


def _prepare_database(*, quiet: bool = True) -> None:
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0 if quiet else 1)
    vendor = Path(settings.STATICFILES_DIRS[0]) / "vendor"
    if not vendor.exists():
        click.echo(
            "Note: the NHS.UK styles are not built (run `make assets`); pages will look plain.",
            err=True,
        )
    call_command("collectstatic", interactive=False, verbosity=0)


@click.command()
@data_dir_option
@click.option("--admin", "admin_username", help="Also create a superuser with this username.")
@click.option(
    "--admin-password", envvar="STOCKTAKE_ADMIN_PASSWORD",
    help="Password for --admin [default: $STOCKTAKE_ADMIN_PASSWORD, else asked for].",
)
@friendly_errors
def init(data_dir, admin_username, admin_password):
    """Create or upgrade the database and collect static files."""
    resolved = setup_django(data_dir)
    _prepare_database(quiet=False)
    if admin_username:
        from stocktake.reviews import actions

        if admin_password is None:
            if not sys.stdin.isatty():
                raise click.ClickException("--admin needs --admin-password when not interactive")
            admin_password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        actions.create_user(
            username=admin_username, password=admin_password, is_superuser=True, by=None
        )
        click.echo(f"Created superuser {admin_username}.")
    click.echo(f"Data dir ready: {resolved}")


def find_example_dir(explicit: Path | None) -> Path:
    candidates = [explicit] if explicit else []
    if os.environ.get("STOCKTAKE_EXAMPLE_DIR"):
        candidates.append(Path(os.environ["STOCKTAKE_EXAMPLE_DIR"]))
    candidates += [
        Path.cwd() / "examples" / "northmere",
        Path(__file__).resolve().parents[3] / "examples" / "northmere",
    ]
    for candidate in candidates:
        if candidate and (candidate / EXAMPLE_SLUG_FILE).is_file():
            return candidate
    raise click.ClickException(
        "Cannot find the example review (examples/northmere/review.yaml); "
        "run from the repository root or pass --example DIR"
    )


def _reset(data_dir: Path) -> None:
    for name in ("stocktake.sqlite3", "stocktake.sqlite3-wal", "stocktake.sqlite3-shm"):
        (data_dir / name).unlink(missing_ok=True)


def _load_demo(example_dir: Path):
    import yaml

    from stocktake.example_review import load_example_review
    from stocktake.reviews.models import Review

    slug = yaml.safe_load((example_dir / EXAMPLE_SLUG_FILE).read_text())["review"]["slug"]
    review = Review.objects.filter(slug=slug).first()
    if review is not None:
        click.echo(f"The example review {slug!r} is already loaded; using it (--reset to start over).")
        return review, False
    click.echo(f"Loading the example review from {example_dir} …")
    review = load_example_review(directory=example_dir, by=None, password=DEMO_PASSWORD)
    from stocktake.reviews import actions

    # Merging organisations and importing the register change every review: staff only.
    actions.create_user(username=DEMO_ADMIN, full_name="Demo Administrator", password=DEMO_PASSWORD,
                        is_superuser=True, by=None)
    return review, True


def _print_summary(review, data_dir: Path, report_path: Path) -> None:
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from stocktake.reviews.models import Membership, Role

    db = settings.DATABASES["default"]["NAME"]
    click.echo("")
    click.secho(f"stocktake demo: {review.title}", bold=True)
    click.echo(f"  database : {db}")
    click.echo(f"  report   : {report_path}")
    click.echo(f"  data dir : {data_dir}")
    click.echo(
        f"  content  : {review.findings.count()} findings from "
        f"{review.participants.count()} organisations, {review.examples.count()} examples, "
        f"{review.recommendations.count()} recommendations"
    )
    click.echo(f"Sign in with any of these (password {DEMO_PASSWORD!r}):")
    order = {role: i for i, role in enumerate(Role.values)}

    def sign_ins(of):
        memberships = Membership.objects.filter(review=of).select_related("user", "organisation")
        for m in sorted(memberships, key=lambda m: (order[m.role], m.user.username)):
            where = f" ({m.organisation.display_name})" if m.organisation else ""
            click.echo(f"  {m.user.username:<18} {m.get_role_display()}{where}")

    sign_ins(review)
    if get_user_model().objects.filter(username=DEMO_ADMIN).exists():
        click.echo(f"  {DEMO_ADMIN:<18} Staff (merges organisations and imports the register)")
    click.echo("A lead or staff member creates a new review from the Reviews page (Create a "
               "review) and sets it up under its Set up tab: framework, participants, members "
               "and workflow.")
    for followed in review.region.reviews.exclude(pk=review.pk).filter(
            stocktake_cycles__isnull=False).distinct() if review.region_id else []:
        cycles = followed.stocktake_cycles.order_by("number")
        state = ", ".join(f"cycle {c.number} {c.get_status_display().lower()}" for c in cycles)
        click.echo(f"Track: {followed.title} (published; {state}), the same password:")
        sign_ins(followed)


@click.command()
@data_dir_option
@click.option("--example", "example_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of the example review [default: examples/northmere].")
@click.option("--no-serve", is_flag=True, help="Prepare everything, then exit instead of serving.")
@click.option("--reset", is_flag=True, help="Delete the demo database first and load afresh.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-worker", is_flag=True,
              help="Start no background worker beside the server (see `stocktake worker`).")
@friendly_errors
def demo(data_dir, example_dir, no_serve, reset, host, port, no_worker):
    """Load the example review into a SQLite database, analyse it, write its report and serve it."""
    example_dir = find_example_dir(example_dir)
    target = (data_dir or Path(os.environ.get("STOCKTAKE_DATA_DIR", "var"))).resolve()
    if reset:
        _reset(target)
    resolved = setup_django(target, force_sqlite=True)
    _prepare_database()
    review, _ = _load_demo(example_dir)

    from stocktake.cli.data_cmds import analyse
    from stocktake.report.actions import write_report

    click.get_current_context().invoke(analyse, data_dir=resolved, slug=review.slug)
    _emergent_themes(review)
    report_path = write_report(review=review, directory=resolved / "report", by=None)
    _print_summary(review, resolved, report_path)
    if not no_serve:
        _serve(host, port, worker=not no_worker)


def _emergent_themes(review) -> None:
    """One run of emergent themes (seed 0, findings that fit no theme well), in the foreground,
    for Analysis → Emergent themes to show."""
    from stocktake.assess.emergent.actions import cluster_review, queue_emergent_themes

    run = queue_emergent_themes(review=review, by=None, seed=0)
    cluster_review(run=run, by=None)  # the worker finds it taken and leaves it
    run.refresh_from_db()
    click.echo(f"Emergent themes: {run.message} (run {run.pk}).")


def _serve(host: str, port: int, threads: int = 8, *, worker: bool = True,
           processes: int = 1) -> None:
    from waitress.server import create_server

    from stocktake.cli.prefork import listening_socket, serve_processes
    from stocktake.cli.worker_cmd import background_worker
    from stocktake.wsgi import application

    if processes > 1 and not hasattr(os, "fork"):
        raise click.ClickException("--processes above 1 needs os.fork (not on Windows)")
    try:
        if processes > 1:
            sock = listening_socket(host, port)
        else:
            server = create_server(application, host=host, port=port, threads=threads,
                                   ident="stocktake")
    except OSError as exc:
        hint = "; choose another with --port" if exc.errno == errno.EADDRINUSE else ""
        raise click.ClickException(f"Cannot serve on {host}:{port}: {exc.strerror}{hint}") from None
    if processes > 1:
        click.echo(f"\nServing on http://{host}:{port}/ from {processes} processes  (Ctrl+C to stop)")
        status = serve_processes(
            lambda s: create_server(application, sockets=[s], threads=threads, ident="stocktake"),
            sock, processes=processes, parent=lambda: background_worker(enabled=worker))
        click.echo("Stopped.")
        if status:
            raise SystemExit(status)
        return
    with background_worker(enabled=worker):
        click.echo(f"\nServing on http://{host}:{port}/  (Ctrl+C to stop)")
        try:
            server.run()
        except KeyboardInterrupt:
            click.echo("Stopped.")


@click.command()
@data_dir_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64),
              help="Worker threads in the server.")
@click.option("--processes", type=click.IntRange(1, 64), default=None,
              help="Server processes sharing the port, each with --threads threads "
                   "(default: STOCKTAKE_SERVE_PROCESSES, else one per CPU up to 2).")
@click.option("--no-worker", is_flag=True,
              help="Start no background worker beside the server; run `stocktake worker` instead.")
@friendly_errors
def serve(data_dir, host, port, threads, processes, no_worker):
    """Serve an existing data dir with a production WSGI server (waitress).

    One background worker runs beside it (for analysis started from the web)
    unless --no-worker is given: with several processes, in the parent process,
    which serves no requests.
    """
    setup_django(data_dir)
    ensure_migrated()
    from stocktake.cli.prefork import default_processes

    _serve(host, port, threads, worker=not no_worker,
           processes=processes or default_processes())


@click.command(context_settings={"ignore_unknown_options": True, "help_option_names": []})
@data_dir_option
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(data_dir, args):
    """Run a Django management command (for example `stocktake manage createsuperuser`)."""
    setup_django(data_dir)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["stocktake manage", *args])
