"""OWL class expressions read from RDF, and their rendering in Manchester-like syntax.

The reasoners work on these small immutable values instead of on blank
nodes. Anything outside what they support parses to :class:`Unsupported`,
so a caller can report it and leave the axiom out (which keeps answers sound).
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

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
    "ValueKey",
    "distinct_values",
    "parse_expression",
    "rdf_list",
    "render",
    "value_key",
]

_OWL_RATIONAL = OWL.rational


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

    def key(self) -> tuple[URIRef, ValueKey]:
        """Return a key equal for equal values (``"1"^^xsd:int`` and ``"01"^^xsd:integer``).

        See :func:`value_key`; the property comes first.
        """
        return (self.prop, value_key(self.value))


ValueKey = tuple[object, ...]
"""What :func:`value_key` returns: a value space, then the value in it."""

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES: dict[str, tuple[int | None, int | None]] = {  # datatype -> (min, max)
    "integer": (None, None),
    "nonNegativeInteger": (0, None),
    "positiveInteger": (1, None),
    "nonPositiveInteger": (None, 0),
    "negativeInteger": (None, -1),
    "long": (-(2**63), 2**63 - 1),
    "int": (-(2**31), 2**31 - 1),
    "short": (-(2**15), 2**15 - 1),
    "byte": (-(2**7), 2**7 - 1),
    "unsignedLong": (0, 2**64 - 1),
    "unsignedInt": (0, 2**32 - 1),
    "unsignedShort": (0, 2**16 - 1),
    "unsignedByte": (0, 2**8 - 1),
}
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
_RATIONAL = re.compile(r"[+-]?[0-9]+/[0-9]*[1-9][0-9]*")
_FLOATING = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN")
_KNOWN_SPACES = frozenset({"real", "double", "float", "boolean", "string"})


def value_key(literal: Literal) -> ValueKey:
    """Return a key that two literals share only when they denote the same OWL 2 data value.

    The value spaces follow the OWL 2 datatype map: booleans are not numbers;
    ``xsd:double``, ``xsd:float`` and ``owl:real`` (integers, decimals and the types
    derived from them) are pairwise disjoint, so the integer 2 is the decimal 2.0 but
    not the double 2.0; strings keep their (lower-cased) language tag, and a plain
    literal is an ``xsd:string``. Other datatypes compare by datatype and lexical
    form, and an ill-typed literal (``"abc"^^xsd:integer``) equals only itself.
    Keys are never equal for different values; equal values of unknown datatypes
    may get different keys (which can only miss an inference).

    Examples
    --------
    >>> value_key(Literal(2)) == value_key(Literal("2.0", datatype=URIRef(_XSD + "decimal")))
    True
    >>> value_key(Literal(True)) == value_key(Literal(1))
    False
    >>> value_key(Literal("chat", lang="en")) == value_key(Literal("chat", lang="fr"))
    False
    """
    lexical = str(literal)
    if literal.language is not None:
        return ("string", lexical, literal.language.lower())
    datatype = literal.datatype
    if datatype is None:
        return ("string", lexical, None)
    name = str(datatype)
    local = name[len(_XSD) :] if name.startswith(_XSD) else None
    if local == "string":
        return ("string", lexical, None)
    if datatype == RDF.PlainLiteral:
        value = literal.value
        if isinstance(value, Literal):  # owlrl teaches rdflib to read rdf:PlainLiteral
            return ("string", str(value), value.language.lower() if value.language else None)
        text, at, tag = lexical.rpartition("@")
        if at:
            return ("string", text, tag.lower() or None)
    elif local in _INTEGER_TYPES:
        if _INTEGER.fullmatch(lexical):
            number = int(lexical)
            low, high = _INTEGER_TYPES[local]
            if (low is None or number >= low) and (high is None or number <= high):
                return ("real", Fraction(number))
    elif local == "decimal":
        if _DECIMAL.fullmatch(lexical):
            return ("real", Fraction(Decimal(lexical)))
    elif datatype == _OWL_RATIONAL:
        if _RATIONAL.fullmatch(lexical):
            return ("real", Fraction(lexical))
    elif local in ("double", "float"):
        if _FLOATING.fullmatch(lexical):
            floating = float(lexical.replace("INF", "inf"))
            if local == "float":
                floating = _to_single(floating)
            return (local, "NaN" if math.isnan(floating) else repr(floating))
    elif local == "boolean":
        if lexical in ("true", "1", "false", "0"):
            return ("boolean", lexical in ("true", "1"))
    elif local in ("normalizedString", "token"):
        if lexical == (" ".join(lexical.split()) if local == "token" else lexical) and not any(
            c in lexical for c in "\t\n\r"
        ):
            return ("string", lexical, None)
        return ("other", name, lexical)
    else:
        return ("other", name, lexical)
    return ("ill-typed", name, lexical)


def distinct_values(a: ValueKey, b: ValueKey) -> bool:
    """Return True if two value keys certainly denote different data values.

    Only values of the OWL 2 value spaces :func:`value_key` normalises are
    compared; for other datatypes and ill-typed literals nothing is claimed.
    """
    return a != b and a[0] in _KNOWN_SPACES and b[0] in _KNOWN_SPACES


def _to_single(number: float) -> float:
    """Round a double to the nearest IEEE single-precision value (what ``xsd:float`` holds)."""
    try:
        return float(struct.unpack("f", struct.pack("f", number))[0])
    except OverflowError:
        return math.copysign(math.inf, number)


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
