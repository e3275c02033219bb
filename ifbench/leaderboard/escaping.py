"""The HTML report's two ways of putting untrusted text into the page; nothing else inserts text.

- `esc`: text for HTML content or a quoted attribute value (`<`, `>`, `&`, quotes become
  entities).
- `script_json`: data as JSON for a `<script type="application/json">` element. A script
  element ends at the first `</script`, and `<!--` inside one changes how the parser looks for
  that end, so `<`, `>` and `&` never appear literally: they are written as the JSON escapes
  `\\u003c`, `\\u003e`, `\\u0026`, which `JSON.parse` turns back into the same characters.
  U+2028 and U+2029 are escaped too (older JavaScript engines end a string literal there).

In the page, the report's script puts this data into the document only as text nodes
(`textContent`), never as markup.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                ("\u2029", "\\u2029"))
"""Each character and its JSON escape (str.replace per pair: many times faster than translate)."""


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute value."""
    return escape("" if value is None else str(value), quote=True)


def script_json(value: Any) -> str:
    """`value` as compact JSON that is inert inside a script element and parses back to `value`.

    The characters replaced occur only inside JSON strings (JSON's own syntax has none of
    them), so replacing them by their `\\uXXXX` escapes keeps the same JSON value."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for unsafe, escaped in _SCRIPT_SAFE:
        text = text.replace(unsafe, escaped)
    return text
