"""`python -m ifbench`: the `ifbench` command."""

from ifbench.cli.main import console

console()
