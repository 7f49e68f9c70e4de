"""README.md tells the truth: its Python examples and command transcripts are replayed."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import genai_graph

from .conftest import require

README = Path(__file__).resolve().parents[1] / "README.md"


def test_python_examples() -> None:
    """Every >>> example in the README's python blocks gives the output shown."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    test = doctest.DocTestParser().get_doctest(
        "\n\n".join(blocks), {"genai_graph": genai_graph}, "README.md", str(README), 0
    )
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted > 5
    assert result.failed == 0


def transcripts() -> list[tuple[str, str]]:
    """Return (command, expected output) for each `$ genai-graph ...` line in a text block."""
    text = README.read_text(encoding="utf-8")
    pairs = []
    for block in re.findall(r"```text\n(.*?)```", text, re.S):
        chunks = re.split(r"^\$ ", block, flags=re.M)
        for chunk in chunks[1:]:
            command, _, output = chunk.partition("\n")
            pairs.append((command, output))
    return pairs


@pytest.mark.slow
@pytest.mark.parametrize(("command", "expected"), transcripts())
def test_command_transcripts(command: str, expected: str, tmp_path: Path) -> None:
    """Each command transcript in the README prints what the README shows."""
    bindir = Path(
        require("the genai-graph console script", str(Path(sys.executable).parent / "genai-graph"))
    ).parent
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,  # one stream, in the order a terminal shows it
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout == expected


def test_test_command_is_marked() -> None:
    """The README marks exactly one test command, which .ci/run executes."""
    text = README.read_text(encoding="utf-8")
    assert text.count("<!-- test-command -->") == 1
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command -->" in ci


def test_images_exist_and_the_notebook_excerpt_is_real() -> None:
    """Every image the README shows is in the repository; its notebook excerpt is the notebook's code."""
    import nbformat

    text = README.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(images) >= 3
    for image in images:
        assert (README.parent / image).is_file(), image
    notebook = nbformat.read(README.parent / "examples" / "visualization.ipynb", as_version=4)
    code = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    excerpt = text.split("From `examples/visualization.ipynb`:", 1)[1].split("```python\n", 1)[1]
    for line in excerpt.split("```", 1)[0].splitlines():
        statement = line.split("  #", 1)[0].strip()
        assert statement in code, statement


def test_bad_input_table_matches_the_tests() -> None:
    """The README's bad-input table lists exactly the rows tests/test_bad_input.py runs."""
    from .test_bad_input import TABLE

    text = README.read_text(encoding="utf-8")
    shown = set(re.findall(r"`(test_bad_input\.py::test_bad_input\[[^\]]+\])`", text))
    assert shown == {test for _, _, test in TABLE()}
    section = text.split("## Bad input, safety and concurrency", 1)[1].split("\n## ", 1)[0]
    for module, name in re.findall(r"`(test_\w+\.py)::(test_\w+)`", section):
        source = (README.parent / "tests" / module).read_text(encoding="utf-8")
        assert f"def {name}(" in source, (module, name)
