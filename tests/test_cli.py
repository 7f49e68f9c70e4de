"""The genai-graph command: in-process through main(), and as the installed console script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from genai_graph.cli import main

from .conftest import MINI, external_references, require


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the command line in-process; return exit status, stdout and stderr."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_is_a_yes(capsys: pytest.CaptureFixture[str]) -> None:
    """is-a prints the chain naming both concepts and exits 0."""
    code, out, _ = run(["is-a", "LLM", "Generative AI"], capsys)
    assert code == 0
    assert out.startswith("yes:")
    assert "Large Language Model" in out and "Generative AI" in out and "rdfs:subClassOf" in out


def test_is_a_no(capsys: pytest.CaptureFixture[str]) -> None:
    """is-a exits 1 when the answer is no."""
    code, out, _ = run(["is-a", "Generative AI", "LLM"], capsys)
    assert code == 1
    assert out.startswith("no:")


def test_is_a_unknown_name(capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt name exits 2 with a suggestion on stderr."""
    code, out, err = run(["is-a", "Large Langauge Modle", "Generative AI"], capsys)
    assert code == 2
    assert out == ""
    assert "Large Language Model" in err and err.startswith("genai-graph: error:")


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    """explain prints one line per statement."""
    code, out, _ = run(["explain", "GPT-4", "Generative AI"], capsys)
    assert code == 0
    assert out.count("-->") == 2


def test_ancestors_json(capsys: pytest.CaptureFixture[str]) -> None:
    """ancestors --format json lists IRIs, CURIEs and labels."""
    code, out, _ = run(["ancestors", "LLM", "--format", "json"], capsys)
    assert code == 0
    labels = {row["label"] for row in json.loads(out)}
    assert "Generative AI" in labels and "Large Language Model" not in labels


def test_descendants_text(capsys: pytest.CaptureFixture[str]) -> None:
    """descendants prints label and CURIE per line."""
    code, out, _ = run(["descendants", "Image Generation Model"], capsys)
    assert code == 0
    assert "genai:TextToImageModel" in out


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_query_formats(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    """query prints SELECT results as a table, CSV or SPARQL JSON."""
    q = "SELECT ?c WHERE { ?c rdfs:subClassOf genai:LargeLanguageModel }"
    code, out, _ = run(["query", q, "--format", fmt], capsys)
    assert code == 0
    assert "GenerativePretrainedTransformer" in out
    if fmt == "json":
        assert json.loads(out)["head"]["vars"] == ["c"]


def test_query_from_file_and_ask(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """query --file reads the query; ASK prints true/false and exits 0/1."""
    path = tmp_path / "q.rq"
    path.write_text(
        "ASK { genai:GenerativeAI rdfs:subClassOf genai:LargeLanguageModel }", encoding="utf-8"
    )
    code, out, _ = run(["query", "--file", str(path)], capsys)
    assert (code, out.strip()) == (1, "false")


def test_query_update_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """An update through query exits 2 with a message."""
    code, _, err = run(["query", "DROP ALL"], capsys)
    assert code == 2 and "read-only" in err


def test_user_ontology(capsys: pytest.CaptureFixture[str]) -> None:
    """--ontology adds a user's file; --no-bundled leaves ours out."""
    code, out, _ = run(["is-a", "Delta", "Top", "--ontology", str(MINI), "--no-bundled"], capsys)
    assert code == 0 and "Delta" in out
    code, _, err = run(["is-a", "LLM", "Top", "--ontology", str(MINI), "--no-bundled"], capsys)
    assert code == 2 and "unknown name 'LLM'" in err


def test_bad_ontology_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A malformed user file exits 2 with file:line in the message and no traceback."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b .\n", encoding="utf-8")
    code, _, err = run(["info", "--ontology", str(bad)], capsys)
    assert code == 2
    assert "bad.ttl:2" in err and "Traceback" not in err


def test_viz_writes_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """viz writes an offline page naming Large Language Model."""
    out_file = tmp_path / "out.html"
    code, out, _ = run(["viz", "-o", str(out_file)], capsys)
    assert code == 0 and str(out_file) in out
    page = out_file.read_text(encoding="utf-8")
    assert "Large Language Model" in page
    assert external_references(page) == []


def test_viz_focus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """viz --focus --depth draws a neighbourhood; --depth alone is an error."""
    code, _, _ = run(
        ["viz", "-o", str(tmp_path / "f.html"), "--focus", "LLM", "--depth", "1"], capsys
    )
    assert code == 0
    code, _, err = run(["viz", "-o", str(tmp_path / "g.html"), "--depth", "1"], capsys)
    assert code == 2 and "--focus" in err


def test_viz_unwritable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Writing into a missing directory exits 2 and leaves nothing behind."""
    code, _, err = run(["viz", "-o", str(tmp_path / "missing" / "x.html")], capsys)
    assert code == 2 and "cannot write" in err
    assert list(tmp_path.iterdir()) == []


def test_info(capsys: pytest.CaptureFixture[str]) -> None:
    """info prints the counts."""
    code, out, _ = run(["info"], capsys)
    assert code == 0 and "classes" in out and "triples" in out


@pytest.mark.parametrize("argv", [[], ["nope"], ["is-a", "LLM"], ["viz"], ["query"]])
def test_bad_arguments(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    """Wrong arguments exit 2 with usage, as argparse does."""
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage:" in capsys.readouterr().err


@pytest.mark.parametrize(
    "command", ["is-a", "explain", "ancestors", "descendants", "query", "viz", "info"]
)
def test_help_on_every_command(capsys: pytest.CaptureFixture[str], command: str) -> None:
    """--help works on every command."""
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    assert "--ontology" in capsys.readouterr().out


# -- the installed console script, as a user runs it ----------------------------------


def script() -> str:
    """Return the path of the installed console script (skip or fail if missing)."""
    return require(
        "the genai-graph console script", str(Path(sys.executable).parent / "genai-graph")
    )


@pytest.mark.parametrize(
    ("argv", "code", "needle"),
    [
        (["is-a", "LLM", "Generative AI"], 0, "Large Language Model"),
        (["is-a", "Generative AI", "LLM"], 1, "no:"),
        (["is-a", "Large Langauge Modle", "Generative AI"], 2, "Large Language Model"),
    ],
)
def test_console_script(argv: list[str], code: int, needle: str) -> None:
    """The installed command gives the foundation's three answers, without tracebacks."""
    done = subprocess.run(
        [script(), *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == code
    assert needle in done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_python_dash_m() -> None:
    """python -m genai_graph runs the same command line."""
    done = subprocess.run(
        [sys.executable, "-m", "genai_graph", "is-a", "GPT-4", "LLM"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_viz_levels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--levels opens the page at the top levels; a negative count is a one-line error."""
    out = tmp_path / "top.html"
    code, _, _ = run(["viz", "-o", str(out), "--levels", "2"], capsys)
    data = re.search(
        r'<script type="application/json" id="graph-data">(.*?)</script>', out.read_text(), re.S
    )
    assert code == 0 and data is not None and json.loads(data.group(1))["layout"]["levels"] == 2
    code, _, err = run(["viz", "-o", str(out), "--levels", "-1"], capsys)
    assert code == 2 and "Traceback" not in err
