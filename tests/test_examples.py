"""The example scripts run as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.mark.slow
def test_tour_runs(tmp_path: Path) -> None:
    """examples/tour.py runs to the end and writes its page."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLES / "tour.py")],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Is an LLM a Generative AI? True" in done.stdout
    assert "did you mean 'Large Language Model'" in done.stdout
    page = (tmp_path / "genai-tour.html").read_text(encoding="utf-8")
    assert "Large Language Model" in page
