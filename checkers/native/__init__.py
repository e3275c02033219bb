"""ifbench's own checkers, one module per constraint family (length, format, content, language, role, steps)."""
