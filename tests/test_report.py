"""The quality report: each check finds its problem, the bundled ontology is clean, every format works."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

import genai_graph
from genai_graph.cli import main

from .conftest import DATA

BAD = DATA / "bad.ttl"


@pytest.fixture(scope="module")
def findings() -> set[tuple[str, str, str]]:
    """(level, check, term) of every finding on tests/data/bad.ttl."""
    kg = genai_graph.load(BAD, bundled=False)
    return {(f.level, f.check, f.term) for f in kg.report()}


@pytest.mark.parametrize(
    ("level", "check", "term"),
    [
        ("ERROR", "subclass-cycle", "ex:Loop1"),
        ("ERROR", "subclass-cycle", "ex:Loop2"),
        ("ERROR", "unsatisfiable-class", "ex:CatDog"),
        ("ERROR", "individual-in-disjoint-classes", "ex:felix"),
        ("ERROR", "missing-label", "ex:Unlabelled"),
        ("ERROR", "duplicate-label", "ex:Twin1"),
        ("ERROR", "duplicate-label", "ex:Twin2"),
        ("WARN", "multiple-labels", "ex:Twice"),
        ("WARN", "missing-definition", "ex:Undefined"),
        ("WARN", "duplicate-definition", "ex:Copy1"),
        ("WARN", "dangling-reference", "ex:Missing"),
        ("WARN", "deprecated-in-use", "ex:Old"),
        ("WARN", "label-whitespace", "ex:Spaced"),
        ("WARN", "orphan-class", "ex:Alone"),
        ("INFO", "many-parents", "ex:Many"),
    ],
)
def test_each_check_finds_its_problem(
    findings: set[tuple[str, str, str]], level: str, check: str, term: str
) -> None:
    """The crafted ontology trips each check on the term made for it."""
    assert (level, check, term) in findings


def test_no_false_alarms(findings: set[tuple[str, str, str]]) -> None:
    """Stated equivalence chains are not cycles; roots with children are not orphans; labelled terms are fine."""
    flagged = {term for _, _, term in findings}
    assert not {"ex:Same1", "ex:Same2", "ex:Same3", "ex:Root", "ex:Cat"} & flagged
    assert not {"ex:Poison", "ex:Present"} & flagged  # "Gift"@de and "Gift"@en differ
    assert (
        "WARN",
        "missing-definition",
        "ex:felix",
    ) not in findings  # individuals need no definition


def test_bundled_ontology_is_clean(kg: genai_graph.KnowledgeGraph) -> None:
    """Our own ontology has no ERROR and no WARN."""
    report = kg.report()
    assert [f for f in report if f.level != "INFO"] == []


def test_formats() -> None:
    """The report converts to TSV, JSON and HTML with the same findings."""
    report = genai_graph.load(BAD, bundled=False).report()
    rows = list(csv.reader(io.StringIO(report.to_tsv()), delimiter="\t"))
    assert rows[0] == ["level", "check", "term", "message", "hint"] and len(rows) == len(report) + 1
    data = json.loads(report.to_json())
    assert data["summary"]["ERROR"] == report.errors and len(data["findings"]) == len(report)
    assert report.to_html().count("<tr class=") == len(report)
    assert "subclass-cycle" in report.to_table()


def test_html_escapes_hostile_labels(tmp_path: Path) -> None:
    """A label holding markup appears as text in the HTML report."""
    path = tmp_path / "hostile.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<http://e/A> a owl:Class ; rdfs:label " <img src=x onerror=alert(1)> " .\n',
        encoding="utf-8",
    )
    report = genai_graph.load(path, bundled=False).report()
    for page in (report.to_html(), report._repr_html_()):
        assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "<style" not in report._repr_html_()  # a notebook's own styles stay as they are


def test_cli_report_exit_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`genai-graph report FILE` checks that file alone and exits 1 on an ERROR, 0 when clean."""
    assert main(["report", str(BAD)]) == 1
    assert "subclass-cycle" in capsys.readouterr().out
    assert main(["report"]) == 0
    out = tmp_path / "report.json"
    assert main(["report", str(BAD), "--format", "json", "-o", str(out)]) == 1
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]["ERROR"] >= 7
