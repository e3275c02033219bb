"""Task files: the Task models, loading and validation, lint, and the suite card.

    models.py     Task, Turn, Message, Constraint, NearMiss
    load.py       task files -> validated Tasks, or every problem as `path:line: ...`; suite hashes
    yamlfile.py   a YAML file composed once (libyaml), values built from its nodes; no aliases, no duplicate keys
    lint.py       contradictory constraint sets, duplicate prompts (rules ask the registry)
    requested.py  the `unrequested` lint rule: does the prompt ask for what is checked?
    suitecard.py  coverage tables of suites (tasks/README.md), and which checkers they leave unused
"""
