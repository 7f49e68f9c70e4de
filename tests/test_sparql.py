"""SPARQL through kg.query: prefixes, result shapes, and what a read query may not do."""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import sys
import threading
import time
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

import pytest
from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.namespace import RDFS, XSD
from rdflib.query import Result

import genai_graph
from genai_graph import MissingExtraError, QueryError, QueryTimeoutError, SelectResult, _store


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
    """SERVICE, even nested in a subquery or FILTER EXISTS, would reach the network: refused.

    The refusal names the option that allows it.
    """
    with pytest.raises(QueryError, match="SERVICE") as caught:
        kg.query(text)
    assert "allow_service=True" in str(caught.value)


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


# -- user PREFIX -------------------------------------------------------------------


def test_user_prefix_overrides_a_standard_prefix(kg: genai_graph.KnowledgeGraph) -> None:
    """Redefining a pre-bound standard prefix (rdfs:) changes what the query means."""
    q = "ASK { genai:LargeLanguageModel rdfs:subClassOf genai:GenerativeAI }"
    assert kg.query(q) is True
    assert kg.query("PREFIX rdfs: <http://example.org/not-rdfs#> " + q) is False


# -- bindings ------------------------------------------------------------------------

GPT4 = genai_graph.GENAI.GPT4
LABEL_OF_M = "SELECT ?label WHERE { ?m rdfs:label ?label }"


@pytest.mark.parametrize(
    "value",
    [
        GPT4,
        "concept:GPT-4",  # a label, through kg.concept
        "concept:genai:GPT4",  # a CURIE
        "concept:<https://w3id.org/genai-graph/ontology#GPT4>",  # an IRI in angle brackets
    ],
)
def test_bind_a_resource(kg: genai_graph.KnowledgeGraph, value: object) -> None:
    """A URIRef or a Concept (from any name the graph resolves) binds the resource."""
    if isinstance(value, str):
        value = kg.concept(value.removeprefix("concept:"))
    rows = kg.query(LABEL_OF_M, bindings={"m": value})
    assert isinstance(rows, SelectResult)
    assert [row.label for row in rows] == [Literal("GPT-4", lang="en")]


def test_bind_with_question_mark(kg: genai_graph.KnowledgeGraph) -> None:
    """A binding's name may be written with ? or $."""
    for name in ("?m", "$m"):
        rows = kg.query(LABEL_OF_M, bindings={name: GPT4})
        assert isinstance(rows, SelectResult) and len(rows) == 1


def test_a_str_is_a_literal_never_a_name(kg: genai_graph.KnowledgeGraph) -> None:
    """A str binds a plain literal: "GPT-4" is not the resource, and not the @en label either."""
    none = kg.query(LABEL_OF_M, bindings={"m": "GPT-4"})
    assert isinstance(none, SelectResult) and len(none) == 0
    assert kg.query("ASK { ?m rdfs:label ?name }", bindings={"name": "GPT-4"}) is False
    assert kg.query("ASK { ?m rdfs:label ?name }", bindings={"name": Literal("GPT-4", lang="en")})
    q = "SELECT ?m WHERE { ?m rdfs:label ?label FILTER(STR(?label) = ?text) }"
    rows = kg.query(q, bindings={"text": "GPT-4"})
    assert isinstance(rows, SelectResult) and [row.m for row in rows] == [GPT4]


@pytest.mark.parametrize(
    ("value", "datatype"),
    [
        ("text", XSD.string),
        (42, XSD.integer),
        (1.5, XSD.double),
        (decimal.Decimal("1.5"), XSD.decimal),
        (True, XSD.boolean),
        (datetime.date(2023, 3, 14), XSD.date),
        (datetime.datetime(2023, 3, 14, 12, 30), XSD.dateTime),
        (datetime.time(12, 30), XSD.time),
    ],
)
def test_python_values_become_typed_literals(
    kg: genai_graph.KnowledgeGraph, value: object, datatype: URIRef
) -> None:
    """Python scalars bind literals of the matching XSD datatype."""
    rows = kg.query("SELECT (DATATYPE(?v) AS ?t) ?v WHERE {}", bindings={"v": value})
    assert isinstance(rows, SelectResult) and len(rows) == 1
    assert rows[0].t == datatype
    assert rows[0].v == Literal(value)


def test_typed_bindings_match_data(kg: genai_graph.KnowledgeGraph) -> None:
    """An int matches xsd:integer data and a bool matches xsd:boolean data."""
    released = kg.query("SELECT ?m WHERE { ?m genai:releaseYear ?year }", bindings={"year": 2023})
    assert isinstance(released, SelectResult) and GPT4 in [row.m for row in released]
    closed = kg.query("SELECT ?m WHERE { ?m genai:openWeights ?open }", bindings={"open": False})
    opened = kg.query("SELECT ?m WHERE { ?m genai:openWeights ?open }", bindings={"open": True})
    assert isinstance(closed, SelectResult) and isinstance(opened, SelectResult)
    assert GPT4 in [row.m for row in closed] and GPT4 not in [row.m for row in opened]


