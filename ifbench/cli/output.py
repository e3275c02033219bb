"""What every subcommand prints with: the two consoles, `literal` for user text, the summary table.

User text (task ids, model names, reasons, error messages, paths) goes through `literal`, never
into a markup string: rich would read `[bold]` as a style and `:m:` as an emoji code, and a
raw ESC would let a results file recolour the terminal or plant an OSC 8 hyperlink.
"""

from __future__ import annotations

import re

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ifbench.scoring import Summary

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 (but newline and tab), DEL, C1, and the bidi controls that reorder what a line shows."""


def visible(text: str) -> str:
    """`text` with each control character written as its Python escape (ESC as `\\x1b`)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def literal(text: object, style: str = "") -> Text:
    """`text` to print exactly as written: no markup, no emoji codes, control characters visible."""
    return Text(visible(str(text)), style=style)


def print_summary(summary: Summary) -> None:
    table = Table("", "strict", "loose", title=None)
    table.add_row(f"prompt-level ({summary.n_prompts})",
                  f"{summary.prompt_strict:.2%}", f"{summary.prompt_loose:.2%}")
    table.add_row(f"instruction-level ({summary.n_instructions})",
                  f"{summary.inst_strict:.2%}", f"{summary.inst_loose:.2%}")
    out.print(table)
    if summary.errors:
        out.print(f"{summary.errors} task(s) had no usable response and count as failed")
    if summary.truncated > TRUNCATION_WARNING * summary.n_prompts:
        err.print(f"warning: {summary.truncated} of {summary.n_prompts} replies "
                  f"({summary.truncated / summary.n_prompts:.1%}) stopped at the token cap and are "
                  "scored as cut; raise --max-tokens to let them finish")


TRUNCATION_WARNING = 0.05
"""More replies cut at the cap than this share makes the scores say more about the cap than the model."""
