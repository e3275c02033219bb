"""What every subcommand prints with: the two consoles and the accuracy summary table."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ifbench.scoring import Summary

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def print_summary(summary: Summary) -> None:
    table = Table("", "strict", "loose", title=None)
    table.add_row(f"prompt-level ({summary.n_prompts})",
                  f"{summary.prompt_strict:.2%}", f"{summary.prompt_loose:.2%}")
    table.add_row(f"instruction-level ({summary.n_instructions})",
                  f"{summary.inst_strict:.2%}", f"{summary.inst_loose:.2%}")
    out.print(table)
    if summary.errors:
        out.print(f"{summary.errors} task(s) had no usable response and count as failed")
