"""Loading files in every RDF syntax, and the errors for files that cannot be loaded."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import pickle
import threading
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDFS, XSD

import genai_graph
from genai_graph import GenAIGraphWarning, OntologyLoadError

from .conftest import MINI

A, B = URIRef("http://example.org/x#A"), URIRef("http://example.org/x#B")


@pytest.fixture(scope="module")
def small() -> Graph:
    """Two classes, one subClassOf."""
    g = Graph()
    g.add((A, RDFS.subClassOf, B))
    g.add((A, RDFS.label, Literal("Aaa")))
    return g


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [
        (".ttl", "turtle"),
        (".owl", "xml"),
        (".rdf", "xml"),
        (".nt", "nt"),
        (".jsonld", "json-ld"),
        (".n3", "n3"),
    ],
)
def test_formats_by_extension(tmp_path: Path, small: Graph, suffix: str, fmt: str) -> None:
    """Each syntax loads by its extension and gives the same answers."""
    path = tmp_path / f"onto{suffix}"
    path.write_text(small.serialize(format=fmt), encoding="utf-8")
    kg = genai_graph.load(path, bundled=False)
    assert kg.is_a("Aaa", B)


@pytest.mark.parametrize("fmt", ["turtle", "xml", "json-ld", "nt"])
def test_formats_by_content(tmp_path: Path, small: Graph, fmt: str) -> None:
    """A file with an unhelpful extension is recognised by its content."""
    path = tmp_path / "onto.data"
    path.write_text(small.serialize(format=fmt), encoding="utf-8")
    assert genai_graph.load(path, bundled=False).is_a("Aaa", B)


def test_rdflib_graph_source_is_copied(small: Graph) -> None:
    """An rdflib Graph is a source too, and loading never changes it."""
    before = len(small)
    kg = genai_graph.load(small, bundled=False)
    kg.graph.add((B, RDFS.subClassOf, A))
    assert len(small) == before
    assert kg.is_a("Aaa", B)


def test_several_sources_merge(tmp_path: Path) -> None:
    """Sources are merged, and the bundled ontology comes along by default."""
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix genai: <https://w3id.org/genai-graph/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<http://example.org/MyChatModel> rdfs:subClassOf genai:LargeLanguageModel ;"
        ' rdfs:label "My Chat Model" .\n',
        encoding="utf-8",
    )
    kg = genai_graph.load(extra, MINI)
    assert kg.is_a("My Chat Model", "Generative AI")
    assert kg.is_a("Delta", "Top")


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e "open .\n', 3, 11),
        ("@prefix ex: <http://e/> .\n\nex:a ex:b .\n", 3, 11),
        ("ex:a ex:b ex:c .\n", 1, 1),  # undeclared prefix
    ],
)
def test_turtle_errors_have_line_numbers(tmp_path: Path, text: str, line: int, column: int) -> None:
    """Malformed Turtle fails with the file, line and column of the problem."""
    path = tmp_path / "bad.ttl"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(OntologyLoadError) as caught:
        genai_graph.load(path, bundled=False)
    err = caught.value
    assert err.source == str(path)
    assert err.line == line
    assert err.column is not None and abs(err.column - column) <= 12
    assert f"bad.ttl:{line}:" in str(err)


def test_rdfxml_error_has_line_number(tmp_path: Path) -> None:
    """Malformed RDF/XML fails with its line and column."""
    path = tmp_path / "bad.owl"
    path.write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<oops>\n',
        encoding="utf-8",
    )
    with pytest.raises(OntologyLoadError) as caught:
        genai_graph.load(path, bundled=False)
    assert caught.value.line == 4


def test_jsonld_error_has_line_number(tmp_path: Path) -> None:
    """Malformed JSON-LD fails with its line and column."""
    path = tmp_path / "bad.jsonld"
    path.write_text('{\n  "@id": "http://e/a",\n  "x": \n}\n', encoding="utf-8")
    with pytest.raises(OntologyLoadError) as caught:
        genai_graph.load(path, bundled=False)
    assert caught.value.line == 4


def test_missing_file(tmp_path: Path) -> None:
    """A missing file names itself."""
    with pytest.raises(OntologyLoadError, match="no such file"):
        genai_graph.load(tmp_path / "nope.ttl")


def test_directory(tmp_path: Path) -> None:
    """A directory is not an RDF file."""
    with pytest.raises(OntologyLoadError, match="directory"):
        genai_graph.load(tmp_path)


def test_binary_file(tmp_path: Path) -> None:
    """Binary data gets a clear error, not a parser crash."""
    path = tmp_path / "image.ttl"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(OntologyLoadError, match=r"UTF-8|binary"):
        genai_graph.load(path, bundled=False)


def test_latin1_file(tmp_path: Path) -> None:
    """A Turtle file that is not UTF-8 is reported with the line of the first bad byte."""
    path = tmp_path / "latin.ttl"
    path.write_bytes(b'@prefix ex: <http://e/> .\nex:a ex:b "caf\xe9" .\n')
    with pytest.raises(OntologyLoadError) as caught:
        genai_graph.load(path, bundled=False)
    assert caught.value.line == 2
    assert "UTF-8" in str(caught.value)


def test_empty_file_is_an_empty_graph(tmp_path: Path) -> None:
    """An empty Turtle file is valid and adds nothing."""
    path = tmp_path / "empty.ttl"
    path.write_text("", encoding="utf-8")
    assert len(genai_graph.load(path, bundled=False)) == 0


def test_owl_imports_are_not_fetched(tmp_path: Path) -> None:
    """owl:imports is kept as a statement and never fetched (this machine has no network to fetch with)."""
    path = tmp_path / "imports.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "<http://example.org/o> a owl:Ontology ; owl:imports <http://purl.obolibrary.org/obo/bfo.owl> .\n",
        encoding="utf-8",
    )
    with pytest.warns(
        GenAIGraphWarning, match=r"imports <http://purl.obolibrary.org/obo/bfo.owl>, not fetched"
    ):
        kg = genai_graph.load(path, bundled=False)
    assert len(kg) == 2


def test_n3_formulas_are_not_asserted(tmp_path: Path) -> None:
    """An N3 rule's quoted formulas are not statements: only plain triples are loaded."""
    path = tmp_path / "rules.n3"
    path.write_text(
        "@prefix : <http://e/> .\n:a :b :c .\n{ :x :y :z } => { :x :y :w } .\n", encoding="utf-8"
    )
    kg = genai_graph.load(path, bundled=False)
    assert set(kg.graph) == {(URIRef("http://e/a"), URIRef("http://e/b"), URIRef("http://e/c"))}


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the bundled-ontology cache at an empty directory and forget the in-process copy."""
    from genai_graph import loading

    monkeypatch.setenv("GENAI_GRAPH_CACHE", str(tmp_path))
    loading._bundled_triples.cache_clear()
    yield tmp_path
    loading._bundled_triples.cache_clear()


def _reload() -> tuple[tuple[Any, Any, Any], ...]:
    """Read the bundled triples again, as a new process would (from the cache when it is good)."""
    from genai_graph import loading

    loading._bundled_triples.cache_clear()
    return loading.bundled_triples()


def test_bundled_cache_is_written_and_used(fresh_cache: Path) -> None:
    """The first load writes the parsed triples to the cache; the next reads them, identical.

    A parse makes new blank nodes, so getting the very same blank nodes back shows the
    second call read the cache instead of parsing.
    """
    from genai_graph import loading

    first = set(loading.bundled_triples())
    assert any(isinstance(term, BNode) for triple in first for term in triple)
    (cached,) = fresh_cache.iterdir()
    assert cached.name.startswith("bundled-")
    assert cached.stat().st_size > 1000
    assert set(_reload()) == first
    assert set(_reload()) == first
    assert [path.name for path in fresh_cache.iterdir()] == [cached.name]  # no temporary files left


def test_cache_is_data_not_code(fresh_cache: Path) -> None:
    """The cache is a JSON text of terms, never a pickle: there is nothing in it to execute."""
    from genai_graph import loading

    loading.bundled_triples()
    (cached,) = fresh_cache.iterdir()
    data = cached.read_bytes()
    assert not cached.name.endswith(".pickle")
    assert not data.startswith(b"\x80")  # the pickle protocol 2+ opcode
    header, body = data.split(b"\n", 1)
    assert header.startswith(b"genai-graph triples")
    json.loads(body)


class _Plant:
    """A pickle payload that writes a marker file when unpickled: the old cache's hole."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "PWNED"))


