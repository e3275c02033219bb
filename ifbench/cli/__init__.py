"""The `ifbench` command, one module per group of subcommands; `main` is the console script."""

from ifbench.cli.main import main

__all__ = ["main"]
