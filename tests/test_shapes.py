"""SHACL shapes of the ontology's conventions, validated with pySHACL; and the parse by a second parser."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, XSD

import genai_graph
from genai_graph.loading import bundled_ontology

from .conftest import require_module

G = genai_graph.GENAI
pyshacl = require_module("pyshacl")


@pytest.fixture(scope="module")
def onto() -> Graph:
    """genai.ttl parsed on its own."""
    return Graph().parse(data=bundled_ontology().read_text(encoding="utf-8"), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    """ontology/shapes.ttl, shipped beside genai.ttl."""
    return Graph().parse(
        data=bundled_ontology("shapes.ttl").read_text(encoding="utf-8"), format="turtle"
    )


def validate(data: Graph, shapes: Graph) -> tuple[bool, str]:
    """Validate with pySHACL (SHACL-AF on for the SPARQL targets); return (conforms, report text)."""
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, advanced=True, inference="none")
    return bool(conforms), str(text)


def test_ontology_conforms(onto: Graph, shapes: Graph) -> None:
    """genai.ttl meets every shape: labels, definitions, sources, domains and ranges, typed facts."""
    conforms, text = validate(onto, shapes)
    assert conforms, text


@pytest.mark.parametrize(
    ("triple", "needle"),
    [
        ((G.GPT4, G.releaseYear, Literal("2023", datatype=XSD.gYear)), "releaseYear"),
        ((G.GPT4, G.releaseYear, Literal(1899)), "releaseYear"),
        ((G.Mixtral8x7B, G.activeParameterCount, Literal(90_000_000_000)), "activeParameterCount"),
        ((G.GPT4, G.developedBy, G.Transformer), "Organization"),
        ((G.GPT4, G.parameterCount, Literal(1)), "parameterCountDisclosed false"),
        ((G.Transformer, RDFS.label, Literal("Another label", lang="en")), "rdfs:label"),
    ],
)
def test_shapes_catch_broken_facts(
    onto: Graph, shapes: Graph, triple: tuple[URIRef, URIRef, object], needle: str
) -> None:
    """One wrong statement added to the ontology makes it fail the shapes."""
    broken = Graph()
    broken += onto
    broken.add(triple)  # type: ignore[arg-type]
    conforms, text = validate(broken, shapes)
    assert not conforms
    assert needle in text


def test_second_parser_agrees(onto: Graph) -> None:
    """Oxigraph, an independent Turtle parser, reads the same triples as rdflib."""
    ox = require_module("pyoxigraph")
    parsed = {
        tuple(str(t.value) for t in (q.subject, q.predicate, q.object))
        for q in ox.parse(bundled_ontology().read_bytes(), format=ox.RdfFormat.TURTLE)
        if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.predicate, q.object))
    }
    ours = {
        tuple(str(t) for t in triple)
        for triple in onto
        if not any(type(t).__name__ == "BNode" for t in triple)
    }
    assert parsed == ours
