"""Subsumption answers: a truth table on tests/data/mini.ttl and properties on random DAGs."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import genai_graph
from genai_graph.reasoning import SubsumptionIndex

EX = Namespace("http://example.org/mini#")
EL = Namespace("http://example.org/el#")
DATA_EL = Path(__file__).parent / "data" / "el.ttl"


@pytest.mark.parametrize(
    ("sub", "sup", "expected"),
    [
        ("Delta", "Top", True),  # through the diamond, either way
        ("Delta", "Alpha", True),
        ("Delta", "Beta", True),
        ("Top", "Delta", False),
        ("Alpha", "Beta", False),
        ("Epsilon", "Phi", True),  # cycle: both directions hold
        ("Phi", "Epsilon", True),
        ("Phi", "Top", True),
        ("Gamma", "Eta", True),  # equivalentClass: both directions
        ("Eta", "Gamma", True),
        ("Eta", "Alpha", True),  # through the equivalence, then the cycle, then the diamond
        ("Orphan", "Top", False),
        ("Orphan", "Orphan", True),  # reflexive
        ("Orphan", "owl:Thing", True),
        ("owl:Nothing", "Orphan", True),
        ("owl:Thing", "Orphan", False),
        ("d one", "Alpha", True),  # instance of a subclass
        ("d one", "Gamma", False),
        ("d two", "Top", True),
        ("d two", "Orphan", True),  # through owl:sameAs d three
        ("d three", "Alpha", True),  # and back
        ("d two", "d three", True),
        ("d one", "d two", False),
        ("Punned", "Beta", True),  # punned: instance of Beta...
        ("Punned", "Top", True),  # ...and subclass of Top
        ("Alpha", "d one", False),
    ],
)
def test_truth_table(mini: genai_graph.KnowledgeGraph, sub: str, sup: str, expected: bool) -> None:
    """is_a answers the mini ontology's questions, and explain agrees with it."""
    assert mini.is_a(sub, sup) is expected
    why = mini.explain(sub, sup)
    assert (why is not None) is expected


def test_explanation_steps_are_statements(mini: genai_graph.KnowledgeGraph) -> None:
    """Every stated step of an explanation is a triple of the graph (or its symmetric twin)."""
    why = mini.explain("Eta", "Alpha")
    assert why is not None
    assert [step.object for step in why][-1] == EX.A
    assert why[0].subject == EX.H
    for a, b in zip(why.steps, why.steps[1:], strict=False):
        assert a.object == b.subject  # a connected chain
    for step in why:
        assert step.stated
        triple = (step.subject, step.predicate, step.object)
        assert triple in mini.graph or (step.object, step.predicate, step.subject) in mini.graph


def test_explanation_marks_semantic_steps(mini: genai_graph.KnowledgeGraph) -> None:
    """A step that holds by OWL semantics only (X is an owl:Thing) is not marked stated."""
    why = mini.explain("Orphan", "owl:Thing")
    assert why is not None
    assert [s.stated for s in why] == [False]
    assert "by OWL semantics" in str(why)


def test_reflexive_explanation_is_empty(mini: genai_graph.KnowledgeGraph) -> None:
    """X is X needs no statement."""
    why = mini.explain("Alpha", "alpha")
    assert why is not None and len(why) == 0
    assert "is itself" in str(why) or "Alpha is Alpha" in str(why)


def test_closures(mini: genai_graph.KnowledgeGraph) -> None:
    """ancestors, descendants, parents, children and instances on the diamond and the cycle."""
    assert mini.ancestors("Gamma").labels() == [
        "Alpha",
        "Beta",
        "Delta",
        "Epsilon",
        "Eta",
        "Phi",
        "Top",
    ]
    assert mini.ancestors("Gamma", reflexive=True) == set(mini.ancestors("Gamma")) | {
        mini.concept("Gamma")
    }
    assert mini.descendants("Alpha").labels() == ["Delta", "Epsilon", "Eta", "Gamma", "Phi"]
    assert mini.parents("Delta").labels() == ["Alpha", "Beta"]
    assert mini.parents("Epsilon").labels() == ["Delta"]  # Phi is an equivalent, not a parent
    assert mini.children("Delta").labels() == ["Epsilon", "Phi"]
    assert mini.parents("d one").labels() == ["Delta"]
    assert mini.instances("Delta", direct=True).labels() == ["d one"]
    assert mini.instances("Top").labels() == ["d one", "d three", "d two", "Punned"]
    assert mini.instances("Orphan").labels() == ["d three", "d two"]


def test_index_follows_graph_changes() -> None:
    """A change to kg.graph is seen by the next question (the index is rebuilt)."""
    kg = genai_graph.load(bundled=False)
    a, b = URIRef("http://example.org/a"), URIRef("http://example.org/b")
    kg.graph.add((a, RDF.type, OWL.Class))
    kg.graph.add((b, RDF.type, OWL.Class))
    assert not kg.is_a(a, b)
    kg.graph.add((a, RDFS.subClassOf, b))
    assert kg.is_a(a, b)
    kg.graph.remove((a, RDFS.subClassOf, b))
    assert not kg.is_a(a, b)