HOSTILE = [
    "> } ; DROP ALL ; #",
    '" } ; DELETE WHERE { ?s ?p ?o } #',
    "' } ; DELETE WHERE { ?s ?p ?o } #",
    '"""\n} INSERT DATA { <x:a> <x:b> <x:c> } #',
    "}\nDROP ALL\n#",
    "<http://example.org/evil> } UNION { ?m ?p ?o",
    "\\u0022 } ; CLEAR DEFAULT ; #",
    '"@en ; <',
    "\r\n}\t;\x00",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_binding_is_data(kg: genai_graph.KnowledgeGraph, text: str) -> None:
    """A binding that looks like SPARQL is a literal of exactly that text; the graph is unchanged."""
    before = len(kg)
    assert kg.query("ASK { ?m rdfs:label ?name }", bindings={"name": text}) is False
    rows = kg.query("SELECT (STR(?v) AS ?s) (STRLEN(?v) AS ?n) WHERE {}", bindings={"v": text})
    assert isinstance(rows, SelectResult) and len(rows) == 1
    assert str(rows[0].s) == text and int(rows[0].n) == len(text)
    assert len(kg) == before


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_binding_finds_exactly_its_literal(text: str) -> None:
    """A label holding the hostile text is found by binding that text, and only it."""
    g = genai_graph.load(bundled=False)
    g.graph.add((URIRef("http://example.org/evil"), RDFS.label, Literal(text)))
    g.graph.add((URIRef("http://example.org/other"), RDFS.label, Literal(text + " ")))
    rows = g.query("SELECT ?s WHERE { ?s rdfs:label ?name }", bindings={"name": text})
    assert isinstance(rows, SelectResult)
    assert [row.s for row in rows] == [URIRef("http://example.org/evil")]
    assert g.update(
        "INSERT { <http://example.org/copy> rdfs:label ?name } WHERE {}", bindings={"name": text}
    ) == (1, 0)
    assert (URIRef("http://example.org/copy"), RDFS.label, Literal(text)) in g.graph
    assert len(g) == 3


def test_unknown_binding_is_an_error(kg: genai_graph.KnowledgeGraph) -> None:
    """Binding a variable the query does not mention is an error that lists the query's variables."""
    with pytest.raises(QueryError, match=r"\?nope.*does not use.*\?label, \?m"):
        kg.query(LABEL_OF_M, bindings={"nope": GPT4})
    with pytest.raises(QueryError, match="no variables"):
        kg.query("ASK { genai:GPT4 a owl:NamedIndividual }", bindings={"m": GPT4})


@pytest.mark.parametrize(
    "bindings",
    [
        {"m": None},
        {"m": [GPT4]},
        {"m": object()},
        {"m": b"GPT-4"},
        {"m": Variable("x")},
        {1: GPT4},
        {"m": GPT4, "?m": GPT4},
        [("m", GPT4)],
    ],
)
def test_bad_bindings(kg: genai_graph.KnowledgeGraph, bindings: Any) -> None:
    """Values that are no RDF term, names that are no strings, duplicates: clear errors."""
    with pytest.raises(QueryError):
        kg.query(LABEL_OF_M, bindings=bindings)


# -- result shapes -------------------------------------------------------------------


def test_ask_and_describe(kg: genai_graph.KnowledgeGraph) -> None:
    """ASK gives a bool, DESCRIBE an rdflib Graph."""
    assert kg.query("ASK { genai:GPT4 a genai:LargeLanguageModel }") is True
    described = kg.query("DESCRIBE genai:GPT4")
    assert isinstance(described, Graph)
    assert (GPT4, RDFS.label, Literal("GPT-4", lang="en")) in described


def test_entailed_query_sees_inferred_triples(kg: genai_graph.KnowledgeGraph) -> None:
    """With an entailment, queries see asserted and inferred triples, kept in two named graphs."""
    q = "ASK { genai:GPT4 a genai:GenerativeAI }"
    assert kg.query(q) is False
    assert kg.query(q, entailment="rdfs") is True
    in_graph = "ASK { GRAPH <urn:genai-graph:%s> { genai:GPT4 a genai:GenerativeAI } }"
    assert kg.query(in_graph % "inferred", entailment="el") is True
    assert kg.query(in_graph % "asserted", entailment="el") is False


def test_graph_without_named_graphs(kg: genai_graph.KnowledgeGraph) -> None:
    """GRAPH on the told graph is a clear error that says where the named graphs are."""
    with pytest.raises(QueryError, match="urn:genai-graph:inferred"):
        kg.query("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }")


def test_empty_solutions_are_rows(kg: genai_graph.KnowledgeGraph) -> None:
    """A solution with nothing bound is still a row (rdflib's own iterator drops it)."""
    rows = kg.query("SELECT * WHERE {}")
    assert isinstance(rows, SelectResult) and len(rows) == 1
    rows = kg.query("SELECT ?x WHERE { OPTIONAL { genai:Nothing rdfs:label ?x } }")
    assert isinstance(rows, SelectResult) and len(rows) == 1 and rows[0].x is None
    assert json.loads(rows.to_json())["results"]["bindings"] == [{}]


def test_max_rows(kg: genai_graph.KnowledgeGraph) -> None:
    """max_rows keeps the first rows and says when it cut the answer off."""
    q = "SELECT ?c WHERE { ?c a owl:Class } ORDER BY ?c"
    everything = kg.query(q)
    cut = kg.query(q, max_rows=5)
    assert isinstance(everything, SelectResult) and isinstance(cut, SelectResult)
    assert list(cut) == list(everything)[:5] and cut.truncated and not everything.truncated
    whole = kg.query(q, max_rows=len(everything))
    assert isinstance(whole, SelectResult)
    assert len(whole) == len(everything) and not whole.truncated
    none = kg.query(q, max_rows=0)
    assert isinstance(none, SelectResult) and len(none) == 0 and none.truncated
    assert "truncated" in repr(cut)
    for bad in (-1, 1.5, True, "5"):
        with pytest.raises(QueryError, match="max_rows"):
            kg.query(q, max_rows=bad)  # type: ignore[arg-type]


# -- result formats ------------------------------------------------------------------

EX = "http://example.org/t#"
TRICKY = [
    'quotes " and \\ backslash',
    "tab\tnew\nline\rreturn",
    "markup <b>&amp;</b> ]]> <img src=x onerror=alert(1)>",
    "unicode: Grüße, 東京, emoji 🦜, line separators \u2028 \u0085",
    ", comma; semi",
    "  spaces around  ",
]


def _tricky() -> SelectResult:
    """Return a SELECT answer with every kind of term, unbound cells and hostile text."""
    g = genai_graph.load(bundled=False)
    add = g.graph.add
    node = BNode("b0")
    for i, text in enumerate(TRICKY):
        add((URIRef(f"{EX}s{i}"), URIRef(f"{EX}text"), Literal(text)))
    add((URIRef(f"{EX}s0"), URIRef(f"{EX}lang"), Literal("chat", lang="en-GB")))
    add((URIRef(f"{EX}s1"), URIRef(f"{EX}typed"), Literal(42)))
    add((URIRef(f"{EX}s2"), URIRef(f"{EX}typed"), Literal(datetime.date(2023, 3, 14))))
    add((URIRef(f"{EX}s3"), URIRef(f"{EX}typed"), Literal("false", datatype=XSD.boolean)))
    add((URIRef(f"{EX}s4"), URIRef(f"{EX}typed"), Literal("x", datatype=XSD.string)))
    add((URIRef(f"{EX}s5"), URIRef(f"{EX}node"), node))
    add((URIRef(f"{EX}s5"), URIRef(f"{EX}iri"), URIRef("http://example.org/a?b=1&c=%3C2%3E")))
    rows = g.query(
        f"""PREFIX t: <{EX}>
        SELECT ?s ?text ?lang ?typed ?node ?iri WHERE {{
          ?s t:text ?text
          OPTIONAL {{ ?s t:lang ?lang }} OPTIONAL {{ ?s t:typed ?typed }}
          OPTIONAL {{ ?s t:node ?node }} OPTIONAL {{ ?s t:iri ?iri }}
        }} ORDER BY ?s"""
    )
    assert isinstance(rows, SelectResult) and len(rows) == len(TRICKY)
    return rows


def _parse_result(text: str, fmt: str) -> Result:
    """Read a result document with rdflib's parser for `fmt`.

    TSV goes in as text: given bytes, rdflib's TSV reader decodes with a codecs
    StreamReader, whose readline() also ends lines at U+2028, U+0085 and the
    other Unicode line separators, which the TSV format lets strings hold raw.
    """
    if fmt == "tsv":
        return Result.parse(io.StringIO(text), format=fmt)
    return Result.parse(io.BytesIO(text.encode("utf-8")), format=fmt)


def _solutions(result: Result) -> list[dict[str, object]]:
    return [{str(k): v for k, v in b.items()} for b in result.bindings]


@pytest.mark.parametrize("fmt", ["json", "xml", "tsv"])
def test_round_trip_through_rdflib_parsers(fmt: str) -> None:
    """JSON, XML and TSV results parse back with rdflib's readers to the very same terms."""
    rows = _tricky()
    text = {"json": rows.to_json, "xml": rows.to_xml, "tsv": rows.to_tsv}[fmt]()
    parsed = _parse_result(text, fmt)
    assert [str(v) for v in parsed.vars or ()] == list(rows.vars)
    assert _solutions(parsed) == rows.to_dicts()


def test_round_trip_csv() -> None:
    """CSV keeps the text of every value (the format drops datatypes and languages)."""
    rows = _tricky()
    parsed = Result.parse(io.BytesIO(rows.to_csv().encode("utf-8")), format="csv")
    assert [str(v) for v in parsed.vars or ()] == list(rows.vars)
    expected = [
        {k: (f"_:{v}" if isinstance(v, BNode) else str(v)) for k, v in d.items()}
        for d in rows.to_dicts()
    ]
    got = [  # rdflib's CSV reader keeps the "_:" in the blank node's label
        {
            k: str(v) if str(v).startswith("_:") else f"_:{v}" if isinstance(v, BNode) else str(v)
            for k, v in d.items()
        }
        for d in _solutions(parsed)
    ]
    assert got == expected
    assert rows.to_csv().startswith("s,text,lang,typed,node,iri\r\n")


def test_json_follows_the_spec(kg: genai_graph.KnowledgeGraph) -> None:
    """SPARQL 1.1 JSON: uri, literal with xml:lang or datatype, bnode; unbound omitted."""
    rows = kg.query(
        """SELECT ?m ?label ?year ?r ?none WHERE {
             BIND(genai:GPT4 AS ?m) ?m rdfs:label ?label ; genai:releaseYear ?year .
             genai:LargeLanguageModel rdfs:subClassOf ?r FILTER(isBlank(?r))
             OPTIONAL { ?m genai:noSuchProperty ?none }
           } LIMIT 1"""
    )
    assert isinstance(rows, SelectResult)
    doc = json.loads(rows.to_json())
    assert doc["head"]["vars"] == ["m", "label", "year", "r", "none"]
    (row,) = doc["results"]["bindings"]
    assert row["m"] == {"type": "uri", "value": str(GPT4)}
    assert row["label"] == {"type": "literal", "value": "GPT-4", "xml:lang": "en"}
    assert row["year"] == {"type": "literal", "value": "2023", "datatype": str(XSD.integer)}
    assert row["r"]["type"] == "bnode" and not row["r"]["value"].startswith("_:")
    assert "none" not in row


def test_tsv_follows_the_spec() -> None:
    """SPARQL 1.1 TSV: ?-prefixed header, N-Triples terms, escapes instead of raw tabs/newlines."""
    rows = _tricky()
    lines = rows.to_tsv().split("\n")
    assert lines[0] == "?s\t?text\t?lang\t?typed\t?node\t?iri"
    assert lines[-1] == "" and len(lines) == len(rows) + 2
    assert all(line.count("\t") == 5 for line in lines[:-1])
    assert lines[1].split("\t")[:3] == [
        f"<{EX}s0>",
        '"quotes \\" and \\\\ backslash"',
        '"chat"@en-GB',
    ]
    assert '"tab\\tnew\\nline\\rreturn"' in lines[2]
    assert f'"42"^^<{XSD.integer}>' in lines[2]
    assert "_:b0" in lines[6] and "<http://example.org/a?b=1&c=%3C2%3E>" in lines[6]


def test_tsv_escapes_what_an_iri_may_not_hold(caplog: pytest.LogCaptureFixture) -> None:
    """An IRI rdflib accepted with spaces or brackets is written with Turtle UCHAR escapes."""
    g = genai_graph.load(bundled=False)
    odd = URIRef("http://example.org/a b<c>")  # rdflib logs that it looks invalid
    g.graph.add((odd, RDFS.label, Literal("odd")))
    rows = g.query("SELECT ?s WHERE { ?s rdfs:label ?l }")
    assert isinstance(rows, SelectResult)
    assert rows.to_tsv() == "?s\n<http://example.org/a\\u0020b\\u003Cc\\u003E>\n"
    for fmt, text in (("json", rows.to_json()), ("xml", rows.to_xml())):
        assert _solutions(Result.parse(io.BytesIO(text.encode()), format=fmt)) == [{"s": odd}]


def test_xml_follows_the_spec() -> None:
    """SPARQL XML results: the namespace, head variables, typed bindings, escaped text."""
    rows = _tricky()
    xml = rows.to_xml()
    assert "<img" not in xml and "&lt;img src=x onerror=alert(1)&gt;" in xml
    root = ElementTree.fromstring(xml.encode("utf-8"))
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert root.tag == "{http://www.w3.org/2005/sparql-results#}sparql"
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == list(rows.vars)
    results = root.findall("r:results/r:result", ns)
    assert len(results) == len(rows)
    lang = results[0].find("r:binding[@name='lang']/r:literal", ns)
    assert lang is not None and lang.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    typed = results[1].find("r:binding[@name='typed']/r:literal", ns)
    assert typed is not None and typed.get("datatype") == str(XSD.integer) and typed.text == "42"
    text = results[1].find("r:binding[@name='text']/r:literal", ns)
    assert text is not None and text.text == TRICKY[1]  # \r survives XML line-end normalization
    assert results[0].find("r:binding[@name='node']", ns) is None  # unbound: no binding element


def test_xml_refuses_what_it_cannot_carry() -> None:
    """A control character XML 1.0 cannot represent is a clear error; JSON and TSV carry it."""
    g = genai_graph.load(bundled=False)
    g.graph.add((URIRef(f"{EX}s"), RDFS.label, Literal("bell\x07 vt\x0b rs\x1e")))
    rows = g.query("SELECT ?label WHERE { ?s rdfs:label ?label }")
    assert isinstance(rows, SelectResult)
    with pytest.raises(QueryError, match=r"U\+0007.*JSON"):
        rows.to_xml()
    for fmt, text in (("json", rows.to_json()), ("tsv", rows.to_tsv())):
        parsed = _parse_result(text, fmt)
        assert _solutions(parsed) == [{"label": Literal("bell\x07 vt\x0b rs\x1e")}]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_table_escapes_everything() -> None:
    """The notebook table escapes hostile values: only table markup comes out, the text intact."""
    rows = _tricky()
    page = rows._repr_html_()
    parser = _Tags()
    parser.feed(page)
    assert parser.tags == {"table", "thead", "tr", "th", "tbody", "td", "p"}
    assert parser.attrs <= {"class", "title"}
    assert "<img src=x onerror=alert(1)>" in "".join(parser.text)
    assert "?text" in "".join(parser.text) and f"{len(rows)} rows" in page


def test_html_table_is_cut_for_long_answers(kg: genai_graph.KnowledgeGraph) -> None:
    """A long answer shows its first 200 rows and says how many more there are."""
    rows = kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 250")
    assert isinstance(rows, SelectResult)
    page = rows._repr_html_()
    assert page.count("<tr>") == 201 and "50 more rows not shown" in page


def test_to_dataframe(kg: genai_graph.KnowledgeGraph) -> None:
    """A DataFrame with one column per variable; literals as Python values unless terms=True."""
    rows = kg.query(
        "SELECT ?m ?year ?open WHERE { ?m genai:releaseYear ?year ; genai:openWeights ?open } ORDER BY ?m"
    )
    assert isinstance(rows, SelectResult) and len(rows) > 3
    frame = rows.to_dataframe()
    assert list(frame.columns) == ["m", "year", "open"] and len(frame) == len(rows)
    assert frame["year"].dtype.kind == "i" and frame["open"].dtype == bool
    assert frame["m"].iloc[0] == rows[0].m
    terms = rows.to_dataframe(terms=True)
    assert terms["year"].iloc[0] == rows[0].year and isinstance(terms["year"].iloc[0], Literal)


def test_to_dataframe_without_pandas(
    kg: genai_graph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without pandas, a MissingExtraError names the extra to install."""
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    rows = kg.query("SELECT ?x WHERE { BIND(1 AS ?x) }")
    assert isinstance(rows, SelectResult)
    with pytest.raises(MissingExtraError, match=r"genai-graph\[dataframe\]"):
        rows.to_dataframe()


# -- time limits ---------------------------------------------------------------------

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
# Joined in pure Python by rdflib, never reading the store in the loop:
# stopped by the watchdog, not by the store's check.
PYTHON_JOIN = """SELECT (COUNT(*) AS ?n) WHERE {
  { SELECT DISTINCT ?a WHERE { ?a ?b ?c } } { SELECT DISTINCT ?d WHERE { ?d ?e ?f } }
  { SELECT DISTINCT ?g WHERE { ?g ?h ?i } } }"""


@pytest.mark.parametrize(
    ("text", "entailment"),
    [(CARTESIAN, "told"), (CARTESIAN, "el"), (PYTHON_JOIN, "told")],
    ids=["cartesian", "cartesian-entailed", "python-join"],
)
def test_timeout_stops_a_runaway_query(
    kg: genai_graph.KnowledgeGraph, text: str, entailment: str
) -> None:
    """A query that would run for hours stops with QueryTimeoutError; the graph stays usable."""
    if text is PYTHON_JOIN and _store._raise_in is None:
        pytest.skip("only CPython can interrupt rdflib's pure-Python joins")
    before = len(kg)
    kg.query("ASK {}", entailment=entailment)  # build the entailment outside the limit
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError) as caught:
        kg.query(text, entailment=entailment, timeout=1)
    elapsed = time.monotonic() - started
    assert elapsed < 30, f"took {elapsed:.1f} s"  # a hang detector, not a speed assertion
    assert caught.value.seconds == 1 and isinstance(caught.value, TimeoutError)
    assert "time limit of 1 s" in str(caught.value)
    assert _store._deadline.get() is None
    assert len(kg) == before
    rows = kg.query("SELECT ?label WHERE { genai:GPT4 rdfs:label ?label }", entailment=entailment)
    assert isinstance(rows, SelectResult) and [str(r.label) for r in rows] == ["GPT-4"]


def test_timeout_leaves_nothing_behind(kg: genai_graph.KnowledgeGraph) -> None:
    """A query that ends in time leaves no interruption pending for the code that follows."""
    rows = kg.query("SELECT ?c WHERE { ?c a owl:Class }", timeout=0.5)
    assert isinstance(rows, SelectResult) and len(rows) > 50
    until = time.monotonic() + 1.2  # past the limit, its grace and one watchdog refire
    spins = 0
    while time.monotonic() < until:  # pure Python, where an interruption would land
        spins += 1
    assert spins > 0 and _store._deadline.get() is None


def test_timeout_only_stops_its_own_thread(kg: genai_graph.KnowledgeGraph) -> None:
    """A timed-out query in one thread does not disturb queries running meanwhile in another."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }"
    expected = kg.query(count)
    assert isinstance(expected, SelectResult)
    outcome: dict[str, object] = {}
    counts: list[object] = []

    def runaway() -> None:
        try:
            outcome["runaway"] = kg.query(CARTESIAN, timeout=0.5)
        except BaseException as err:
            outcome["runaway"] = err

    def steady() -> None:
        until = time.monotonic() + 1.5  # past the runaway's limit, grace and a refire
        try:
            while time.monotonic() < until:
                rows = kg.query(count)
                counts.append(rows[0].n if isinstance(rows, SelectResult) else rows)
        except BaseException as err:
            outcome["steady"] = err

    threads = [threading.Thread(target=runaway), threading.Thread(target=steady)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert isinstance(outcome.get("runaway"), QueryTimeoutError)
    assert "steady" not in outcome, outcome.get("steady")
    assert counts and all(n == expected[0].n for n in counts)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "1", True])
def test_bad_timeout(kg: genai_graph.KnowledgeGraph, bad: object) -> None:
    """A timeout must be a positive, finite number of seconds."""
    with pytest.raises(QueryError, match="timeout"):
        kg.query("ASK {}", timeout=bad)  # type: ignore[arg-type]


# -- SERVICE -------------------------------------------------------------------------


def test_allow_service_passes_service_through(kg: genai_graph.KnowledgeGraph) -> None:
    """With allow_service=True the query is not refused; rdflib calls the endpoint.

    The endpoint is a closed port on this machine, so nothing leaves it: SERVICE
    SILENT ignores the failure, plain SERVICE reports it as a QueryError.
    """
    endpoint = "<http://127.0.0.1:9/sparql>"
    rows = kg.query(
        f"SELECT * WHERE {{ SERVICE SILENT {endpoint} {{ ?s ?p ?o }} }}", allow_service=True
    )
    assert isinstance(rows, SelectResult)
    with pytest.raises(QueryError, match="query failed") as caught:
        kg.query(f"SELECT * WHERE {{ SERVICE {endpoint} {{ ?s ?p ?o }} }}", allow_service=True)
    assert "allow_service" not in str(caught.value)


# -- syntax errors -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column", "token"),
    [
        ("SELECT ?x WHERE { ?x rdfs:label }", 1, 19, "'?x'"),
        ("SELEC ?x WHERE { ?x ?p ?o }", 1, 1, "'SELEC'"),
        ("SELECT ?x WHERE { ?x ?p ?o }}", 1, 29, "'}'"),
        ("SELECT ?x\nWHERE { ?x a ?y . FILTER(?y = ) }", 2, 19, "'FILTER'"),
        ("SELECT ?x WHERE { ?x ?p ?o ", 1, 28, "end of the query"),
    ],
)
def test_syntax_error_names_the_token(
    kg: genai_graph.KnowledgeGraph, text: str, line: int, column: int, token: str
) -> None:
    """A syntax error gives line, column and the token found there, and points at it."""
    with pytest.raises(QueryError) as caught:
        kg.query(text)
    err = caught.value
    assert (err.line, err.column) == (line, column)
    message = str(err)
    assert f"line {line}, column {column}" in message and token in message
    source_line, pointer = message.split("\n")[1:3]
    assert pointer.index("^") == source_line.index(text.split("\n")[line - 1][:10]) + column - 1


