"""The SPARQL 1.1 Protocol endpoint, driven by clients we did not write.

SPARQLWrapper and rdflib's SPARQLStore talk to an in-process server on a free
loopback port; their answers are checked against ``kg.query`` on the same
graph. Hostile and malformed requests go through http.client and raw sockets.
One test runs the real ``genai-graph serve`` command and stops it with SIGINT.
"""

from __future__ import annotations

import csv
import html
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

import genai_graph
from genai_graph.endpoint import PATH, SD, SparqlServer

from .conftest import MINI, external_references

GENAI = genai_graph.GENAI
SUBCLASSES = "SELECT ?c ?label WHERE { ?c rdfs:subClassOf genai:LargeLanguageModel . OPTIONAL { ?c rdfs:label ?label } }"
PREFIXES = f"PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nPREFIX genai: <{GENAI}>\n"
# A cartesian product over the whole ontology: 10^12 and more rows to count.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(kg: genai_graph.KnowledgeGraph) -> Iterator[SparqlServer]:
    """Serve the bundled graph on a free loopback port, with the default limits."""
    with SparqlServer(kg) as running:
        yield running


def client(server: SparqlServer, query: str, fmt: str = JSON, method: str = "GET") -> Any:
    """Run `query` through SPARQLWrapper and return its converted result."""
    wrapper = SPARQLWrapper(server.url, returnFormat=fmt)
    wrapper.setMethod(method)
    wrapper.setQuery(query)
    return wrapper.queryAndConvert()


def expected_rows(kg: genai_graph.KnowledgeGraph, query: str) -> set[tuple[str, ...]]:
    """Return the rows of `query` from kg.query, as tuples of strings ('' for unbound)."""
    result = kg.query(query)
    assert isinstance(result, genai_graph.SelectResult)
    return {tuple("" if v is None else str(v) for v in row) for row in result}


def json_rows(data: dict[str, Any]) -> set[tuple[str, ...]]:
    """Return the rows of a SPARQL JSON result as tuples of strings ('' for unbound)."""
    variables = data["head"]["vars"]
    return {
        tuple(b[v]["value"] if v in b else "" for v in variables)
        for b in data["results"]["bindings"]
    }


