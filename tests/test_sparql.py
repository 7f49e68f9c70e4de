"""SPARQL through kg.query: prefixes, result shapes, and what a read query may not do."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import Graph, URIRef

import genai_graph
from genai_graph import QueryError, SelectResult


def test_prefixes_are_prebound(kg: genai_graph.KnowledgeGraph) -> None:
    """The foundation's example query runs with no PREFIX lines."""
    rows = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }")
    assert isinstance(rows, SelectResult)
    assert int(rows[0].n) == int(rows[0]["n"]) == int(rows[0][0]) > 50


def test_user_prefix_overrides(kg: genai_graph.KnowledgeGraph) -> None:
    """A PREFIX in the query wins over the pre-bound one."""
    q = "PREFIX genai: <http://example.org/other#> ASK { genai:LargeLanguageModel ?p ?o }"
    assert kg.query(q) is False
    assert kg.query("ASK { genai:LargeLanguageModel ?p ?o }") is True


def test_select_result_conversions(kg: genai_graph.KnowledgeGraph) -> None:
    """SELECT rows convert to dicts, CSV, SPARQL JSON and a text table."""
    rows = kg.query(
        "SELECT ?c ?label WHERE { ?c rdfs:subClassOf genai:GenerativeAI ; rdfs:label ?label } ORDER BY ?label"
    )
    assert isinstance(rows, SelectResult)
    assert rows.vars == ("c", "label")
    dicts = rows.to_dicts()
    assert {str(d["label"]) for d in dicts} >= {"Large Language Model", "Image Generation Model"}
    parsed = json.loads(rows.to_json())
    assert parsed["head"]["vars"] == ["c", "label"]
    first = parsed["results"]["bindings"][0]
    assert first["c"]["type"] == "uri" and first["label"]["type"] == "literal"
    table = list(csv.reader(io.StringIO(rows.to_csv())))
    assert table[0] == ["c", "label"] and len(table) == len(rows) + 1
    text = rows.to_table()
    assert "genai:LargeLanguageModel" in text and "Large Language Model" in text


def test_construct_returns_a_graph(kg: genai_graph.KnowledgeGraph) -> None:
    """CONSTRUCT gives an rdflib Graph."""
    out = kg.query(
        "CONSTRUCT { ?c rdfs:subClassOf genai:GenerativeAI } WHERE { ?c rdfs:subClassOf genai:GenerativeAI }"
    )
    assert isinstance(out, Graph)
    assert (
        genai_graph.GENAI.LargeLanguageModel,
        URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
        genai_graph.GENAI.GenerativeAI,
    ) in out


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { genai:X a owl:Class }",
        "DELETE WHERE { ?s ?p ?o }",
        "DROP ALL",
        "LOAD <http://example.org/data.ttl>",
        "CLEAR DEFAULT",
    ],
)
def test_updates_are_refused(kg: genai_graph.KnowledgeGraph, update: str) -> None:
    """query() is read-only: an update is refused and the graph is unchanged."""
    before = len(kg)
    with pytest.raises(QueryError, match="read-only"):
        kg.query(update)
    assert len(kg) == before


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://example.org/sparql> { ?s ?p ?o } } }",
        "SELECT * WHERE { { SELECT ?s WHERE { SERVICE SILENT <http://e/> { ?s ?p ?o } } } }",
    ],
)
def test_service_is_refused(kg: genai_graph.KnowledgeGraph, text: str) -> None:
    """SERVICE, even nested in a subquery or FILTER EXISTS, would reach the network: refused."""
    with pytest.raises(QueryError, match="SERVICE"):
        kg.query(text)


def test_from_is_refused(kg: genai_graph.KnowledgeGraph) -> None:
    """FROM would make rdflib download a graph: refused."""
    with pytest.raises(QueryError, match="FROM"):
        kg.query("SELECT * FROM <http://example.org/g.ttl> WHERE { ?s ?p ?o }")


def test_syntax_error_position(kg: genai_graph.KnowledgeGraph) -> None:
    """A syntax error names the line, the column and what was found there."""
    with pytest.raises(QueryError) as caught:
        kg.query("SELECT ?x WHERE {\n  ?x a owl:Class .\n  FILTER( }")
    err = caught.value
    assert (err.line, err.column) == (3, 3)
    assert "line 3, column 3" in str(err) and "FILTER" in str(err)


def test_undeclared_prefix(kg: genai_graph.KnowledgeGraph) -> None:
    """An unknown prefix is a QueryError, not a crash."""
    with pytest.raises(QueryError):
        kg.query("SELECT * WHERE { ?s nope:p ?o }")


def test_non_string_query(kg: genai_graph.KnowledgeGraph) -> None:
    """A query must be text."""
    with pytest.raises(QueryError):
        kg.query(b"ASK {}")  # type: ignore[arg-type]