def test_syntax_error_on_a_long_line_stays_short(kg: genai_graph.KnowledgeGraph) -> None:
    """The message quotes a window of a long line, not all of it."""
    text = 'SELECT ?x WHERE { ?x rdfs:label "' + "a" * 50_000 + '" . FILTER( }'
    with pytest.raises(QueryError) as caught:
        kg.query(text)
    assert len(str(caught.value)) < 400 and "FILTER" in str(caught.value)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?x WHERE { " + "?x ?p ?o . " * 3000 + "}",
        "SELECT ?x WHERE { " + "{ " * 3000 + "?x ?p ?o" + " }" * 3000 + " }",
        "DELETE { ?x ?p ?o } WHERE { " + "?x ?p ?o . " * 3000 + "}",
    ],
    ids=["long-run", "deep-nesting", "long-update"],
)
def test_parser_recursion_is_a_query_error(kg: genai_graph.KnowledgeGraph, text: str) -> None:
    """What overflows rdflib's recursive parser is a QueryError with a way out, not a crash."""
    run = genai_graph.load(bundled=False).update if text.startswith("DELETE") else kg.query
    with pytest.raises(QueryError, match="too deeply nested"):
        run(text)


def test_long_runs_in_groups_parse(kg: genai_graph.KnowledgeGraph) -> None:
    """The advice works: the same patterns split into groups parse and run."""
    group = "{ " + "?x rdfs:label ?l . " * 40 + "} "
    rows = kg.query("SELECT (COUNT(*) AS ?n) WHERE { BIND(genai:GPT4 AS ?x) " + group * 10 + "}")
    assert isinstance(rows, SelectResult) and int(rows[0].n) == 1