# -- properties on random ontologies -----------------------------------------------

NS = "http://example.org/random#"


@st.composite
def ontologies(draw: st.DrawFn) -> tuple[int, list[tuple[int, int]], list[tuple[int, int]]]:
    """Draw a random set of classes with subClassOf edges (cycles allowed) and equivalences."""
    n = draw(st.integers(min_value=1, max_value=25))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    subclass = draw(st.lists(pair, max_size=60))
    equivalent = draw(st.lists(pair, max_size=6))
    return n, subclass, equivalent


def _build(
    n: int, subclass: list[tuple[int, int]], equivalent: list[tuple[int, int]]
) -> tuple[Graph, nx.DiGraph]:
    graph, reach = Graph(), nx.DiGraph()
    for i in range(n):
        graph.add((URIRef(f"{NS}c{i}"), RDF.type, OWL.Class))
        reach.add_node(i)
    for a, b in subclass:
        graph.add((URIRef(f"{NS}c{a}"), RDFS.subClassOf, URIRef(f"{NS}c{b}")))
        reach.add_edge(a, b)
    for a, b in equivalent:
        graph.add((URIRef(f"{NS}c{a}"), OWL.equivalentClass, URIRef(f"{NS}c{b}")))
        reach.add_edge(a, b)
        reach.add_edge(b, a)
    return graph, reach


@settings(max_examples=150, deadline=None)
@given(ontologies())
def test_is_a_equals_reachability(
    onto: tuple[int, list[tuple[int, int]], list[tuple[int, int]]],
) -> None:
    """is_a(x, y) holds exactly when y is reachable from x over subClassOf and equivalence edges."""
    n, subclass, equivalent = onto
    graph, reach = _build(n, subclass, equivalent)
    index = SubsumptionIndex.from_graph(graph)
    for x in range(n):
        expected = nx.descendants(reach, x) | {x}
        got = {y for y in range(n) if index.is_a(URIRef(f"{NS}c{x}"), URIRef(f"{NS}c{y}"))}
        assert got == expected
        ancestors = {int(str(a)[len(NS) + 1 :]) for a in index.ancestors(URIRef(f"{NS}c{x}"))}
        assert ancestors == expected - {x}


@settings(max_examples=150, deadline=None)
@given(ontologies())
def test_ancestors_and_descendants_are_inverse(
    onto: tuple[int, list[tuple[int, int]], list[tuple[int, int]]],
) -> None:
    """An ancestor y of x always has x as a descendant, and the other way round."""
    n, subclass, equivalent = onto
    graph, _ = _build(n, subclass, equivalent)
    index = SubsumptionIndex.from_graph(graph)
    iris = [URIRef(f"{NS}c{i}") for i in range(n)]
    for x in iris:
        for y in index.ancestors(x):
            assert x in index.descendants(y)
        for y in index.descendants(x):
            assert x in index.ancestors(y)


@settings(max_examples=150, deadline=None)
@given(ontologies())
def test_explanations_are_valid_and_shortest(
    onto: tuple[int, list[tuple[int, int]], list[tuple[int, int]]],
) -> None:
    """Every explanation is a chain of asserted edges from x to y, as short as any path."""
    n, subclass, equivalent = onto
    graph, reach = _build(n, subclass, equivalent)
    index = SubsumptionIndex.from_graph(graph)
    for x in range(n):
        lengths = nx.single_source_shortest_path_length(reach, x)
        for y, length in lengths.items():
            chain = index.explain(URIRef(f"{NS}c{x}"), URIRef(f"{NS}c{y}"))
            assert chain is not None
            assert len(chain) == length
            node = URIRef(f"{NS}c{x}")
            for s, p, o in chain:
                assert s == node
                assert (s, p, o) in graph or (p == OWL.equivalentClass and (o, p, s) in graph)
                node = o
            assert node == URIRef(f"{NS}c{y}")


def test_fast_path_agrees_with_the_index(mini: genai_graph.KnowledgeGraph) -> None:
    """is_a on resolved concepts and IRIs (the fast path) equals the index on every pair, owl:Thing/Nothing included."""
    index = mini._index()
    nodes = [*index.classes, *index.individuals()]
    mini.is_a(nodes[0], nodes[0])  # builds the fast table
    for x in nodes:
        for y in nodes:
            expected = index.is_a(x, y)
            assert mini.is_a(mini.concept(x), mini.concept(y)) is expected, (x, y)
            assert mini.is_a(x, y) is expected, (x, y)


