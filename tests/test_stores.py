"""store="oxigraph": the same answers as the memory store, persisted, bulk-loaded, with progress."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.term import Node

import genai_graph
from genai_graph import GenAIGraphError, OntologyLoadError, StoreError
from genai_graph.stores import LoadProgress

from .conftest import DATA, require_module

require_module("pyoxigraph")
require_module("oxrdflib")


@pytest.fixture(scope="module")
def memory() -> genai_graph.KnowledgeGraph:
    """tests/data/mini.ttl with the bundled ontology, in memory."""
    return genai_graph.load(DATA / "mini.ttl")


@pytest.fixture(scope="module")
def oxi(tmp_path_factory: pytest.TempPathFactory) -> genai_graph.KnowledgeGraph:
    """Load the same into an Oxigraph database on disk."""
    path = tmp_path_factory.mktemp("ox") / "db"
    return genai_graph.load(DATA / "mini.ttl", store="oxigraph", path=path)


def _shape(graph: Graph) -> tuple[set[tuple[Node, ...]], Counter[tuple[Node | None, ...]]]:
    """Return the statements without blank nodes, and a count of the others with blank nodes blanked.

    A cheap stand-in for isomorphism (rdflib's canonical hashing takes most of a
    minute on the bundled ontology's blank nodes).
    """
    ground: set[tuple[Node, ...]] = set()
    blank: Counter[tuple[Node | None, ...]] = Counter()
    for triple in graph:
        if any(isinstance(t, BNode) for t in triple):
            blank[tuple(None if isinstance(t, BNode) else t for t in triple)] += 1
        else:
            ground.add(triple)
    return ground, blank


def test_same_triples(memory: genai_graph.KnowledgeGraph, oxi: genai_graph.KnowledgeGraph) -> None:
    """Oxigraph's parser and rdflib's read the same statements, literals included."""
    assert len(memory.graph) == len(oxi.graph)
    assert _shape(memory.graph) == _shape(oxi.graph)


@pytest.mark.parametrize("regime", ["told", "rdfs", "el"])
def test_same_answers(
    memory: genai_graph.KnowledgeGraph, oxi: genai_graph.KnowledgeGraph, regime: str
) -> None:
    """is_a, ancestors, descendants and explanations agree with the memory store."""
    index = memory._index(regime)
    nodes = sorted(index.classes | index.individuals())
    rng = random.Random(7)
    for x, y in [(rng.choice(nodes), rng.choice(nodes)) for _ in range(400)]:
        assert memory.is_a(x, y, entailment=regime) == oxi.is_a(x, y, entailment=regime)
    for x in rng.sample(nodes, 40):
        assert set(memory.ancestors(x, entailment=regime).iris) == set(
            oxi.ancestors(x, entailment=regime).iris
        )
        assert set(memory.descendants(x, entailment=regime).iris) == set(
            oxi.descendants(x, entailment=regime).iris
        )
    assert str(memory.explain("GPT-4", "Generative AI", entailment=regime)) == str(
        oxi.explain("GPT-4", "Generative AI", entailment=regime)
    )


def test_sparql_on_oxigraph(oxi: genai_graph.KnowledgeGraph) -> None:
    """SPARQL runs against the Oxigraph-backed graph, with and without entailment."""
    q = "ASK { genai:GPT4 a genai:GenerativeAI }"
    assert oxi.query(q) is False
    assert oxi.query(q, entailment="rdfs") is True
    rows = oxi.query("SELECT ?c WHERE { ?c rdfs:subClassOf+ genai:GenerativeAI }")
    assert genai_graph.GENAI.LargeLanguageModel in {row.c for row in rows}


def test_persists_and_reopens_without_reparsing(tmp_path: Path) -> None:
    """A reopened store has every triple and every change; the bundled ontology is added once."""
    path = tmp_path / "db"
    with genai_graph.load(DATA / "mini.ttl", store="oxigraph", path=path) as kg:
        kg.graph.add((URIRef("http://example.org/x"), RDFS.label, Literal("added later")))
        expected = _shape(kg.graph)
        size = len(kg.graph)
        assert kg.concept("added later").iri == URIRef("http://example.org/x")
    calls: list[LoadProgress] = []
    with genai_graph.load(store="oxigraph", path=path, progress=calls.append) as again:
        assert len(again.graph) == size  # the bundled ontology was not added twice
        assert _shape(again.graph) == expected
        assert again.is_a("LLM", "Generative AI")
    assert calls == []  # nothing was parsed


def test_changes_invalidate_answers(tmp_path: Path) -> None:
    """Adding a statement to an Oxigraph-backed graph changes the next answer."""
    with genai_graph.load(store="oxigraph", path=tmp_path / "db", entailment="told") as kg:
        assert not kg.is_a("GPT-4", "Diffusion Model")
        kg.graph.add((genai_graph.GENAI.GPT4, RDFS.subClassOf, genai_graph.GENAI.DiffusionModel))
        kg.graph.add((genai_graph.GENAI.GPT4, genai_graph.GENAI.foo, Literal("x")))
        assert kg.is_a("GPT-4", "Diffusion Model")


def test_progress_reports_batches(tmp_path: Path) -> None:
    """A 210,000-triple file reports progress after each batch, with the total known up front."""
    source = tmp_path / "big.nt"
    with source.open("w") as f:
        for i in range(210_000):
            f.write(
                f"<http://example.org/c{i}> <{RDFS.subClassOf}> <http://example.org/c{i // 2}> .\n"
            )
    calls: list[LoadProgress] = []
    with genai_graph.load(source, store="oxigraph", bundled=False, progress=calls.append) as kg:
        assert len(calls) == 3
        assert [c.triples for c in calls] == [100_000, 200_000, 210_000]
        assert all(c.total == 210_000 and c.source == str(source) for c in calls)
        assert calls[-1].rate > 0
        assert kg.is_a("http://example.org/c209999", "http://example.org/c1")
    memory_calls: list[LoadProgress] = []
    genai_graph.load(DATA / "mini.ttl", bundled=False, progress=memory_calls.append)
    assert len(memory_calls) == 1 and memory_calls[0].total is None


def test_syntax_error_leaves_the_store_unchanged(tmp_path: Path) -> None:
    """A malformed file is refused with its line and column, and nothing of it is loaded."""
    path = tmp_path / "db"
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix : <http://example.org/> .\n:a :b :c .\n:a :b ;; .\n")
    with genai_graph.load(store="oxigraph", path=path) as kg:
        size = len(kg.graph)
    with pytest.raises(OntologyLoadError) as err:
        genai_graph.load(bad, store="oxigraph", path=path)
    assert (err.value.line, err.value.column) == (3, 7)
    assert "bad.ttl:3:7" in str(err.value)
    with genai_graph.load(store="oxigraph", path=path) as kg:
        assert len(kg.graph) == size


def test_other_formats_go_through_rdflib(tmp_path: Path) -> None:
    """Sources Oxigraph does not parse itself (rdflib graphs, JSON-LD) still load."""
    g = Graph()
    g.add((URIRef("http://example.org/a"), RDFS.subClassOf, URIRef("http://example.org/b")))
    with genai_graph.load(g, store="oxigraph", bundled=False) as kg:
        assert kg.is_a("http://example.org/a", "http://example.org/b")


def test_bad_store_arguments(tmp_path: Path) -> None:
    """Unknown stores, a path for the memory store, a file as database, a closed store: clear errors."""
    with pytest.raises(GenAIGraphError, match="unknown store 'sqlite'"):
        genai_graph.load(store="sqlite")
    with pytest.raises(GenAIGraphError, match="path= is for store='oxigraph'"):
        genai_graph.load(path=tmp_path)
    not_a_dir = tmp_path / "file"
    not_a_dir.write_text("x")
    with pytest.raises(StoreError, match="not a directory"):
        genai_graph.load(store="oxigraph", path=not_a_dir)
    kg = genai_graph.load(store="oxigraph", path=tmp_path / "db")
    with pytest.raises(StoreError, match=r"cannot open the Oxigraph store"):
        genai_graph.load(store="oxigraph", path=tmp_path / "db")
    kg.close()
    with pytest.raises(StoreError, match="closed"):
        kg.query("ASK { ?s ?p ?o }")


def test_cli_database_and_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--db DIR` loads a file once with a progress bar; the next run opens DIR without it."""
    from genai_graph.cli import main

    source = tmp_path / "chain.nt"
    source.write_text(
        "".join(
            f"<http://example.org/c{i}> <{RDFS.subClassOf}> <http://example.org/c{i + 1}> .\n"
            for i in range(1000)
        )
    )
    db = str(tmp_path / "db")
    args = ["is-a", "http://example.org/c0", "http://example.org/c1000", "--db", db]
    assert main([*args, "-O", str(source), "--progress"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("yes:")
    assert "loading chain.nt [" in err and "100%" in err and "triples/s" in err
    assert main(args) == 0  # the database remembers the file
    out, err = capsys.readouterr()
    assert out.startswith("yes:") and err == ""