# -- updates -------------------------------------------------------------------------


@pytest.fixture
def fresh() -> genai_graph.KnowledgeGraph:
    """Return a bundled graph of the test's own, free to change."""
    return genai_graph.load()


def test_update_changes_answers(fresh: genai_graph.KnowledgeGraph) -> None:
    """After an update, is_a, the names and entailed queries see the change (caches dropped)."""
    assert not fresh.is_a("GPT-4", "Image Generation Model")
    assert fresh.query("ASK { genai:GPT4 a genai:GenerativeAI }", entailment="rdfs") is True
    added = fresh.update(
        """INSERT DATA {
             genai:Pixelator a owl:Class ; rdfs:label "Pixelator"@en ;
                 rdfs:subClassOf genai:ImageGenerationModel .
             genai:GPT4 a genai:Pixelator }"""
    )
    assert added == (4, 0)
    assert fresh.is_a("GPT-4", "Image Generation Model")
    assert fresh.concept("Pixelator").iri == genai_graph.GENAI.Pixelator
    q = "ASK { genai:GPT4 a genai:ImageGenerationModel }"
    assert fresh.query(q, entailment="rdfs") is True
    assert fresh.update("DELETE DATA { genai:GPT4 a genai:Pixelator }") == (0, 1)
    assert not fresh.is_a("GPT-4", "Image Generation Model")
    assert fresh.query(q, entailment="rdfs") is False


