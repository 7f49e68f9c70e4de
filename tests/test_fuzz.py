"""Property-based and fuzz tests: whatever comes in, only our own errors come out.

Bounded runs with hypothesis (no atheris): the file loaders get random bytes
and mutated valid Turtle, RDF/XML and JSON-LD under every extension; the
command line gets random argument lists; names and SPARQL bindings get
arbitrary text. Each run is limited by ``max_examples`` and takes seconds.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from rdflib import Literal
from rdflib.compare import isomorphic

import genai_graph
from genai_graph import GenAIGraphError, GenAIGraphWarning, KnowledgeGraph, OntologyLoadError
from genai_graph.cli import main
from genai_graph.sparql import SelectResult

from .conftest import MINI
from .strategies import RandomOntology, el_ontologies, rdf_graphs

FUZZ = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

SEEDS = {
    ".ttl": MINI.read_bytes()[:1500],
    ".rdf": b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    b' xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" xmlns:ex="http://example.org/">\n'
    b'  <rdf:Description rdf:about="http://example.org/A">\n'
    b'    <rdfs:subClassOf rdf:resource="http://example.org/B"/>\n'
    b'    <rdfs:label xml:lang="en">A &amp; B</rdfs:label>\n'
    b"  </rdf:Description>\n</rdf:RDF>\n",
    ".jsonld": b'{"@context": {"ex": "http://example.org/", "rdfs": "http://www.w3.org/2000/01/rdf-schema#"},\n'
    b' "@graph": [{"@id": "ex:A", "rdfs:subClassOf": {"@id": "ex:B"},\n'
    b' "rdfs:label": {"@value": "A", "@language": "en"}}, {"@id": "_:b", "ex:p": [1, 2.5, true]}]}\n',
    ".nt": b'<http://example.org/A> <http://www.w3.org/2000/01/rdf-schema#label> "A"@en .\n'
    b"_:b <http://example.org/p> <http://example.org/A> .\n",
}
EXTENSIONS = [
    ".ttl",
    ".rdf",
    ".owl",
    ".xml",
    ".jsonld",
    ".json",
    ".nt",
    ".n3",
    ".trig",
    ".nq",
    ".txt",
    "",
]


@pytest.fixture(autouse=True)
def _quiet() -> Iterator[None]:
    """Warnings (owl:imports, unsupported constructs) and rdflib's log lines are expected here."""
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GenAIGraphWarning)
        yield
    logger.setLevel(level)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """Draw a valid document, then a few byte flips, deletions, insertions, duplications or a cut."""
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[suffix])
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "cut"]))
        if kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif kind == "insert":
            data[at:at] = draw(
                st.one_of(
                    st.binary(max_size=8),
                    st.sampled_from([b"<", b">", b'"', b"\\", b"@", b"{", b"[", b"(", b".", b";",
                                     b"&#0;", b"\\u0000", b"<!ENTITY x SYSTEM 'file:///etc/passwd'>"]),
                )
            )  # fmt: skip
        elif kind == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 40))]
        else:
            del data[at:]
    extension = draw(st.sampled_from([suffix, suffix, *EXTENSIONS]))
    return extension, bytes(data)


def _load_or_own_error(path: Path) -> None:
    try:
        genai_graph.load(path, bundled=False).close()
    except OntologyLoadError as err:
        message = str(err)
    else:
        return
    assert message.startswith(f"cannot load {path}")


@FUZZ
@given(extension=st.sampled_from(EXTENSIONS), data=st.binary(max_size=600))
def test_loaders_on_random_bytes(tmp_path: Path, extension: str, data: bytes) -> None:
    """Random bytes under any extension: an empty or small graph, or OntologyLoadError."""
    path = tmp_path / f"fuzz{extension}"
    path.write_bytes(data)
    _load_or_own_error(path)


@FUZZ
@given(case=mutated())
def test_loaders_on_mutated_documents(tmp_path: Path, case: tuple[str, bytes]) -> None:
    """Valid Turtle, RDF/XML, JSON-LD and N-Triples, damaged: they load or fail with our error."""
    extension, data = case
    path = tmp_path / f"fuzz{extension}"
    path.write_bytes(data)
    _load_or_own_error(path)


WORDS = [
    "is-a", "explain", "relations", "similarity", "ancestors", "descendants", "query", "viz",
    "export", "report", "info", "--help", "-h", "--version", "-O", "--ontology", "--no-bundled",
    "-e", "--entailment", "told", "rdfs", "el", "owl-rl", "--format", "json", "text", "csv",
    "table", "tsv", "html", "graphml", "dot", "mermaid", "cytoscape", "-o", "--output", "out.html",
    "out.dot", "-", "--focus", "--depth", "--levels", "--explain", "-r", "--relation", "-i",
    "--inferred", "--taxonomy", "--timeout", "--max-rows", "0", "-1", "2", "1e9", "nan", "LLM",
    "GPT-4", "Generative AI", "genai:LargeLanguageModel", "Alpha", "Top", "Shared", "",
    "SELECT * WHERE { ?s ?p ?o } LIMIT 2", "ASK {}", "SELECT ?x WHERE {", "DROP ALL",
    "missing.ttl", str(MINI), "--file", "--", "=",
]  # fmt: skip
"""Every command but serve (which would wait for requests), with their options and values."""

