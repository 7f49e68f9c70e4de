"""The ontology's competency questions: each .rq file gives the answer its .expected.json states."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from rdflib import URIRef

import genai_graph

QUESTIONS = Path(__file__).resolve().parents[1] / "ontology" / "competency-questions"
FILES = sorted(QUESTIONS.glob("*.rq"))
ALLOWED_PREFIXES = {"rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "genai"}


def _expected(rq: Path) -> dict[str, Any]:
    """Return the expected answer stored next to a query."""
    data: dict[str, Any] = json.loads(
        rq.with_name(rq.stem + ".expected.json").read_text(encoding="utf-8")
    )
    return data


def _term(kg: genai_graph.KnowledgeGraph, value: object) -> str | None:
    """Return an answer value as the expected files write it: a CURIE (or IRI) or a string."""
    if value is None:
        return None
    if isinstance(value, URIRef):
        return kg._names().curie(str(value))
    return str(value)


def test_there_are_enough_questions() -> None:
    """At least 30 competency questions ship, each with an expected answer."""
    assert len(FILES) >= 30
    for rq in FILES:
        assert rq.with_name(rq.stem + ".expected.json").is_file(), rq.name


@pytest.mark.parametrize("rq", FILES, ids=[f.stem for f in FILES])
def test_question_is_well_formed(rq: Path) -> None:
    """A question file names itself NN-short-name, states its question and uses only known prefixes."""
    assert re.fullmatch(r"\d{2}-[a-z0-9]+(-[a-z0-9]+)*", rq.stem), rq.stem
    text = rq.read_text(encoding="utf-8")
    assert re.search(r"^# Q: \S.*\?$", text, flags=re.MULTILINE), "needs a '# Q: ...?' line"
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    used = set(re.findall(r"(?<![\w:/<])([A-Za-z][\w-]*):[A-Za-z_]", body))
    assert used <= ALLOWED_PREFIXES, used - ALLOWED_PREFIXES


@pytest.mark.parametrize("rq", FILES, ids=[f.stem for f in FILES])
def test_question_gets_the_expected_answer(kg: genai_graph.KnowledgeGraph, rq: Path) -> None:
    """Run in told mode over the bundled ontology, the query returns the expected answer."""
    text = rq.read_text(encoding="utf-8")
    expected = _expected(rq)
    result = kg.query(text)
    if "ask" in expected:
        assert result is expected["ask"]
        return
    assert not isinstance(result, bool)
    assert list(result.vars) == expected["vars"]
    rows = [[_term(kg, value) for value in row] for row in result]
    want = [list(row) for row in expected["rows"]]
    if re.search(r"\bORDER\s+BY\b", text, flags=re.IGNORECASE):
        assert rows == want
    else:
        assert Counter(map(tuple, rows)) == Counter(map(tuple, want))
