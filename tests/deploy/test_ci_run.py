"""`.ci/run`, the one test command: what it refuses before it installs anything."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_test_path_that_names_nothing_stops_the_run_at_once() -> None:
    run = subprocess.run(
        ["bash", ".ci/run", "tests/deploy", "tests/services/test_no_such_service.py::test_x"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "VENV": "/nonexistent-venv"},
    )

    assert run.returncode == 1
    assert run.stderr == "==> no such test file or folder: tests/services/test_no_such_service.py\n"
    assert run.stdout == ""