def test_update_counts_are_net(fresh: genai_graph.KnowledgeGraph) -> None:
    """Counts are the triples gained and lost: re-inserting a stated triple adds nothing."""
    before = set(fresh.graph)
    assert fresh.update("INSERT DATA { genai:GPT4 a genai:LargeLanguageModel }") == (0, 0)
    assert fresh.update(
        "DELETE DATA { genai:GPT4 rdfs:label 'GPT-4'@en } ; INSERT DATA { genai:GPT4 rdfs:label 'GPT-4'@en }"
    ) == (0, 0)
    assert set(fresh.graph) == before
    changed = fresh.update(
        "DELETE { ?m genai:releaseYear ?y } INSERT { ?m genai:releaseYear ?next } "
        "WHERE { ?m genai:releaseYear ?y BIND(?y + 1 AS ?next) }"
    )
    years = len(list(fresh.graph.triples((None, genai_graph.GENAI.releaseYear, None))))
    assert changed == (years, years) and years > 10
    assert (GPT4, genai_graph.GENAI.releaseYear, Literal(2024)) in fresh.graph


def test_update_with_bindings(fresh: genai_graph.KnowledgeGraph) -> None:
    """Bindings work in updates as in queries, and unknown names are refused."""
    assert fresh.update(
        "DELETE WHERE { ?m genai:releaseYear ?y }", bindings={"m": fresh.concept("GPT-4")}
    ) == (0, 1)
    assert fresh.query("ASK { genai:GPT4 genai:releaseYear ?y }") is False
    assert fresh.query("ASK { genai:BERT genai:releaseYear ?y }") is True
    with pytest.raises(QueryError, match=r"\?nope"):
        fresh.update("DELETE WHERE { ?m genai:releaseYear ?y }", bindings={"nope": 1})


