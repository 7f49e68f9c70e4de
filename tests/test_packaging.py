"""The wheel: it ships the ontology and py.typed, and works installed without the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import genai_graph

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel offline (no build isolation, so nothing is downloaded)."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    (built,) = out.glob("genai_graph-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contents(wheel: Path) -> None:
    """The wheel holds the ontology, the page template, py.typed and the version."""
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "genai_graph/ontology/genai.ttl" in names
    assert "genai_graph/py.typed" in names
    assert any(n.startswith("genai_graph/views/templates/") for n in names)
    assert f"genai_graph-{genai_graph.__version__}.dist-info/METADATA" in names
    entry_points = zipfile.ZipFile(wheel).read(
        f"genai_graph-{genai_graph.__version__}.dist-info/entry_points.txt"
    )
    assert b"genai-graph = genai_graph.cli:main" in entry_points


@pytest.mark.slow
def test_installed_wheel_finds_its_ontology(wheel: Path, tmp_path: Path) -> None:
    """Installed from the wheel (not editable), the package reads genai.ttl as package data."""
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    code = (
        "import genai_graph, genai_graph.loading as L;"
        "print(genai_graph.__file__);"
        "print(L.bundled_ontology());"
        "print(genai_graph.load().is_a('LLM', 'Generative AI'))"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    module_file, ontology_path, answer = done.stdout.split()
    assert Path(module_file).is_relative_to(site)
    assert Path(ontology_path).is_relative_to(site)
    assert answer == "True"