COMMANDS = ["is-a", "explain", "relations", "similarity", "ancestors", "descendants", "query",
            "viz", "export", "report", "info"]  # fmt: skip
_word = st.one_of(st.sampled_from(WORDS), st.text(max_size=12))
argv_lists = st.one_of(
    st.lists(_word, max_size=8),  # anything at all
    st.tuples(st.sampled_from(COMMANDS), st.lists(_word, max_size=6)).map(
        lambda c: [c[0], *c[1]]  # a real command, so the fuzz gets past argparse
    ),
).map(lambda words: words if "serve" not in words else [])


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(argv=argv_lists, stdin=st.text(max_size=60), mini=st.booleans())
def test_cli_arguments(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin: str,
    mini: bool,
) -> None:
    """Random argument lists: exit 0, 1 or 2 (argparse's own 2 included), never a traceback."""
    monkeypatch.chdir(tmp_path)  # outputs land here
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    if mini and argv and not argv[0].startswith("-"):
        argv = [*argv[:1], "--no-bundled", "-O", str(MINI), *argv[1:]]
    try:
        code = main(argv)
    except SystemExit as done:  # argparse: --help, --version, usage errors
        code = done.code if isinstance(done.code, int) else 2
    out, err = capsys.readouterr()
    event(f"exit {code}")
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in out + err
    if code == 2 and "usage:" not in err:
        assert "genai-graph: error: " in err, (argv, err)


@settings(max_examples=300, deadline=None)
@given(name=st.text(max_size=40))
def test_names_resolve_or_raise_our_error(kg: KnowledgeGraph, name: str) -> None:
    """Any text as a name: a concept, or UnknownConceptError/AmbiguousNameError/GenAIGraphError."""
    try:
        concept = kg.concept(name)
    except GenAIGraphError as err:
        message = str(err)
    else:
        assert kg.concept(concept.iri) == concept
        return
    assert message and "\n" not in message.replace(
        name, ""
    )  # and what it resolved to resolves to itself


@settings(max_examples=60, deadline=None)
@given(
    name=st.sampled_from(["Large Language Model", "LLM", "GPT-4", "Generative AI"]), data=st.data()
)
def test_names_survive_case_and_space_changes(
    kg: KnowledgeGraph, name: str, data: st.DataObject
) -> None:
    """Labels are found whatever the case and surrounding whitespace."""
    spaced = (
        data.draw(st.sampled_from(["", " ", "\t", "  "]))
        + name
        + data.draw(st.sampled_from(["", " ", "\n"]))
    )
    variant = data.draw(st.sampled_from([spaced, spaced.lower(), spaced.upper()]))
    assert kg.concept(variant) == kg.concept(name)


binding_values = st.one_of(
    st.text(max_size=30),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.booleans(),
    st.decimals(allow_nan=False, allow_infinity=False, places=4),
    st.dates(),
    st.datetimes(),
)


@settings(max_examples=200, deadline=None)
@given(value=binding_values)
def test_bindings_are_data(mini: KnowledgeGraph, value: object) -> None:
    """Any binding value comes back as the literal it stands for; the graph never changes."""
    before = len(mini)
    rows = mini.query("SELECT ?v WHERE { BIND(?x AS ?v) }", bindings={"x": value})
    assert isinstance(rows, SelectResult)
    assert [row.v for row in rows] == [Literal(value)]
    if isinstance(value, str):
        found = mini.query(
            "SELECT ?c WHERE { ?c rdfs:label ?l FILTER(STR(?l) = ?t) }", bindings={"t": value}
        )
        assert isinstance(found, SelectResult)
        labels = {str(label) for label in mini.graph.objects(None, _LABEL)}
        assert (len(found) > 0) == (value in labels)
    assert len(mini) == before


_LABEL = genai_graph.load(bundled=False).graph.namespace_manager.expand_curie("rdfs:label")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(onto=el_ontologies)
def test_generated_ontologies_answer_and_round_trip(tmp_path: Path, onto: RandomOntology) -> None:
    """Random EL ontologies (cycles, restrictions, definitions): every is_a answers; save loses nothing."""
    path = tmp_path / "onto.ttl"
    path.write_text(onto.turtle("http://example.org/r#"), encoding="utf-8")
    kg = genai_graph.load(path, bundled=False)
    names = [f"http://example.org/r#C{i}" for i in range(onto.n)]
    for x in names:
        assert kg.is_a(x, x)
        for y in names:
            kg.is_a(x, y)  # answers, never raises or hangs
    again = genai_graph.load(kg.save(tmp_path / "again.ttl"), bundled=False)
    assert isomorphic(kg.graph, again.graph)
    for a, b in onto.parents:
        assert again.is_a(names[a], names[b])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(graph=rdf_graphs(), data=st.data())
def test_modified_graphs_keep_every_triple(
    tmp_path: Path, graph: object, data: st.DataObject
) -> None:
    """Remove some triples from a generated graph, save, load: exactly the rest comes back."""
    kg = genai_graph.load(graph, bundled=False)  # type: ignore[arg-type]
    triples = sorted(kg.graph, key=str)
    assume(triples)
    for triple in data.draw(st.lists(st.sampled_from(triples), max_size=3)):
        kg.graph.remove(triple)
    again = genai_graph.load(kg.save(tmp_path / "m.nt"), bundled=False)
    assert isomorphic(kg.graph, again.graph)