@pytest.mark.parametrize("text", ["CLEAR DEFAULT", "DROP ALL", "CLEAR SILENT ALL"])
def test_update_clears(fresh: genai_graph.KnowledgeGraph, text: str) -> None:
    """CLEAR/DROP of DEFAULT or ALL empty the one graph."""
    size = len(fresh)
    assert fresh.update(text) == (0, size)
    assert len(fresh) == 0 and not fresh.query("ASK { ?s ?p ?o }")


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("LOAD <file:///etc/passwd> INTO GRAPH <urn:x>", "LOAD"),
        ("CREATE GRAPH <urn:g>", "CREATE"),
        ("DROP GRAPH <urn:g>", "named graph"),
        ("CLEAR NAMED", "named graph"),
        ("ADD DEFAULT TO <urn:g>", "ADD"),
        ("MOVE <urn:g> TO DEFAULT", "MOVE"),
        ("COPY DEFAULT TO <urn:g>", "COPY"),
        ("INSERT DATA { GRAPH <urn:g> { genai:a genai:b genai:c } }", "GRAPH"),
        ("DELETE WHERE { GRAPH ?g { ?s ?p ?o } }", "GRAPH"),
        ("DELETE { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }", "GRAPH"),
        ("WITH <urn:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
        ("DELETE { ?s ?p ?o } USING <http://example.org/g.ttl> WHERE { ?s ?p ?o }", "USING"),
        (
            "DELETE { ?s ?p ?o } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
            "SERVICE",
        ),
        (
            "INSERT DATA { genai:a genai:b genai:c } ; LOAD <http://example.org/data.ttl>",
            "LOAD",
        ),
    ],
)
def test_update_refusals(fresh: genai_graph.KnowledgeGraph, text: str, match: str) -> None:
    """Network, files and named graphs are refused before anything changes."""
    before = set(fresh.graph)
    with pytest.raises(QueryError, match=match):
        fresh.update(text)
    assert set(fresh.graph) == before


