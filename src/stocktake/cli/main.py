"""Entry point: `stocktake --help`."""

from __future__ import annotations

import click

from stocktake import __version__
from stocktake.cli import (
    admin_cmds,
    appendix_cmds,
    cycle_cmds,
    data_cmds,
    evaluation_cmds,
    innovation_cmds,
    org_cmds,
    recommendation_cmds,
    register_cmds,
    report_cmds,
    report_text_cmds,
    setup_cmds,
    worker_cmd,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="stocktake")
def main() -> None:
    """stocktake: learning reviews across health and care systems.

    Collect submissions, assess them against a framework, report with numbered
    recommendations and track what happened next. Start with `stocktake demo`.
    """


for command in (
    setup_cmds.init,
    setup_cmds.demo,
    setup_cmds.serve,
    setup_cmds.manage,
    data_cmds.import_,
    data_cmds.export,
    report_cmds.report,
    report_text_cmds.report_text,
    appendix_cmds.example,
    appendix_cmds.case_study,
    data_cmds.analyse,
    admin_cmds.framework,
    admin_cmds.review,
    admin_cmds.user,
    org_cmds.org,
    admin_cmds.track,
    cycle_cmds.cycle,
    innovation_cmds.innovation,
    recommendation_cmds.recommendation,
    register_cmds.register,
    evaluation_cmds.evaluation,
    worker_cmd.worker,
):
    main.add_command(command)

main.add_command(__import__("stocktake.cli.themes_cmd", fromlist=["themes"]).themes)
main.add_command(__import__("stocktake.cli.analysis_cmds", fromlist=["code"]).code)
