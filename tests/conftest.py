"""Shared fixtures: paths to the repository, the shared conformance data, the console script."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CONFORMANCE = SHARED / "conformance"


@pytest.fixture(scope="session")
def ifbench_script() -> str:
    """The installed `ifbench` console script next to this interpreter."""
    script = Path(sys.executable).with_name("ifbench")
    found = str(script) if script.exists() else shutil.which("ifbench")
    if found is None:
        pytest.fail("the ifbench console script is not installed; run: pip install -e '.[dev]'")
    return found


@pytest.fixture()
def write(tmp_path: Path):
    """write(name, text) -> path of a new file under tmp_path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return _write


os.environ.setdefault("NO_COLOR", "1")
