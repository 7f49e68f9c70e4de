"""OWL class expressions read from RDF, and their rendering in Manchester-like syntax.

The reasoners work on these small immutable values instead of on blank
nodes. Anything outside what they support parses to :class:`Unsupported`,
so a caller can report it and leave the axiom out (which keeps answers sound).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF
from rdflib.term import Node

__all__ = [
    "DataValue",
    "Expr",
    "Intersection",
    "Nominal",
    "Some",
    "Union_",
    "Unsupported",
    "parse_expression",
    "rdf_list",
    "render",
]


@dataclass(frozen=True)
class Intersection:
    """``C1 and C2 and ...`` (``owl:intersectionOf``)."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Union_:  # noqa: N801 - the trailing underscore keeps clear of typing.Union
    """``C1 or C2 or ...`` (``owl:unionOf``); only usable as a superclass side here."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Some:
    """``p some C`` (``owl:someValuesFrom``), and ``p value a`` as ``p some {a}``."""

    prop: URIRef
    filler: Expr


@dataclass(frozen=True)
class Nominal:
    """``{a}``: the class whose only member is the individual `a`."""

    individual: URIRef


@dataclass(frozen=True)
class DataValue:
    """``p value "v"`` for a datatype property (``owl:hasValue`` with a literal)."""

    prop: URIRef
    value: Literal

    def key(self) -> tuple[URIRef, object]:
        """Return a key equal for equal values (``"1"^^xsd:int`` and ``"01"^^xsd:int``)."""
        python = self.value.toPython()
        return (self.prop, python if not isinstance(python, Literal) else str(python))


@dataclass(frozen=True)
class Unsupported:
    """A construct the reasoners do not handle; `what` names it for the report."""

    node: Node
    what: str


Expr = URIRef | Intersection | Union_ | Some | Nominal | DataValue | Unsupported
"""A class expression: a named class (URIRef) or one of the structures above."""


def rdf_list(graph: Graph, head: Node | None) -> list[Node] | None:
    """Return the members of an RDF collection, or None if it is malformed or cyclic."""
    items: list[Node] = []
    seen: set[Node] = set()
    while head != RDF.nil:
        if head is None or head in seen:
            return None
        seen.add(head)
        first = graph.value(head, RDF.first)
        if first is None:
            return None
        items.append(first)
        head = graph.value(head, RDF.rest)
    return items


_UNSUPPORTED_RESTRICTIONS = {
    OWL.allValuesFrom: "owl:allValuesFrom",
    OWL.minCardinality: "owl:minCardinality",
    OWL.maxCardinality: "owl:maxCardinality",
    OWL.cardinality: "owl:cardinality",
    OWL.minQualifiedCardinality: "owl:minQualifiedCardinality",
    OWL.maxQualifiedCardinality: "owl:maxQualifiedCardinality",
    OWL.qualifiedCardinality: "owl:qualifiedCardinality",
    OWL.hasSelf: "owl:hasSelf",
}


def parse_expression(graph: Graph, node: Node, _depth: int = 0) -> Expr:
    """Read the class expression rooted at `node`.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...   @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix : <http://e/> .
    ...   :C owl:equivalentClass [ owl:intersectionOf ( :A [ owl:onProperty :p ; owl:someValuesFrom :B ] ) ] .''')
    >>> expr = parse_expression(g, g.value(URIRef("http://e/C"), OWL.equivalentClass))
    >>> render(expr, str)
    'http://e/A and (http://e/p some http://e/B)'
    """
    if isinstance(node, URIRef):
        return node
    if not isinstance(node, BNode) or _depth > 50:
        return Unsupported(node, "a class expression that is not an IRI or a blank node")
    prop = graph.value(node, OWL.onProperty)
    if prop is not None:
        if not isinstance(prop, URIRef):
            return Unsupported(node, "a restriction on an inverse or anonymous property")
        filler = graph.value(node, OWL.someValuesFrom)
        if filler is not None:
            inner = parse_expression(graph, filler, _depth + 1)
            if isinstance(inner, Unsupported):
                return inner
            return Some(prop, inner)
        value = graph.value(node, OWL.hasValue)
        if isinstance(value, URIRef):
            return Some(prop, Nominal(value))
        if isinstance(value, Literal):
            return DataValue(prop, value)
        for predicate, name in _UNSUPPORTED_RESTRICTIONS.items():
            if graph.value(node, predicate) is not None:
                return Unsupported(node, name)
        return Unsupported(node, "a restriction without a supported filler")
    for predicate, make in ((OWL.intersectionOf, Intersection), (OWL.unionOf, Union_)):
        members = graph.value(node, predicate)
        if members is not None:
            items = rdf_list(graph, members)
            if items is None:
                return Unsupported(node, "a malformed RDF list")
            parts = tuple(parse_expression(graph, item, _depth + 1) for item in items)
            bad = next((p for p in parts if isinstance(p, Unsupported)), None)
            if bad is not None:
                return bad
            if len(parts) == 1:
                return parts[0]
            return make(parts)
    one_of = graph.value(node, OWL.oneOf)
    if one_of is not None:
        items = rdf_list(graph, one_of)
        if items is not None and len(items) == 1 and isinstance(items[0], URIRef):
            return Nominal(items[0])
        return Unsupported(node, "owl:oneOf with more than one individual")
    if graph.value(node, OWL.complementOf) is not None:
        return Unsupported(node, "owl:complementOf")
    return Unsupported(node, "an unrecognised class expression")


def render(expr: Expr, name: Callable[[str], str]) -> str:
    """Write `expr` in Manchester-like syntax, naming IRIs with `name` (e.g. a label lookup)."""

    def inner(e: Expr, top: bool) -> str:
        if isinstance(e, URIRef):
            return name(str(e))
        if isinstance(e, Some):
            if isinstance(e.filler, Nominal):
                text = f"{name(str(e.prop))} value {name(str(e.filler.individual))}"
            else:
                text = f"{name(str(e.prop))} some {inner(e.filler, False)}"
        elif isinstance(e, DataValue):
            text = f"{name(str(e.prop))} value {e.value!s}"
        elif isinstance(e, Nominal):
            return "{" + name(str(e.individual)) + "}"
        elif isinstance(e, Intersection):
            text = " and ".join(inner(p, False) for p in e.parts)
        elif isinstance(e, Union_):
            text = " or ".join(inner(p, False) for p in e.parts)
        else:
            return f"<{e.what}>"
        return text if top else f"({text})"

    return inner(expr, True)
