"""Generating replies: the runner (runner.py), its journal (journal.py) and the model backends (backends/)."""
