"""Print docs/cli.md: the CLI reference, generated from the commands' own --help.

`make docs` regenerates it; tests/test_cli_reference.py fails when it is stale.
"""

from __future__ import annotations

import click

from stocktake.cli import main


def _help(command: click.Command, name: str) -> str:
    ctx = click.Context(
        command, info_name=name, terminal_width=100, max_content_width=100,
        help_option_names=["-h", "--help"],
    )
    return command.get_help(ctx)


def render() -> str:
    parts = [
        "# CLI reference",
        "",
        "Generated from `stocktake --help` by `make docs`; do not edit by hand.",
        "",
        "## stocktake",
        "",
        "```",
        _help(main, "stocktake"),
        "```",
    ]
    for name in sorted(main.commands):
        parts += ["", f"## stocktake {name}", "", "```", _help(main.commands[name], f"stocktake {name}"), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    print(render(), end="")
