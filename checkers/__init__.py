"""The built-in checkers (installed as `ifbench.checkers`), one subpackage per id namespace.

    native/   our own checkers: length.*, format.*, content.*, language.*, role.*, steps.*
    ifeval/   ifeval:<id>, Google's IFEval instructions with their reference verdicts
    ifbench/  ifbench:<id> and ifbench@<commit>:<id>, AllenAI's IFBench instructions
    data/     word lists the checkers read (package data, never downloaded)

Every module here whose name does not start with `_` is imported by the registry, so a new
checker is one new module.
"""