def _corruptions(good: bytes, marker: Path) -> dict[str, bytes]:
    header, body = good.split(b"\n", 1)
    terms = json.loads(body)
    out_of_range = dict(terms, triples=[0, 1, 10**9])
    negative = dict(terms, triples=[-1, -2, -3])
    return {
        "empty": b"",
        "truncated": good[: len(good) // 2],
        "flipped byte": good[:-50] + bytes([good[-50] ^ 1]) + good[-49:],
        "not text": b"\x00\xff" * 100,
        "pickle": pickle.dumps(_Plant(marker)),
        "pickle behind the header": header + b"\n" + pickle.dumps(_Plant(marker)),
        "index out of range": _resigned(header, out_of_range),
        "negative index": _resigned(header, negative),
        "wrong shape": _resigned(header, {"terms": "x", "triples": {}}),
        "unknown term kind": _resigned(header, dict(terms, terms=[["q", "x"]], triples=[0, 0, 0])),
        "literal subject": _resigned(
            header, dict(terms, terms=[["l", "x", None, None]], triples=[0, 0, 0])
        ),
    }


def _resigned(header: bytes, doc: Any) -> bytes:
    """Return a cache file whose checksum matches its (wrong) contents."""
    body = json.dumps(doc).encode()
    words = header.split(b" ")
    words[-1] = hashlib.sha256(body).hexdigest().encode()
    return b" ".join(words) + b"\n" + body


@pytest.mark.parametrize(
    "kind",
    [
        "empty",
        "truncated",
        "flipped byte",
        "not text",
        "pickle",
        "pickle behind the header",
        "index out of range",
        "negative index",
        "wrong shape",
        "unknown term kind",
        "literal subject",
    ],
)
def test_broken_cache_is_ignored_and_rewritten(fresh_cache: Path, kind: str) -> None:
    """A corrupt, truncated, foreign or planted cache is ignored, never executed.

    The ontology is parsed again, the answers hold and a good cache file replaces the bad one.
    """
    from genai_graph import loading

    expected = loading.bundled_triples()
    (cached,) = fresh_cache.iterdir()
    marker = fresh_cache.parent / f"{fresh_cache.name}-pwned.txt"
    cached.write_bytes(_corruptions(cached.read_bytes(), marker)[kind])
    again = _reload()  # a fresh parse: the blank nodes are new, the rest equal
    assert not marker.exists()
    assert len(again) == len(expected)
    assert _ground(again) == _ground(expected)
    assert set(again) != set(expected)  # parsed, not read: new blank nodes
    assert set(_reload()) == set(again)  # ... and cached again
    assert genai_graph.load().is_a("LLM", "Generative AI")


def _planted(fresh_cache: Path) -> tuple[Path, tuple[Any, Any, Any]]:
    """Replace the cache by a well-formed one with one extra triple; return it and that triple."""
    from genai_graph import loading

    triples = loading.bundled_triples()
    (cached,) = fresh_cache.iterdir()
    extra = (URIRef("http://example.org/planted"), RDFS.label, Literal("planted", lang="en"))
    cached.write_bytes(loading._encode_triples((*triples, extra)))
    return cached, extra


def test_own_cache_file_is_read(fresh_cache: Path) -> None:
    """A well-formed cache file of ours is believed as is (which is what makes it fast)."""
    _, extra = _planted(fresh_cache)
    assert extra in _reload()


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX ownership")
def test_cache_writable_by_others_is_ignored(fresh_cache: Path) -> None:
    """A cache file that anyone may write is not trusted: it is parsed again and replaced."""
    cached, extra = _planted(fresh_cache)
    cached.chmod(0o666)
    umask = os.umask(0o022)
    try:
        assert extra not in _reload()
    finally:
        os.umask(umask)
    assert not cached.stat().st_mode & 0o002  # the bad file's mode is not carried over
    assert extra not in _reload()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_cache_that_is_a_fifo_does_not_hang(fresh_cache: Path) -> None:
    """A FIFO planted where the cache file goes is skipped instead of blocking the read forever."""
    from genai_graph import loading

    expected = loading.bundled_triples()
    (cached,) = fresh_cache.iterdir()
    cached.unlink()
    os.mkfifo(cached)
    result: list[Any] = []
    reader = threading.Thread(target=lambda: result.append(_reload()), daemon=True)
    reader.start()
    reader.join(60)
    if reader.is_alive():  # blocked on the FIFO: let it go, then fail
        os.close(os.open(cached, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail("reading the cache blocked on a FIFO")
    assert _ground(result[0]) == _ground(expected)
    assert cached.is_file()  # replaced by a good cache file


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX ownership")
def test_cache_owned_by_someone_else_is_ignored(
    fresh_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache file another user owns (a shared cache directory) is not trusted."""
    _, extra = _planted(fresh_cache)
    uid = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: uid + 1)
    assert extra not in _reload()


def test_cache_round_trips_every_kind_of_term(fresh_cache: Path) -> None:
    """Language tags, datatypes, ill-typed and odd literals, blank nodes and IRIs survive the cache."""
    from genai_graph import loading

    s = URIRef("http://example.org/s")
    odd = [
        Literal("chat", lang="fr"),
        Literal("chat", lang="en-GB"),
        Literal("1", datatype=XSD.integer),
        Literal("true", datatype=XSD.boolean),
        Literal("2.0", datatype=XSD.double),
        Literal("abc", datatype=XSD.integer),
        Literal("x", datatype=URIRef("http://example.org/dt")),
        Literal('line\nbreak "quoted" \\ \u2028 \U0001f600 \x00'),
        Literal(""),
        BNode("b0"),
        URIRef("urn:x:y"),
        URIRef("http://example.org/é"),
    ]
    triples = tuple((s, URIRef(f"http://example.org/p{i}"), o) for i, o in enumerate(odd))
    decoded = loading._decode_triples(loading._encode_triples(triples))
    assert decoded == triples
    for (_, _, before), (_, _, after) in zip(triples, decoded, strict=True):
        assert type(after) is type(before)
        if isinstance(before, Literal):
            assert (after.language, after.datatype, str(after)) == (
                before.language,
                before.datatype,
                str(before),
            )


def test_cache_can_be_switched_off(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GENAI_GRAPH_CACHE=off writes nothing."""
    from genai_graph import loading

    monkeypatch.setenv("GENAI_GRAPH_CACHE", "off")
    assert loading.bundled_triples()
    assert list(fresh_cache.iterdir()) == []


def _ground(triples: Iterable[tuple[Any, Any, Any]]) -> set[tuple[Any, Any, Any]]:
    """Return the triples without blank nodes."""
    return {t for t in triples if not any(isinstance(term, BNode) for term in t)}


# -- no network, ever ---------------------------------------------------------------------------


@pytest.fixture
def web() -> Iterator[tuple[str, list[str]]]:
    """Run a real HTTP server on 127.0.0.1 that serves a JSON-LD context and records every request."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            body = b'{"@context": {"name": "http://schema.org/name"}}'
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_web_fixture_sees_what_rdflib_fetches(web: tuple[str, list[str]]) -> None:
    """rdflib on its own fetches a remote @context: the server below would see genai-graph do it."""
    url, hits = web
    doc = {"@context": f"{url}/ctx.jsonld", "@id": "http://ex.org/a", "name": "A"}
    graph = Graph()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        graph.parse(data=json.dumps(doc), format="json-ld")
    assert hits == ["/ctx.jsonld"]
    assert (URIRef("http://ex.org/a"), URIRef("http://schema.org/name"), Literal("A")) in graph


def _remote_contexts(url: str, tmp_path: Path) -> list[tuple[Any, str]]:
    local = tmp_path / "ctx.jsonld"
    local.write_text('{"@context": {"name": "http://schema.org/name"}}', encoding="utf-8")
    node = {"@id": "http://ex.org/a", "name": "A"}
    return [
        ({"@context": f"{url}/ctx.jsonld", **node}, f"{url}/ctx.jsonld"),
        ({"@context": [{"x": "http://e/x"}, f"{url}/list.jsonld"], **node}, f"{url}/list.jsonld"),
        (
            {"@context": {"@version": 1.1, "@import": f"{url}/imp.jsonld"}, **node},
            f"{url}/imp.jsonld",
        ),
        (
            {"@context": {"knows": {"@id": "http://e/knows", "@context": f"{url}/scoped"}}, **node},
            f"{url}/scoped",
        ),
        ({"@graph": [{"@context": f"{url}/nested", **node}]}, f"{url}/nested"),
        ([{"@context": f"{url}/top-list", **node}], f"{url}/top-list"),
        ({"@context": local.as_uri(), **node}, local.as_uri()),
        ({"@context": "ctx.jsonld", **node}, "ctx.jsonld"),
    ]


@pytest.mark.parametrize("case", range(8))
def test_jsonld_context_references_are_refused_unfetched(
    tmp_path: Path, web: tuple[str, list[str]], case: int
) -> None:
    """A JSON-LD @context or @import that names a document (http, file or relative) is refused, never fetched."""
    url, hits = web
    doc, offender = _remote_contexts(url, tmp_path)[case]
    path = tmp_path / "remote.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(OntologyLoadError) as caught:
        genai_graph.load(path, bundled=False)
    assert hits == []
    assert caught.value.source == str(path)
    assert offender in str(caught.value)
    assert "inline" in str(caught.value)


def test_inline_jsonld_contexts_still_load(tmp_path: Path) -> None:
    """Inline @context objects (alone, in a list, scoped, or null) need no fetching and keep working."""
    doc = {
        "@context": [{"ex": "http://example.org/x#"}, {"sub": {"@id": "ex:sub", "@type": "@id"}}],
        "@graph": [
            {"@id": "ex:A", "sub": "ex:B", "http://www.w3.org/2000/01/rdf-schema#label": "Aaa"},
            {"@context": None, "@id": "http://example.org/x#C", "http://e/p": "c"},
        ],
    }
    path = tmp_path / "inline.jsonld"
    path.write_text(json.dumps(doc), encoding="utf-8")
    kg = genai_graph.load(path, bundled=False)
    assert (A, URIRef("http://example.org/x#sub"), B) in kg.graph
    assert (URIRef("http://example.org/x#C"), URIRef("http://e/p"), Literal("c")) in kg.graph


@pytest.mark.parametrize(
    ("suffix", "template"),
    [
        (
            ".ttl",
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
            "<http://example.org/o> a owl:Ontology ; owl:imports <{url}/imported.owl> .\n"
            "<http://example.org/x#A> rdfs:subClassOf <http://example.org/x#B> .\n",
        ),
        (
            ".owl",
            '<?xml version="1.0"?>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
            ' xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" xmlns:owl="http://www.w3.org/2002/07/owl#">\n'
            '<owl:Ontology rdf:about="http://example.org/o"><owl:imports rdf:resource="{url}/imported.owl"/></owl:Ontology>\n'
            '<owl:Class rdf:about="http://example.org/x#A"><rdfs:subClassOf rdf:resource="http://example.org/x#B"/></owl:Class>\n'
            "</rdf:RDF>\n",
        ),
        (
            ".jsonld",
            '{{"@context": {{"owl": "http://www.w3.org/2002/07/owl#"}}, "@graph": ['
            '{{"@id": "http://example.org/o", "@type": "owl:Ontology", "owl:imports": {{"@id": "{url}/imported.owl"}}}},'
            '{{"@id": "http://example.org/x#A", "http://www.w3.org/2000/01/rdf-schema#subClassOf": {{"@id": "http://example.org/x#B"}}}}]}}',
        ),
    ],
)
def test_owl_imports_reach_no_server(
    tmp_path: Path, web: tuple[str, list[str]], suffix: str, template: str
) -> None:
    """owl:imports pointing at a live server is kept as a statement; no regime fetches it."""
    url, hits = web
    path = tmp_path / f"imports{suffix}"
    path.write_text(template.format(url=url), encoding="utf-8")
    with pytest.warns(GenAIGraphWarning, match="not fetched"):
        kg = genai_graph.load(path, bundled=False)
    assert (URIRef("http://example.org/o"), OWL.imports, URIRef(f"{url}/imported.owl")) in kg.graph
    for regime in ("told", "rdfs", "el", "owl-rl"):
        assert kg.is_a(A, B, entailment=regime)
    assert hits == []


def test_rdfxml_external_entities_are_not_resolved(
    tmp_path: Path, web: tuple[str, list[str]]
) -> None:
    """RDF/XML external entities and DTDs (http or file) are neither fetched nor read."""
    url, hits = web
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET", encoding="utf-8")
    path = tmp_path / "xxe.rdf"
    path.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rdf:RDF SYSTEM "{url}/dtd" [\n'
        f'  <!ENTITY web SYSTEM "{url}/entity">\n'
        f'  <!ENTITY file SYSTEM "{secret.as_uri()}">\n'
        f'  <!ENTITY % param SYSTEM "{url}/param"> %param;\n'
        "]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        '<rdf:Description rdf:about="http://ex.org/a"><rdfs:label>[&web;][&file;]</rdfs:label>'
        "</rdf:Description></rdf:RDF>\n",
        encoding="utf-8",
    )
    kg = genai_graph.load(path, bundled=False)
    assert hits == []
    (label,) = kg.graph.objects(URIRef("http://ex.org/a"), RDFS.label)
    assert "TOP-SECRET" not in label


@pytest.mark.parametrize("scheme", ["http", "https", "ftp"])
def test_url_sources_are_refused(web: tuple[str, list[str]], scheme: str) -> None:
    """A URL given as a source is refused with a clear message: genai-graph never downloads."""
    url, hits = web
    source = url.replace("http", scheme, 1) + "/onto.ttl"
    with pytest.raises(OntologyLoadError, match=r"URL.*download") as caught:
        genai_graph.load(source, bundled=False)
    assert caught.value.source == source
    assert hits == []


def test_file_uri_sources_load(tmp_path: Path, small: Graph) -> None:
    """A file: URI names a local file, so it is read like the path it stands for."""
    path = tmp_path / "onto with space.ttl"
    path.write_text(small.serialize(format="turtle"), encoding="utf-8")
    assert genai_graph.load(path.as_uri(), bundled=False).is_a("Aaa", B)


# -- rdflib datasets --------------------------------------------------------------------------


def _dataset(cls: type[Dataset]) -> Dataset:
    """Return a dataset with one triple in its default graph and one in each of two named graphs."""
    if cls is Dataset:
        ds = Dataset()
        default, named = ds.default_graph, ds.graph
    else:
        with pytest.warns(DeprecationWarning, match="ConjunctiveGraph is deprecated"):
            ds = cls()
        default, named = ds.default_context, ds.get_context
    default.add((A, RDFS.label, Literal("Aaa")))
    named(URIRef("http://example.org/g")).add((A, RDFS.subClassOf, B))
    named(URIRef("http://example.org/h")).add((B, RDFS.label, Literal("Bee")))
    return ds


@pytest.mark.parametrize("cls", [Dataset, ConjunctiveGraph])
def test_datasets_merge_every_graph(cls: type[Dataset]) -> None:
    """A Dataset or ConjunctiveGraph loads all its graphs, default and named, merged into one."""
    ds = _dataset(cls)
    before = set(ds.quads((None, None, None, None)))
    for kg in (genai_graph.load(ds, bundled=False), genai_graph.KnowledgeGraph(ds)):
        assert set(kg.graph) == {
            (A, RDFS.label, Literal("Aaa")),
            (A, RDFS.subClassOf, B),
            (B, RDFS.label, Literal("Bee")),
        }
        assert kg.is_a("Aaa", "Bee")
    assert set(ds.quads((None, None, None, None))) == before


# -- formats by content -----------------------------------------------------------------------

_RDFXML_BODY = (
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
    '<rdf:Description rdf:about="http://example.org/x#A"><rdfs:label>Aaa</rdfs:label>'
    '<rdfs:subClassOf rdf:resource="http://example.org/x#B"/></rdf:Description></rdf:RDF>\n'
)


@pytest.mark.parametrize("suffix", [".owl", ".xml", ".rdf", ".data", ""])
@pytest.mark.parametrize(
    "text",
    [
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<http://example.org/x#A> rdfs:subClassOf <http://example.org/x#B> ; rdfs:label "Aaa" .\n',
        "# saved by Protégé\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        '<http://example.org/x#A> rdfs:subClassOf <http://example.org/x#B> ; rdfs:label "Aaa" .\n',
        "<http://example.org/x#A> <http://www.w3.org/2000/01/rdf-schema#subClassOf> <http://example.org/x#B> .\n"
        '<http://example.org/x#A> <http://www.w3.org/2000/01/rdf-schema#label> "Aaa" .\n',
        '\ufeff<?xml version="1.0"?>\n' + _RDFXML_BODY,
        "<!-- no XML declaration -->\n" + _RDFXML_BODY,
        _RDFXML_BODY,
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY rdfs "http://www.w3.org/2000/01/rdf-schema#"> ]>\n'
        + _RDFXML_BODY,
        '<owl:Class xmlns:owl="http://www.w3.org/2002/07/owl#"'
        ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        ' xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" rdf:about="http://example.org/x#A">'
        '<rdfs:label>Aaa</rdfs:label><rdfs:subClassOf rdf:resource="http://example.org/x#B"/></owl:Class>\n',
        '{"@id": "http://example.org/x#A", "http://www.w3.org/2000/01/rdf-schema#label": "Aaa",'
        ' "http://www.w3.org/2000/01/rdf-schema#subClassOf": {"@id": "http://example.org/x#B"}}',
    ],
    ids=[
        "turtle",
        "sparql-prefix",
        "ntriples",
        "xml-bom",
        "xml-comment",
        "xml-bare",
        "xml-doctype",
        "xml-node-root",
        "jsonld",
    ],
)
def test_owl_and_xml_files_are_read_by_content(tmp_path: Path, suffix: str, text: str) -> None:
    """.owl/.xml/.rdf and unknown extensions are read as what they contain (Protégé saves Turtle as .owl)."""
    path = tmp_path / f"onto{suffix}"
    path.write_text(text, encoding="utf-8")
    kg = genai_graph.load(path, bundled=False)
    assert kg.is_a("Aaa", B)


_OWLXML = (
    '<?xml version="1.0"?>\n'
    '<Ontology xmlns="http://www.w3.org/2002/07/owl#" xml:base="http://ex.org/o" ontologyIRI="http://ex.org/o">\n'
    '    <Declaration><Class IRI="#A"/></Declaration>\n'
    '    <SubClassOf><Class IRI="#B"/><Class IRI="#A"/></SubClassOf>\n'
    "</Ontology>\n"
)
_FUNCTIONAL = "Prefix(:=<http://ex.org/>)\nOntology(<http://ex.org/o>\nDeclaration(Class(:A))\nSubClassOf(:B :A)\n)\n"
_MANCHESTER = "Prefix: : <http://ex.org/>\nOntology: <http://ex.org/o>\nClass: A\nClass: B\n    SubClassOf: A\n"


@pytest.mark.parametrize(
    ("text", "syntax", "suffixes"),
    [
        (_OWLXML, "OWL/XML", [".owl", ".xml", ".owx", ".data"]),
        (_OWLXML.replace('<?xml version="1.0"?>\n', ""), "OWL/XML", [".owl"]),
        (
            _OWLXML.replace("?>\n", "?>\n<!-- " + "long header " * 1000 + "-->\n", 1),
            "OWL/XML",
            [".owl"],
        ),
        (
            _OWLXML.replace("<Ontology xmlns=", "<owl:Ontology xmlns:owl=")
            .replace("</Ontology>", "</owl:Ontology>")
            .replace("<Declaration><Class", "<owl:Declaration><owl:Class")
            .replace("</Declaration>", "</owl:Declaration>")
            .replace("<SubClassOf><Class", "<owl:SubClassOf><owl:Class")
            .replace("/><Class", "/><owl:Class")
            .replace("</SubClassOf>", "</owl:SubClassOf>"),
            "OWL/XML",
            [".owl"],
        ),
        (_FUNCTIONAL, "OWL Functional Syntax", [".owl", ".ofn", ".data", ""]),
        (
            "# a comment\n\n" + _FUNCTIONAL.replace("Prefix(", "Prefix (", 1),
            "OWL Functional Syntax",
            [".owl"],
        ),
        ("Ontology(<http://ex.org/o>\n)\n", "OWL Functional Syntax", [".owl"]),
        (_MANCHESTER, "Manchester", [".owl", ".omn", ".data"]),
        ("Ontology: <http://ex.org/o>\nClass: A\n", "Manchester", [".owl"]),
    ],
)
def test_unsupported_owl_syntaxes_say_how_to_convert(
    tmp_path: Path, text: str, syntax: str, suffixes: list[str]
) -> None:
    """OWL/XML, Functional and Manchester syntax are named, with the commands that convert them."""
    for suffix in suffixes:
        path = tmp_path / f"onto{suffix}"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(OntologyLoadError) as caught:
            genai_graph.load(path, bundled=False)
        message = str(caught.value)
        assert caught.value.source == str(path)
        assert syntax in message
        assert "robot convert" in message and "--format ttl" in message
        assert "Protégé" in message
        assert "parse error" not in message


def test_turtle_in_an_owl_file_reports_turtle_errors(tmp_path: Path) -> None:
    """A broken Turtle file named .owl gets a Turtle error with its line, and says it was read as Turtle."""
    path = tmp_path / "bad.owl"
    path.write_text("@prefix ex: <http://e/> .\n\nex:a ex:b .\n", encoding="utf-8")
    with pytest.raises(OntologyLoadError) as caught:
        genai_graph.load(path, bundled=False)
    assert caught.value.line == 3
    assert "Turtle" in str(caught.value)


def test_guess_format_sniffs_owl_files() -> None:
    """guess_format reads the content of .owl files and keeps the extension's answer when there is none."""
    from genai_graph.loading import guess_format

    assert guess_format("x.owl") == "xml"
    assert guess_format("x.owl", b"@prefix : <http://e/> .") == "turtle"
    assert (
        guess_format(
            "x.owl",
            b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
        )
        == "xml"
    )
    assert guess_format("x.owl", _OWLXML.encode()) == "owl-xml"
    assert guess_format("x.owl", _FUNCTIONAL.encode()) == "owl-functional"
    assert guess_format("x.owl", _MANCHESTER.encode()) == "owl-manchester"
    assert guess_format("x.ttl", _OWLXML.encode()) == "turtle"  # a Turtle extension is believed
    assert guess_format("x.owx") == "owl-xml"
    # Turtle and N-Triples that start with an IRI are not XML start tags
    for head in (
        b"<urn:isbn:1> <http://e/p> <http://e/o> .",
        b"<urn:isbn> <p> <o> .",
        b"<a> <b> <c> .",
    ):
        assert guess_format("x.owl", head) == "turtle"
