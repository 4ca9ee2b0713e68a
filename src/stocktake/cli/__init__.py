"""The `stocktake` command line: thin over the actions layer and the analysis library."""

from stocktake.cli.main import main

__all__ = ["main"]