def request(
    server: SparqlServer,
    method: str,
    target: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """Send one request with http.client; return status, headers (lower-cased names) and body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data
    finally:
        connection.close()


def raw(server: SparqlServer, data: bytes) -> bytes:
    """Send raw bytes over a socket and return everything the server answers."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def get(
    server: SparqlServer, params: str, accept: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """GET the endpoint with the query string `params`."""
    return request(server, "GET", f"{PATH}?{params}", headers={"Accept": accept} if accept else {})


def q(text: str) -> str:
    """Return `text` as a percent-encoded query parameter."""
    return "query=" + urllib.parse.quote(text)


# -- SPARQLWrapper ----------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", POST])
def test_select_json_matches_kg_query(
    server: SparqlServer, kg: genai_graph.KnowledgeGraph, method: str
) -> None:
    """SPARQLWrapper's SELECT in JSON, by GET and POST, gives the rows kg.query gives."""
    data = client(server, SUBCLASSES, JSON, method)
    assert data["head"]["vars"] == ["c", "label"]
    rows = json_rows(data)
    assert rows == expected_rows(kg, SUBCLASSES)
    assert str(GENAI.GenerativePretrainedTransformer) in {c for c, _ in rows}


@pytest.mark.parametrize("method", ["GET", POST])
def test_select_xml_matches_kg_query(
    server: SparqlServer, kg: genai_graph.KnowledgeGraph, method: str
) -> None:
    """SELECT in SPARQL XML, parsed by SPARQLWrapper, gives the rows kg.query gives."""
    document = client(server, SUBCLASSES, XML, method)  # SPARQLWrapper parses it with minidom
    rows = set()
    for result in document.getElementsByTagName("result"):
        values = {
            b.getAttribute("name"): "".join(
                node.firstChild.data if node.firstChild else ""
                for node in b.childNodes
                if node.nodeType == node.ELEMENT_NODE
            )
            for b in result.getElementsByTagName("binding")
        }
        rows.add((values.get("c", ""), values.get("label", "")))
    assert rows == expected_rows(kg, SUBCLASSES)


@pytest.mark.parametrize(("fmt", "delimiter"), [(CSV, ","), (TSV, "\t")])
def test_select_csv_and_tsv(
    server: SparqlServer, kg: genai_graph.KnowledgeGraph, fmt: str, delimiter: str
) -> None:
    """SELECT in CSV and TSV through SPARQLWrapper."""
    text = client(server, SUBCLASSES, fmt).decode("utf-8")
    table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    want = expected_rows(kg, SUBCLASSES)
    if fmt == CSV:
        assert table[0] == ["c", "label"]
        assert {tuple(r) for r in table[1:]} == want
    else:  # TSV writes terms in Turtle syntax: <iri>, "literal"@lang
        assert table[0] == ["?c", "?label"]
        assert len(table) - 1 == len(want)
        assert {r[0] for r in table[1:]} == {f"<{c}>" for c, _ in want}


@pytest.mark.parametrize("fmt", [JSON, XML])
@pytest.mark.parametrize("method", ["GET", POST])
def test_ask(server: SparqlServer, fmt: str, method: str) -> None:
    """ASK answers true and false, in JSON and XML, by GET and POST."""
    yes = "ASK { genai:LargeLanguageModel rdfs:subClassOf genai:GenerativeAI }"
    no = "ASK { genai:GenerativeAI rdfs:subClassOf genai:LargeLanguageModel }"
    answers = []
    for text in (yes, no):
        result = client(server, text, fmt, method)
        if fmt == JSON:
            answers.append(result["boolean"])
        else:
            answers.append(result.getElementsByTagName("boolean")[0].firstChild.data == "true")
    assert answers == [True, False]


def test_construct_turtle_parses_to_the_same_graph(
    server: SparqlServer, kg: genai_graph.KnowledgeGraph
) -> None:
    """CONSTRUCT as Turtle, fetched by SPARQLWrapper and parsed by rdflib, is kg.query's graph."""
    construct = "CONSTRUCT { ?c rdfs:subClassOf genai:LargeLanguageModel ; rdfs:label ?l } WHERE { ?c rdfs:subClassOf genai:LargeLanguageModel ; rdfs:label ?l }"
    body = client(server, construct, TURTLE)
    assert isinstance(body, bytes)
    served = Graph().parse(data=body.decode("utf-8"), format="turtle")
    local = kg.query(construct)
    assert isinstance(local, Graph)
    assert len(served) > 4
    assert isomorphic(served, local)


JSONLD_PARSER_WARNING = "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"  # rdflib's own


@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
@pytest.mark.parametrize(
    ("fmt", "media", "rdflib_format"),
    [
        ("nt", "application/n-triples", "nt"),
        ("xml", "application/rdf+xml", "xml"),
        ("json-ld", "application/ld+json", "json-ld"),
        ("turtle", "text/turtle", "turtle"),
    ],
)
def test_construct_in_every_rdf_format(
    server: SparqlServer, kg: genai_graph.KnowledgeGraph, fmt: str, media: str, rdflib_format: str
) -> None:
    """DESCRIBE in every RDF format, by format= and by Accept, parses to kg.query's graph."""
    describe = "DESCRIBE genai:LargeLanguageModel"
    by_name = get(server, f"{q(describe)}&format={fmt}")
    by_accept = get(server, q(describe), accept=media)
    local = kg.query(describe)
    assert isinstance(local, Graph)
    for status, headers, body in (by_name, by_accept):
        assert status == 200
        assert headers["content-type"].split(";")[0] == media
        parsed = Graph().parse(data=body.decode("utf-8"), format=rdflib_format)
        assert isomorphic(parsed, local)


@pytest.mark.filterwarnings(JSONLD_PARSER_WARNING)
def test_sparqlwrapper_rdf_formats_for_construct(server: SparqlServer) -> None:
    """SPARQLWrapper's N3, JSON-LD and RDF/XML requests for a CONSTRUCT give the same graph."""
    construct = "CONSTRUCT { genai:GPT4 a ?t } WHERE { genai:GPT4 a ?t }"
    as_n3 = Graph().parse(data=client(server, construct, N3).decode(), format="turtle")
    as_jsonld = client(server, construct, JSONLD)  # SPARQLWrapper parses JSON-LD itself
    as_xml = client(server, construct, XML)  # RDF/XML, parsed by SPARQLWrapper with rdflib
    assert (GENAI.GPT4, None, GENAI.LargeLanguageModel) in as_n3
    assert isomorphic(as_n3, as_jsonld)
    assert isomorphic(as_n3, as_xml)


# -- rdflib SPARQLStore -----------------------------------------------------------------


def test_sparqlstore_property_path_and_ask(
    server: SparqlServer, kg: genai_graph.KnowledgeGraph
) -> None:
    """rdflib's SPARQLStore: a property path, ASK and triples() agree with the local graph."""
    remote = Graph(store=SPARQLStore(server.url, returnFormat="json"))
    path = PREFIXES + "SELECT ?c WHERE { ?c rdfs:subClassOf+ genai:GenerativeAI }"
    got = {row[0] for row in remote.query(path)}  # type: ignore[index]
    want = {row[0] for row in kg.query(path)}  # type: ignore[union-attr]
    assert GENAI.LargeLanguageModel in got
    assert GENAI.GenerativePretrainedTransformer in got  # two steps down
    assert got == want
    assert remote.query(PREFIXES + "ASK { genai:GPT4 a genai:LargeLanguageModel }").askAnswer
    assert not remote.query(PREFIXES + "ASK { genai:GPT4 a genai:GenerativeAI }").askAnswer
    told = set(remote.triples((None, RDFS.subClassOf, GENAI.LargeLanguageModel)))
    assert told == set(kg.graph.triples((None, RDFS.subClassOf, GENAI.LargeLanguageModel)))
    remote.close()


# -- read-only --------------------------------------------------------------------------


INSERT = "INSERT DATA { genai:Pwned rdfs:subClassOf genai:LargeLanguageModel }"


@pytest.mark.parametrize("request_method", ["urlencoded", POSTDIRECTLY])
def test_updates_are_refused_and_the_graph_is_unchanged(
    server: SparqlServer, kg: genai_graph.KnowledgeGraph, request_method: str
) -> None:
    """update= and application/sparql-update get 403 and change nothing."""
    before = len(kg.graph)
    wrapper = SPARQLWrapper(server.url, updateEndpoint=server.url)
    wrapper.setMethod(POST)
    wrapper.setRequestMethod(request_method)  # update=... form, or application/sparql-update
    wrapper.setQuery(PREFIXES + INSERT)
    with pytest.raises(urllib.error.HTTPError) as caught:
        wrapper.query()
    assert caught.value.code == 403
    assert b"read-only" in caught.value.read()
    assert len(kg.graph) == before
    assert (GENAI.Pwned, None, None) not in kg.graph


def test_an_update_sent_as_a_query_is_refused(
    server: SparqlServer, kg: genai_graph.KnowledgeGraph
) -> None:
    """An update sent as query= (GET, form or direct POST) is a 400 and changes nothing."""
    before = len(kg.graph)
    for method, target, body, headers in (
        ("GET", f"{PATH}?{q(INSERT)}", None, {}),
        (
            "POST",
            PATH,
            q(INSERT).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"},
        ),
        ("POST", PATH, INSERT.encode(), {"Content-Type": "application/sparql-query"}),
    ):
        status, got, text = request(server, method, target, body, headers)
        assert status == 400
        assert got["content-type"] == "text/plain; charset=utf-8"
        assert b"read-only" in text
    assert len(kg.graph) == before


def test_service_and_from_are_refused(server: SparqlServer) -> None:
    """SERVICE and FROM, which would fetch from the network, are 400."""
    for text in (
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * FROM <http://example.org/data.ttl> WHERE { ?s ?p ?o }",
    ):
        status, _, body = get(server, q(text))
        assert status == 400
        assert b"SERVICE" in body or b"FROM" in body


# -- errors -----------------------------------------------------------------------------


def test_syntax_error_is_400_with_line_and_column(server: SparqlServer) -> None:
    """A syntax error is a 400 whose message names the line and column."""
    wrapper = SPARQLWrapper(server.url, returnFormat=JSON)
    wrapper.setQuery("SELECT ?x WHERE {\n  ?x rdfs:label ?y ..\n}")
    with pytest.raises(Exception, match=r"line 2, column") as caught:
        wrapper.query()
    assert type(caught.value).__name__ == "QueryBadFormed"  # SPARQLWrapper's name for a 400


@pytest.fixture(scope="module")
def strict(kg: genai_graph.KnowledgeGraph) -> Iterator[SparqlServer]:
    """Serve the bundled graph with a 1 s timeout and a 3-row limit."""
    with SparqlServer(kg, timeout=1, max_rows=3) as running:
        yield running


@pytest.mark.slow
def test_a_query_past_the_timeout_is_stopped_and_the_next_one_runs(strict: SparqlServer) -> None:
    """A cartesian product runs into the 1 s limit: 503; the next query is answered."""
    status, headers, body = get(strict, q(SLOW))
    assert status == 503
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert b"time limit of 1 s" in body
    # The server is free again: the next query gets an answer.
    status, _, body = get(strict, q("ASK { genai:GPT4 a genai:LargeLanguageModel }"))
    assert status == 200
    assert json.loads(body) == {"head": {}, "boolean": True}


def test_rows_past_the_limit_are_cut_and_marked(
    strict: SparqlServer, kg: genai_graph.KnowledgeGraph
) -> None:
    """Past max_rows, rows and triples are cut and X-Result-Truncated says so."""
    many = "SELECT ?c WHERE { ?c a owl:Class }"
    status, headers, body = get(strict, q(many))
    assert status == 200
    assert headers["x-result-truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 3
    for fmt in ("xml", "csv", "tsv"):
        status, headers, body = get(strict, f"{q(many)}&format={fmt}")
        assert headers["x-result-truncated"] == "true"
    assert len(body.decode().strip().splitlines()) == 1 + 3  # header + 3 rows (TSV)

    few = "SELECT ?c WHERE { ?c rdfs:subClassOf genai:GenerativePretrainedTransformer } LIMIT 2"
    status, headers, body = get(strict, q(few))
    assert headers["x-result-truncated"] == "false"
    assert json_rows(json.loads(body)) == expected_rows(kg, few)

    status, headers, body = get(strict, q("CONSTRUCT WHERE { ?s a owl:Class }"))
    assert headers["x-result-truncated"] == "true"
    assert len(Graph().parse(data=body.decode(), format="turtle")) == 3


@pytest.mark.parametrize(
    ("params", "accept", "status"),
    [
        ("query=%FF%FE", None, 400),  # not UTF-8
        ("query=ASK%20%7B%zz%7D", None, 400),  # bad percent-escape
        ("query=ASK%20%7B%7D%", None, 400),  # truncated percent-escape
        ("format=json", None, 200),  # no query: the service description
        ("query=", None, 400),  # empty query
        ("query=ASK%7B%7D&query=ASK%7B%7D", None, 400),  # two queries
        ("query=ASK%7B%7D&default-graph-uri=urn%3Ax", None, 400),  # one dataset only
        ("query=ASK%7B%7D&named-graph-uri=urn%3Ax", None, 400),
        ("query=ASK%7B%7D", "image/png", 406),
        ("query=ASK%7B%7D", "text/csv", 406),  # CSV is for SELECT only
        ("query=ASK%7B%7D&format=bogus", None, 406),
        ("query=SELECT%20*%20%7B%7D", "application/rdf+xml", 406),
        ("query=SELECT%20*%20%7B%7D", "text/csv;q=0.5, application/json;q=0.9", 200),
        ("query=ASK%7B%7D", "application/sparql-results+xml", 200),
        ("query=ASK%7B%7D", "*/*", 200),
        ("query=ASK%7B%7D", "text/html;q=0.1, */*;q=0", 406),
        ("query=ASK%7B%7D&update=x", None, 403),
    ],
)
def test_bad_parameters_get_a_4xx_with_a_message(
    server: SparqlServer, params: str, accept: str | None, status: int
) -> None:
    """Malformed or unsatisfiable GET requests get a 4xx and a plain-text message."""
    got, headers, body = get(server, params, accept)
    assert got == status, body
    if status >= 400:
        assert headers["content-type"] == "text/plain; charset=utf-8"
        assert body.strip()
        assert b"Traceback" not in body


def test_content_negotiation_picks_what_the_client_prefers(server: SparqlServer) -> None:
    """The Accept header picks the result format, q-values and wildcards included."""
    select = q("SELECT * WHERE { genai:GPT4 a ?t }")
    cases = {
        None: "application/sparql-results+json",
        "*/*": "application/sparql-results+json",
        "application/json": "application/sparql-results+json",
        "text/csv": "text/csv",
        "text/*": "text/csv",
        "text/tab-separated-values, text/csv;q=0.8": "text/tab-separated-values",
        "application/sparql-results+xml;q=0.9, application/sparql-results+json;q=0.5": "application/sparql-results+xml",
        "text/xml": "application/sparql-results+xml",
    }
    for accept, media in cases.items():
        status, headers, _ = get(server, select, accept)
        assert status == 200
        assert headers["content-type"] == f"{media}; charset=utf-8", accept
        assert headers["vary"] == "Accept"


def test_hostile_requests(server: SparqlServer) -> None:
    """Oversized, badly encoded, misrouted and rebinding requests get the right 4xx."""
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    direct = {"Content-Type": "application/sparql-query"}
    cases = [
        (("POST", PATH, b"query=" + b"A" * 2_000_000, form), 413),
        (("POST", PATH, b"\xff\xfe ASK {}", direct), 400),  # not UTF-8
        (("POST", PATH, b"query=%FF", form), 400),
        (("POST", PATH, b"query=%G0", form), 400),
        (
            (
                "POST",
                PATH,
                b"ASK {}",
                {"Content-Type": "application/sparql-query; charset=latin-1"},
            ),
            415,
        ),
        (("POST", PATH, b"ASK {}", {"Content-Type": "text/plain"}), 415),
        (("POST", PATH, b"ASK {}", {}), 415),
        (("POST", PATH, b"format=json", form), 400),  # no query
        (("POST", f"{PATH}?{q('ASK {}')}", q("ASK {}").encode(), form), 400),  # two queries
        (("POST", f"{PATH}?{q('ASK {}')}", b"ASK {}", direct), 400),
        (("GET", "/nothing/here", None, {}), 404),
        (("GET", "/sparql/", None, {}), 404),
        (("GET", "/favicon.ico", None, {}), 404),
        (("PUT", PATH, b"x", direct), 405),
        (("DELETE", PATH, None, {}), 405),
        (("PATCH", "/", b"x", direct), 405),
        (("POST", "/", b"x", direct), 405),
        (("BREW", PATH, None, {}), 405),
        (("GET", PATH, None, {"Host": "attacker.example"}), 403),  # DNS rebinding
        (("GET", PATH, None, {"Host": "localhost.attacker.example:80"}), 403),
    ]
    for (method, target, body, headers), status in cases:
        got, answer_headers, text = request(server, method, target, body, headers)
        assert got == status, (method, target, text)
        assert answer_headers["content-type"] == "text/plain; charset=utf-8"
        assert b"Traceback" not in text
        if status == 405:
            assert "GET" in answer_headers["allow"]
    status, headers, _ = request(server, "OPTIONS", PATH)
    assert status == 204
    assert headers["allow"] == "GET, HEAD, POST, OPTIONS"
    status, headers, _ = request(server, "GET", PATH, headers={"Host": f"localhost:{server.port}"})
    assert status == 200


def test_hostile_bytes_on_the_socket(server: SparqlServer) -> None:
    """Malformed HTTP on a raw socket gets a status line with a 4xx, never a traceback."""
    ask = q("ASK {}")
    cases = [
        (b"GARBAGE\r\n\r\n", b"400"),
        (
            b"GET /sparql?"
            + ask.encode()
            + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + b"X: y\r\n" * 200
            + b"\r\n",
            b"431",
        ),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", b"414"),
        (
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n\r\nASK {}",
            b"411",
        ),
        (
            b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: -5\r\n\r\n",
            b"400",
        ),
        (
            b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nContent-Length: 10\r\n\r\nASK",
            b"400",
        ),  # body cut short
        (
            b"POST /sparql HTTP/1.1\r\nContent-Type: application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nASK {}\r\n0\r\n\r\n",
            b"411",
        ),
        (b"GET /sparql?query=ASK%20%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"200"),
        (b"GET /sparql?query=ASK%20%7B%7D%C3%A9\xff HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", b"400"),
    ]
    for data, status in cases:
        answer = raw(server, data)
        assert answer.split(b"\r\n")[0].split(b" ")[1] == status, (data[:60], answer[:200])
        assert b"Traceback" not in answer


def test_an_oversized_body_is_refused_before_it_is_sent(server: SparqlServer) -> None:
    """A client that asks first (Expect: 100-continue, as curl does above 1 MB) gets 413 at once."""
    head = (
        b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/sparql-query\r\nContent-Length: 2000000\r\n"
        b"Expect: 100-continue\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(head)
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_one_connection_serves_several_requests(server: SparqlServer) -> None:
    """HTTP/1.1 keep-alive: each request on the connection gets its own answer."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        answers = []
        for method, target in (
            ("GET", "/"),
            ("HEAD", f"{PATH}?{q('ASK {}')}"),
            ("GET", "/missing"),
            ("POST", PATH),
            ("GET", f"{PATH}?{q('ASK { genai:GPT4 a genai:LargeLanguageModel }')}"),
        ):
            body = b"ASK {}" if method == "POST" else None
            headers = {"Content-Type": "application/sparql-query"} if body else {}
            connection.request(method, target, body=body, headers=headers)
            response = connection.getresponse()
            answers.append((response.status, response.read()))
            assert not response.will_close  # the connection stays open for the next one
        # An answer given without reading the body (here a 404) closes the connection,
        # so that the unread body is never taken for the next request.
        connection.request("POST", "/missing", body=b"GET / HTTP/1.1\r\n\r\n")
        response = connection.getresponse()
        answers.append((response.status, response.read()))
        assert response.getheader("Connection") == "close"
    finally:
        connection.close()
    assert [status for status, _ in answers] == [200, 200, 404, 200, 200, 404]
    assert answers[1][1] == b""  # HEAD
    assert json.loads(answers[3][1])["boolean"] is True  # ASK {} is true
    assert json.loads(answers[4][1])["boolean"] is True


def test_concurrent_clients_get_correct_answers(
    server: SparqlServer, kg: genai_graph.KnowledgeGraph
) -> None:
    """Six clients querying at once all get the right rows."""
    want = expected_rows(kg, SUBCLASSES)
    results: list[set[tuple[str, ...]]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(3):
                results.append(json_rows(client(server, SUBCLASSES, JSON, POST)))
        except BaseException as err:
            errors.append(err)

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == 18
    assert all(r == want for r in results)


def test_the_server_is_still_serving_after_all_that(server: SparqlServer) -> None:
    """After the hostile requests above, the module's server still answers."""
    assert client(server, "ASK { genai:GPT4 a genai:LargeLanguageModel }")["boolean"] is True


@pytest.mark.slow
def test_entailment_is_what_queries_see(kg: genai_graph.KnowledgeGraph) -> None:
    """A server's entailment= is what its queries see, named graphs included."""
    ask = "ASK { genai:GPT4 a genai:GenerativeAI }"
    with SparqlServer(kg, entailment="rdfs") as entailed, SparqlServer(kg) as told:
        assert client(entailed, ask)["boolean"] is True
        assert client(told, ask)["boolean"] is False
        graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
        names = {row[0] for row in json_rows(client(entailed, graphs))}
        assert names == {"urn:genai-graph:asserted", "urn:genai-graph:inferred"}


def test_hostile_labels_come_back_intact() -> None:
    """Markup and control characters in a label come back unchanged in JSON."""
    hostile = '<img src=x onerror="alert(1)">\u2028"\'&\x00'
    kg = genai_graph.load(bundled=False)
    kg.graph.add((URIRef("urn:x"), RDFS.label, Literal(hostile)))
    with SparqlServer(kg) as server:
        data = client(server, "SELECT ?l WHERE { <urn:x> rdfs:label ?l }")
        assert data["results"]["bindings"][0]["l"]["value"] == hostile
        # XML 1.0 cannot carry NUL: 406 and a pointer to JSON, not a broken document.
        status, _, body = get(
            server, q("SELECT ?l WHERE { <urn:x> rdfs:label ?l }") + "&format=xml"
        )
        assert status == 406
        assert b"application/sparql-results+json" in body


# -- service description and query page --------------------------------------------------


@pytest.mark.parametrize(
    "accept", [None, "*/*", "text/turtle", "text/turtle;q=0.9, text/html;q=0.1"]
)
def test_service_description(server: SparqlServer, accept: str | None) -> None:
    """GET /sparql without a query gives a Service Description in Turtle."""
    status, headers, body = request(
        server, "GET", PATH, headers={"Accept": accept} if accept else {}
    )
    assert status == 200
    assert headers["content-type"] == "text/turtle; charset=utf-8"
    sd = Graph().parse(data=body.decode(), format="turtle")
    service = sd.value(predicate=SD.endpoint, object=URIRef(server.url))
    assert service is not None
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in sd
    formats = {str(o) for o in sd.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats


def test_query_page(server: SparqlServer) -> None:
    """The query page is self-contained: no URL, a strict CSP, no innerHTML."""
    for target, accept in (("/", None), (PATH, "text/html,application/xhtml+xml,*/*;q=0.8")):
        status, headers, body = request(
            server, "GET", target, headers={"Accept": accept} if accept else {}
        )
        assert status == 200
        assert headers["content-type"] == "text/html; charset=utf-8"
        page = body.decode()
        assert external_references(page) == []
        # The only URLs are the namespaces that IRIs are shortened with, in a data attribute.
        prefixes = re.search(r'<body data-prefixes="([^"]*)">', page)
        assert prefixes is not None
        assert json.loads(html.unescape(prefixes.group(1)))["genai"] == str(GENAI)
        rest = page.replace(prefixes.group(0), "")
        assert re.findall(r"(?:https?:)?//[a-z0-9]", rest, re.IGNORECASE) == []
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy
        assert "connect-src 'self'" in policy
        assert f'content="{policy.split("; frame-ancestors")[0]}"' in page  # also in a meta tag
        assert "innerHTML" not in page
        assert "genai:LargeLanguageModel" in page  # the example query
        assert 'fetch("sparql"' in page
    status, headers, body = request(server, "HEAD", "/")
    assert status == 200
    assert int(headers["content-length"]) > 1000
    assert body == b""


@pytest.mark.slow
@pytest.mark.browser
def test_query_page_in_a_browser(kg: genai_graph.KnowledgeGraph, chromium: Any) -> None:
    """The page runs a query in Chromium and shows hostile labels as text, loading nothing else."""
    hostile = '<img src=x onerror="window.__xss=1">'
    small = genai_graph.load(MINI, bundled=False)
    small.graph.add((URIRef("urn:x"), RDFS.label, Literal(hostile)))
    query = "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?label"
    want = expected_rows(small, query)
    with SparqlServer(small) as server:
        context = chromium.new_context()
        try:
            page = context.new_page()
            requests: list[str] = []
            problems: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.goto(server.page_url)
            page.wait_for_function("() => document.body.dataset.ready === '1'")
            page.fill("#query", query)
            page.click("#run")
            page.wait_for_function("() => document.body.dataset.done === '1'")
            cells = page.eval_on_selector_all(
                "#output tbody tr",
                "rows => rows.map(r => [...r.cells].map(c => c.title || (c.firstChild ? c.firstChild.textContent : '')))",
            )
            assert {tuple(c) for c in cells} == want
            assert hostile in {c[1] for c in cells}
            assert page.evaluate("() => window.__xss") is None
            assert page.eval_on_selector_all("#output img", "els => els.length") == 0
            assert "rows" in page.text_content("#status")

            page.fill("#query", "SELECT ?x WHERE {")  # an error is shown, as text
            page.click("#run")
            page.wait_for_function("() => document.body.dataset.done === '2'")
            assert "400" in page.text_content("#status")
            assert "syntax error" in page.text_content("#output pre")
            assert problems == [m for m in problems if "400" in m]  # only the failed fetch
            assert all(u.startswith(server.page_url) for u in requests)
        finally:
            context.close()


# -- the command line ---------------------------------------------------------------------


def start_cli(*args: str) -> tuple[subprocess.Popen[str], str]:
    """Start `python -m genai_graph serve ARGS`; return the process and the URL it prints."""
    process = subprocess.Popen(
        [sys.executable, "-m", "genai_graph", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("SPARQL endpoint: "):
            return process, line.split(": ", 1)[1].strip()
    process.kill()
    _, err = process.communicate()
    raise AssertionError(f"the server printed no URL; stderr:\n{err}")


@pytest.mark.slow
def test_cli_serves_and_stops_cleanly_on_ctrl_c(kg: genai_graph.KnowledgeGraph) -> None:
    """genai-graph serve --port 0 prints its URL, answers SPARQLWrapper and exits 0 on SIGINT."""
    process, url = start_cli()
    try:
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/sparql", url)
        assert not url.endswith(":0/sparql")
        wrapper = SPARQLWrapper(url, returnFormat=JSON)
        wrapper.setQuery(SUBCLASSES)
        assert json_rows(wrapper.queryAndConvert()) == expected_rows(kg, SUBCLASSES)  # type: ignore[arg-type]
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "warning" not in err  # loopback: no warning
    assert '"GET /sparql?' in err  # the request log


@pytest.mark.slow
def test_cli_warns_on_a_public_address_and_stops_on_sigterm() -> None:
    """On 0.0.0.0 the command warns that there is no authentication; SIGTERM exits 0."""
    process, url = start_cli(
        "--host", "0.0.0.0", "--no-bundled", "-O", str(MINI), "--quiet", "--max-rows", "1"
    )
    try:
        status, headers, body = 0, {}, b""
        port = int(urllib.parse.urlsplit(url).port or 0)
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}{PATH}?{q('SELECT ?s WHERE { ?s ?p ?o }')}", timeout=30
        ) as response:
            status, headers, body = response.status, dict(response.headers), response.read()
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert status == 200
    assert headers["X-Result-Truncated"] == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 1
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert "no authentication" in err
    assert "GET /sparql" not in err  # --quiet


def test_cli_reports_a_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    """A port in use is a one-line error and exit status 2."""
    from genai_graph.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        status = main(["serve", "--no-bundled", "-O", str(MINI), "--port", str(port)])
    assert status == 2
    assert "cannot listen" in capsys.readouterr().err


def test_server_lifecycle(kg: genai_graph.KnowledgeGraph) -> None:
    """start, url, stop (twice), and bad settings refused up front."""
    server = SparqlServer(kg)
    with pytest.raises(RuntimeError, match="not listening"):
        _ = server.url
    server.start()
    port = server.port
    assert server.url == f"http://127.0.0.1:{port}/sparql"
    assert server.page_url == f"http://127.0.0.1:{port}/"
    assert server.loopback
    server.stop()
    server.stop()  # twice is harmless
    with pytest.raises(OSError):  # noqa: PT011 (refused connection: the class varies by OS)
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    for bad in ({"timeout": 0}, {"max_rows": 0}, {"entailment": "magic"}, {"port": 70000}):
        with pytest.raises(genai_graph.GenAIGraphError):
            SparqlServer(kg, **bad)  # type: ignore[arg-type]
