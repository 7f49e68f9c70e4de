"""Random ontologies for property-based and cross-reasoner tests.

Classes ``C0..Cn`` form a DAG (edges only from higher to lower numbers, so
``Ci SubClassOf Cj`` has ``i > j``), optionally with one cycle; on top of it
come existential restrictions, defined classes (``Ci EquivalentTo Cj and p
some Ck``), subproperties, a transitive property, disjointness and
individuals with types and links. Everything is declared, so any OWL tool
reads the file the same way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD


@dataclass
class RandomOntology:
    """A random EL ontology; `turtle(ns)` writes it under the namespace `ns`."""

    n: int
    parents: list[tuple[int, int]] = field(default_factory=list)
    existentials: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # Ci SubClassOf p some Ck
    defined: list[tuple[int, int, int, int]] = field(default_factory=list)  # Ci == Cj and p some Ck
    disjoint: list[tuple[int, int]] = field(default_factory=list)
    individuals: list[tuple[int, int]] = field(default_factory=list)  # (i, class)
    links: list[tuple[int, int, int]] = field(default_factory=list)  # (i, p, j)
    transitive: bool = False

    def turtle(self, ns: str) -> str:
        """Return the ontology as Turtle with every entity declared."""
        out = [
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            f"@prefix : <{ns}> .",
        ]
        for i in range(self.n):
            out.append(f":C{i} a owl:Class .")
        out += [
            ":p0 a owl:ObjectProperty .",
            ":p1 a owl:ObjectProperty ; rdfs:subPropertyOf :p0 .",
            ":p2 a owl:ObjectProperty .",
        ]
        if self.transitive:
            out.append(":p2 a owl:TransitiveProperty .")
        for a, b in self.parents:
            out.append(f":C{a} rdfs:subClassOf :C{b} .")
        for a, p, k in self.existentials:
            out.append(
                f":C{a} rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :p{p} ; owl:someValuesFrom :C{k} ] ."
            )
        for a, j, p, k in self.defined:
            out.append(
                f":C{a} owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( :C{j} "
                f"[ a owl:Restriction ; owl:onProperty :p{p} ; owl:someValuesFrom :C{k} ] ) ] ."
            )
        for a, b in self.disjoint:
            out.append(f":C{a} owl:disjointWith :C{b} .")
        for i, c in self.individuals:
            out.append(f":i{i} a owl:NamedIndividual , :C{c} .")
        for i, p, j in self.links:
            out.append(f":i{i} :p{p} :i{j} .")
        return "\n".join(out) + "\n"


def random_el(seed: int, n: int = 14, *, disjointness: bool = True) -> RandomOntology:
    """Return a random EL ontology drawn from `seed`."""
    rng = random.Random(seed)
    onto = RandomOntology(n, transitive=rng.random() < 0.5)
    for i in range(1, n):
        for _ in range(rng.choice((1, 1, 2))):
            onto.parents.append((i, rng.randrange(i)))
    if rng.random() < 0.2:
        a, b = sorted(rng.sample(range(n), 2))
        onto.parents.append((a, b))  # closes a cycle: a and b become equivalent
    for _ in range(rng.randint(2, 6)):
        onto.existentials.append((rng.randrange(n), rng.randrange(3), rng.randrange(n)))
    for _ in range(rng.randint(1, 4)):
        onto.defined.append(
            (rng.randrange(n), rng.randrange(n), rng.randrange(3), rng.randrange(n))
        )
    if disjointness and rng.random() < 0.3:
        onto.disjoint.append(tuple(rng.sample(range(n), 2)))  # type: ignore[arg-type]
    n_ind = rng.randint(2, 6)
    for i in range(n_ind):
        onto.individuals.append((i, rng.randrange(n)))
    for _ in range(rng.randint(1, 6)):
        onto.links.append((rng.randrange(n_ind), rng.randrange(3), rng.randrange(n_ind)))
    return onto


el_ontologies = st.integers(min_value=0, max_value=2**32 - 1).map(random_el)
"""A hypothesis strategy of random EL ontologies."""


# -- RDF graphs with the terms that break serializers ---------------------------


ODD_IRIS = [
    "http://example.org/caf\u00e9#\u6f22\u5b57",  # IRIs may hold Unicode
    "http://example.org/a%20b%2Fc",  # %-escapes stay as they are
    "urn:isbn:0451450523",
    "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66",
    "http://example.org/path?query=1&x=y#frag",
    "http://example.org/?#",
    "http://example.org/" + "long" * 600,  # 2,400 characters
    "mailto:someone@example.org",
    "tag:example.org,2026:thing",
    "http://example.org/trailing.",
    "http://example.org/with(parens)and'quote",
    "http://example.org/ns#",
    "http://[::1]:8080/ipv6",
]
"""Valid but unusual IRIs (no spaces, quotes or angle brackets, which no IRI may hold)."""

ODD_LITERALS = [
    Literal("01", datatype=XSD.integer),  # not canonical
    Literal("+1", datatype=XSD.integer),
    Literal(" 7 ", datatype=XSD.integer),
    Literal("abc", datatype=XSD.integer),  # ill-typed
    Literal("1E0", datatype=XSD.double),
    Literal("NaN", datatype=XSD.double),
    Literal("-INF", datatype=XSD.float),
    Literal("-0.0", datatype=XSD.decimal),
    Literal("1", datatype=XSD.boolean),
    Literal("2026-02-30", datatype=XSD.date),  # no such day
    Literal("x", datatype=URIRef("http://example.org/myType")),
    Literal(
        "<b>bold</b>", datatype=URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#XMLLiteral")
    ),
    Literal("chat", lang="fr"),
    Literal("colour", lang="en-GB"),
    Literal("\u6f22\u5b57", lang="zh-Hant-TW"),
    Literal('quote " and \\ backslash'),
    Literal("line\nbreak\r\tand tab"),
    Literal('"""triple"""'),
    Literal(""),
    Literal("emoji \U0001f600 and combining e\u0301"),
    Literal("\u0001\u001f control"),
]
"""Literals with languages, datatypes and lexical forms that serializers get wrong."""

_iris = st.one_of(
    st.sampled_from(ODD_IRIS),
    st.integers(0, 20).map(lambda i: f"http://example.org/n{i}"),
).map(URIRef)
_literals = st.one_of(
    st.sampled_from(ODD_LITERALS),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=20).map(
        Literal
    ),
    st.builds(
        Literal,
        st.text(alphabet="abc xyz", max_size=8),
        lang=st.sampled_from(["en", "de-CH", "x-private"]),
    ),
    st.integers().map(Literal),
    st.floats(allow_nan=False, allow_infinity=False).map(Literal),
)


PLAIN_PREDICATES = st.integers(0, 5).map(lambda i: URIRef(f"http://example.org/p{i}"))
"""Predicates every syntax can write (RDF/XML needs a namespace and an XML name at the end)."""


@st.composite
def rdf_graphs(
    draw: st.DrawFn, max_triples: int = 25, predicates: st.SearchStrategy[URIRef] | None = None
) -> Graph:
    """Draw a random rdflib Graph with blank nodes (shared and nested), odd literals and odd IRIs."""
    predicates = _iris if predicates is None else predicates
    bnodes = [BNode() for _ in range(draw(st.integers(0, 5)))]
    subjects = st.one_of(_iris, st.sampled_from(bnodes)) if bnodes else _iris
    objects = st.one_of(subjects, _literals)
    graph = Graph()
    for _ in range(draw(st.integers(0, max_triples))):
        graph.add((draw(subjects), draw(predicates), draw(objects)))
    return graph
