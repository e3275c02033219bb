"""Checking one response: what a checker is, the registry, `check`, and the text analysis checkers share.

    base.py       Verdict, Context, Params, CountParams, Example, Checker (and its lint hints)
    registry.py   the `@checker` decorator, loading built-in modules and plugins, lookup
    evaluate.py   bind a constraint, evaluate it strictly or loosely; `check`, `checkers_catalog`
    budget.py     the time budget of one check, in any thread (a watchdog thread interrupts)
    patterns.py   regular expressions from parameters, run with a time limit
    nested.py     the constraints nested inside others (the `children` hook), walked once
    text.py       words, sentences, paragraphs, keywords (the native counting conventions)
    markup.py     markdown structure of a response: tables, lists, headings, code blocks
    loose.py      IFEval's loose variants of a response
    reasoning.py  stripping <think> blocks before scoring
    punkt.py, langid.py   offline sentence splitting and language detection
"""