def test_changing_the_default_regime_drops_the_fast_path() -> None:
    """After kg.entailment changes, is_a answers under the new regime."""
    kg = genai_graph.load(DATA_EL, bundled=False)
    with pytest.warns(genai_graph.GenAIGraphWarning):
        c = kg.concept(EL.C)
    f = kg.concept(EL.F)
    assert kg.is_a(c, f)
    kg.entailment = "told"
    assert not kg.is_a(c, f)


# -- owl:Thing on top, owl:Nothing at the bottom ------------------------------------------


@st.composite
def ontologies_with_top_and_bottom(
    draw: st.DrawFn,
) -> tuple[int, list[tuple[int, int]], list[tuple[int, int]]]:
    """Like :func:`ontologies`, where index n stands for owl:Thing and n + 1 for owl:Nothing."""
    n = draw(st.integers(min_value=1, max_value=15))
    pair = st.tuples(st.integers(0, n + 1), st.integers(0, n + 1))
    return n, draw(st.lists(pair, max_size=40)), draw(st.lists(pair, max_size=4))


def _iri(i: int, n: int) -> URIRef:
    return OWL.Thing if i == n else OWL.Nothing if i == n + 1 else URIRef(f"{NS}c{i}")


@settings(max_examples=200, deadline=None)
@given(ontologies_with_top_and_bottom())
def test_thing_and_nothing_follow_the_owl_semantics(
    onto: tuple[int, list[tuple[int, int]], list[tuple[int, int]]],
) -> None:
    """is_a is reachability once every class is below owl:Thing and above owl:Nothing.

    So `owl:Thing rdfs:subClassOf X` makes X equivalent to owl:Thing, a class below
    owl:Nothing is below every class, and ancestors/descendants/len agree with is_a.
    """
    n, subclass, equivalent = onto
    graph, reach = Graph(), nx.DiGraph()
    top, bottom = n, n + 1
    for i in range(n + 2):
        graph.add((_iri(i, n), RDF.type, OWL.Class))
        reach.add_edge(i, top)
        reach.add_edge(bottom, i)
    for a, b in subclass:
        graph.add((_iri(a, n), RDFS.subClassOf, _iri(b, n)))
        reach.add_edge(a, b)
    for a, b in equivalent:
        graph.add((_iri(a, n), OWL.equivalentClass, _iri(b, n)))
        reach.add_edge(a, b)
        reach.add_edge(b, a)
    index = SubsumptionIndex.from_graph(graph)
    unsatisfiable = {i for i in range(n + 2) if nx.has_path(reach, i, bottom)}
    for x in range(n + 2):
        expected = nx.descendants(reach, x) | {x}
        got = {y for y in range(n + 2) if index.is_a(_iri(x, n), _iri(y, n))}
        assert got == expected
        ancestors = index.ancestors(_iri(x, n))
        assert set(ancestors) == {_iri(y, n) for y in expected - {x, top}}
        assert len(ancestors) == len(set(ancestors))
        if x in unsatisfiable:
            continue
        descendants = index.descendants(_iri(x, n))
        below = {y for y in range(n + 2) if x in nx.descendants(reach, y) | {y}}
        assert set(descendants) == {_iri(y, n) for y in below - {x} - unsatisfiable}
        assert len(descendants) == len(set(descendants))
        reflexive = index.descendants(_iri(x, n), reflexive=True)
        assert _iri(x, n) in reflexive and len(reflexive) == len(descendants) + 1
        lengths = nx.single_source_shortest_path_length(reach, x)
        for y, length in lengths.items():
            chain = index.explain(_iri(x, n), _iri(y, n))
            assert chain is not None and len(chain) == length
            node = _iri(x, n)
            for s, p, o in chain:
                assert s == node
                assert (
                    (s, p, o) in graph
                    or (p == OWL.equivalentClass and (o, p, s) in graph)
                    or (p == RDFS.subClassOf and (o == OWL.Thing or s == OWL.Nothing))
                )
                node = o
            assert node == _iri(y, n)


def test_children_of_thing_are_the_roots(kg: genai_graph.KnowledgeGraph) -> None:
    """The bundled ontology's top classes are the direct subclasses of owl:Thing."""
    roots = kg.children("owl:Thing")
    assert "Generative AI" not in roots.labels()
    assert {"AI System", "Modality", "Organization"} <= set(roots.labels())
    for root in roots:
        assert len(kg.parents(root)) == 0


def test_sizes_match_members(kg: genai_graph.KnowledgeGraph) -> None:
    """len() of an answer is the number of IRIs it iterates (it was one too many)."""
    for regime in ("told", "rdfs", "el"):
        for name in ("LLM", "Generative AI", "GPT-4", "Transformer"):
            for answer in (
                kg.ancestors(name, entailment=regime),
                kg.descendants(name, entailment=regime),
                kg.ancestors(name, entailment=regime, reflexive=True),
                kg.descendants(name, entailment=regime, reflexive=True),
            ):
                assert len(answer) == len(list(answer)) == len(set(answer.iris))