def test_update_is_all_or_nothing(
    fresh: genai_graph.KnowledgeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When an operation fails halfway, the operations before it are undone too."""
    before = set(fresh.graph)
    store = fresh.graph.store
    boom = genai_graph.GENAI.Boom
    add = store.add

    def failing_add(triple: Any, context: Any, quoted: bool = False) -> None:
        if triple[2] == boom:
            raise OSError("disk full")  # a store failure halfway through the request
        add(triple, context, quoted)

    monkeypatch.setattr(store, "add", failing_add)
    with pytest.raises(QueryError, match=r"nothing was changed.*disk full"):
        fresh.update(
            """DELETE WHERE { genai:GPT4 rdfs:label ?l } ;
               INSERT DATA { genai:GPT4 rdfs:label "renamed" . genai:X a owl:Class } ;
               DELETE WHERE { genai:BERT ?p ?o } ;
               INSERT DATA { genai:GPT4 rdfs:seeAlso genai:Fine . genai:GPT4 rdfs:seeAlso genai:Boom }"""
        )
    monkeypatch.undo()
    assert set(fresh.graph) == before
    assert fresh.concept("GPT-4").label == "GPT-4"


def test_update_refuses_a_query(fresh: genai_graph.KnowledgeGraph) -> None:
    """update() is for changes: a read query is pointed to query()."""
    with pytest.raises(QueryError, match=r"query\(\)"):
        fresh.update("SELECT * WHERE { ?s ?p ?o }")


def test_update_syntax_error(fresh: genai_graph.KnowledgeGraph) -> None:
    """A malformed update reports line, column and token, and changes nothing."""
    size = len(fresh)
    with pytest.raises(QueryError) as caught:
        fresh.update("INSERT DATA { genai:a genai:b genai:c } ;\nDELETE DATA { genai:a genai:b }")
    assert caught.value.line == 2 and "line 2" in str(caught.value)
    assert len(fresh) == size


def test_query_points_updates_to_update(kg: genai_graph.KnowledgeGraph) -> None:
    """query() refuses an update and names update()."""
    with pytest.raises(QueryError, match=r"update\(\)"):
        kg.query("INSERT DATA { genai:X a owl:Class }")


def test_update_refuses_statements_that_are_not_rdf() -> None:
    """An update that would give a literal as subject is refused whole, so save/load stay lossless."""
    kg = genai_graph.load(bundled=False)
    kg.update("INSERT DATA { <http://e/a> <http://e/p> <http://e/o> }")
    with pytest.raises(genai_graph.QueryError, match="a subject must be an IRI or a blank node"):
        kg.update(
            "INSERT { <http://e/b> <http://e/p> <http://e/o> . ?x <http://e/p> <http://e/o> } "
            'WHERE { BIND("lit" AS ?x) }'
        )
    assert len(kg.graph) == 1
