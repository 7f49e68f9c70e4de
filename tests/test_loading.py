"""Loading files in every RDF syntax, and the errors for files that cannot be loaded."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS

import genai_graph
from genai_graph import OntologyLoadError

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


def test_bundled_cache_is_written_and_used(fresh_cache: Path) -> None:
    """The first load writes the parsed triples to the cache; the next reads them, with the same answers."""
    from genai_graph import loading

    first = set(loading.bundled_triples())
    (cached,) = fresh_cache.glob("bundled-*.pickle")
    loading._bundled_triples.cache_clear()
    assert set(loading.bundled_triples()) == first
    assert cached.stat().st_size > 1000


def test_broken_cache_falls_back_to_parsing(fresh_cache: Path) -> None:
    """A truncated or foreign cache file is ignored: the ontology is parsed and the answers hold."""
    from genai_graph import loading

    expected = loading.bundled_triples()
    (cached,) = fresh_cache.glob("bundled-*.pickle")
    cached.write_bytes(b"not a pickle")
    loading._bundled_triples.cache_clear()
    again = loading.bundled_triples()  # a fresh parse: the blank nodes are new, the rest equal
    assert len(again) == len(expected)
    assert _ground(again) == _ground(expected)
    assert genai_graph.load().is_a("LLM", "Generative AI")


def test_cache_can_be_switched_off(fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """GENAI_GRAPH_CACHE=off writes nothing."""
    from genai_graph import loading

    monkeypatch.setenv("GENAI_GRAPH_CACHE", "off")
    assert loading.bundled_triples()
    assert list(fresh_cache.iterdir()) == []


def _ground(triples: Iterable[tuple[Any, Any, Any]]) -> set[tuple[Any, Any, Any]]:
    """Return the triples without blank nodes."""
    return {t for t in triples if not any(isinstance(term, BNode) for term in t)}
