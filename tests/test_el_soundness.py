"""The EL reasoner's soundness and coverage, checked against HermiT.

Data values compare as OWL values, el infers at least what rdfs infers, ranges reach
class level, left-out constructs are reported, and transitive closures stay quadratic.

The expected answers of the small ontologies below were checked with HermiT; the tests
marked ``reasoner`` check them again against HermiT itself.
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

import genai_graph
from genai_graph import GenAIGraphWarning
from genai_graph.reasoning.el import ELReasoner
from genai_graph.reasoning.expressions import DataValue, distinct_values, value_key

from .test_crosscheck import hermit, ours

EX = Namespace("http://ex.org/")
PREFIXES = """
@prefix : <http://ex.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def graph_of(turtle: str) -> Graph:
    """Parse a Turtle body written without its prefixes."""
    return Graph().parse(data=PREFIXES + turtle, format="turtle")


def load(turtle: str, entailment: str = "el") -> genai_graph.KnowledgeGraph:
    """Load a Turtle body (without prefixes) alone."""
    return genai_graph.load(graph_of(turtle), bundled=False, entailment=entailment)


def literal(value: Literal | tuple[str, URIRef]) -> Literal:
    """Return the literal, making (lexical form, datatype) into one as written, ill-typed or not."""
    if isinstance(value, Literal):
        return value
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rdflib warns about ill-typed booleans
        return Literal(value[0], datatype=value[1], normalize=False)


def for_hermit(graph: Graph) -> Graph:
    """Give every named individual the class :I, as the HermiT helper needs a named type for each."""
    graph.add((EX.I, RDF.type, OWL.Class))
    for x in list(graph.subjects(RDF.type, OWL.NamedIndividual)):
        graph.add((x, RDF.type, EX.I))
    return graph


def types_of(kg: genai_graph.KnowledgeGraph, x: str, classes: list[str]) -> set[str]:
    """Return which of `classes` the individual (or class) `x` is a member (or subclass) of."""
    return {c for c in classes if kg.is_a(EX[x], EX[c])}


# -- 1. data values compare as OWL 2 values ----------------------------------------------

DATA_VALUES = """
:p a owl:DatatypeProperty .
:True a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue true ] .
:One a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue 1 ] .
:Two a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue 2 ] .
:TwoDbl a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue "2.0"^^xsd:double ] .
:TwoFlt a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue "2.0"^^xsd:float ] .
:ChatFr a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue "chat"@fr ] .
:ChatEn a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue "chat"@en ] .
:Chat a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue "chat" ] .
:Zero a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue "0.0"^^xsd:double ] .
:i1 a owl:NamedIndividual ; :p 1 .
:iTrue a owl:NamedIndividual ; :p "1"^^xsd:boolean .
:iDec a owl:NamedIndividual ; :p 2.0 .
:iInt a owl:NamedIndividual ; :p "02"^^xsd:int .
:iDbl a owl:NamedIndividual ; :p "2"^^xsd:double .
:iFlt a owl:NamedIndividual ; :p "2"^^xsd:float .
:iEN a owl:NamedIndividual ; :p "chat"@EN .
:iStr a owl:NamedIndividual ; :p "chat"^^xsd:string .
:iPlainFr a owl:NamedIndividual ; :p "chat@fr"^^rdf:PlainLiteral .
:iNegZero a owl:NamedIndividual ; :p "-0.0"^^xsd:double .
:iNonNeg a owl:NamedIndividual ; :p "1"^^xsd:nonNegativeInteger .
"""
DATA_CLASSES = ["True", "One", "Two", "TwoDbl", "TwoFlt", "ChatFr", "ChatEn", "Chat", "Zero"]
DATA_TYPES = {  # HermiT's answers
    "i1": {"One"},  # 1 is not true
    "iTrue": {"True"},  # "1"^^xsd:boolean is true, and not the number 1
    "iDec": {"Two"},  # the decimal 2.0 is the integer 2 (both owl:real) ...
    "iInt": {"Two"},
    "iDbl": {"TwoDbl"},  # ... but the double 2 is neither, nor the float 2
    "iFlt": {"TwoFlt"},
    "iEN": {"ChatEn"},  # language tags compare case-insensitively, and are kept
    "iStr": {"Chat"},  # a plain literal is an xsd:string
    # (no "chat@"^^rdf:PlainLiteral here: once owlrl has run, rdflib stores it and
    # "chat@fr"^^rdf:PlainLiteral as one term; test_data_value_keys has it)
    "iPlainFr": {"ChatFr"},
    "iNegZero": set(),  # -0.0 and 0.0 are different doubles
    "iNonNeg": {"One"},
}


def test_data_values_compare_as_owl_values() -> None:
    """`p value v` holds for the values OWL 2 calls the same, and only for them."""
    kg = load(DATA_VALUES)
    for individual, expected in DATA_TYPES.items():
        assert types_of(kg, individual, DATA_CLASSES) == expected, individual


def test_the_review_example_is_not_classified() -> None:
    """1 is not true, "chat"@en is not "chat"@fr, and the integer 2 is not the double 2.0."""
    kg = load(
        """
        :p a owl:DatatypeProperty . :q a owl:DatatypeProperty .
        :Open a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue true ] .
        :French a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :q ; owl:hasValue "chat"@fr ] .
        :Dbl a owl:Class ; owl:equivalentClass [ a owl:Restriction ; owl:onProperty :p ; owl:hasValue "2.0"^^xsd:double ] .
        :x a owl:NamedIndividual ; :p 1 .
        :y a owl:NamedIndividual ; :q "chat"@en .
        :z a owl:NamedIndividual ; :p 2 .
        """
    )
    for x in ("x", "y", "z"):
        assert types_of(kg, x, ["Open", "French", "Dbl"]) == set(), x
        assert kg.explain(EX[x], EX.Open) is None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        (Literal(True), Literal(1), False),
        (Literal(1), Literal(1.0), False),  # integer and double
        (Literal(2), Literal(Decimal("2.0")), True),
        (Literal("2", datatype=XSD.int), Literal("+02", datatype=XSD.integer), True),
        (Literal("1", datatype=XSD.boolean), Literal(True), True),
        (Literal("0.1", datatype=XSD.float), Literal("0.1", datatype=XSD.double), False),
        (Literal("1.0", datatype=XSD.float), Literal("1", datatype=XSD.float), True),
        (Literal("INF", datatype=XSD.double), Literal("+INF", datatype=XSD.double), True),
        (Literal("0.0", datatype=XSD.double), Literal("-0.0", datatype=XSD.double), False),
        (Literal("chat", lang="en"), Literal("chat", lang="fr"), False),
        (Literal("chat", lang="en"), Literal("chat", lang="EN"), True),
        (Literal("chat", lang="en"), Literal("chat"), False),
        (Literal("chat"), Literal("chat", datatype=XSD.string), True),
        (Literal("chat@"), Literal("chat@", datatype=RDF.PlainLiteral), False),
        (Literal("chat"), Literal("chat@", datatype=RDF.PlainLiteral), True),
        (Literal("a b"), Literal("a b", datatype=XSD.token), True),
        (Literal("a  b"), Literal("a  b", datatype=XSD.token), False),  # not a token's form
        (Literal("1", datatype=EX.dt), Literal("1", datatype=EX.dt), True),
        (Literal("1", datatype=EX.dt), Literal("01", datatype=EX.dt), False),
        (Literal("1", datatype=EX.dt), Literal("1"), False),
        (Literal("1", datatype=EX.dt), Literal(1), False),
        (Literal("1", datatype=EX.dt), Literal("1", datatype=EX.other), False),
        (Literal("2020-01-01", datatype=XSD.date), Literal("2020-01-01"), False),
        # ill-typed literals (made in the test: rdflib warns about them)
        (("abc", XSD.integer), Literal("abc"), False),
        (("-1", XSD.nonNegativeInteger), Literal(-1), False),
        (("300", XSD.byte), Literal(300), False),
        (("yes", XSD.boolean), Literal(True), False),
        (("1e3", XSD.decimal), Literal(1000), False),
        (("1_0", XSD.double), Literal(10.0), False),
    ],
)
def test_data_value_keys(a: Literal | tuple[str, URIRef], b: Literal, same: bool) -> None:
    """Two literals get one key exactly when they denote the same OWL 2 data value."""
    a = literal(a)
    assert (value_key(a) == value_key(b)) is same
    assert (DataValue(EX.p, a).key() == DataValue(EX.p, b).key()) is same
    assert DataValue(EX.p, a).key() != DataValue(EX.q, b).key()


@pytest.mark.parametrize(
    ("a", "b", "distinct"),
    [
        (Literal(1), Literal(2), True),
        (Literal(1), Literal(True), True),  # disjoint value spaces
        (Literal(1), Literal(1.0), True),
        (Literal(2), Literal(Decimal("2.0")), False),
        (Literal("chat", lang="en"), Literal("chat"), True),
        (Literal("1", datatype=EX.dt), Literal("01", datatype=EX.dt), False),  # may be equal
        (Literal("1", datatype=EX.dt), Literal(1), False),  # a datatype of its own: unknown
        (("abc", XSD.integer), Literal(1), False),  # ill-typed: no claim
        (Literal("2020-01-01", datatype=XSD.date), Literal("2020-01-02", datatype=XSD.date), False),
    ],
)
def test_distinct_values(a: Literal | tuple[str, URIRef], b: Literal, distinct: bool) -> None:
    """Values are called distinct only when OWL 2 says they are (what a functional property needs)."""
    a = literal(a)
    assert distinct_values(value_key(a), value_key(b)) is distinct
    assert distinct_values(value_key(b), value_key(a)) is distinct


def test_unknown_datatypes_match_only_themselves() -> None:
    """HermiT refuses datatypes outside the OWL 2 map; EL matches them by datatype and lexical form."""
    kg = load(
        """
        :p a owl:DatatypeProperty .
        :Custom a owl:Class ; owl:equivalentClass [ owl:onProperty :p ; owl:hasValue "chat"^^:dt ] .
        :Chat a owl:Class ; owl:equivalentClass [ owl:onProperty :p ; owl:hasValue "chat" ] .
        :Bad a owl:Class ; owl:equivalentClass [ owl:onProperty :p ; owl:hasValue "chat"^^xsd:integer ] .
        :a :p "chat"^^:dt . :b :p "chat" . :c :p "chat"^^xsd:integer .
        :a a owl:NamedIndividual . :b a owl:NamedIndividual . :c a owl:NamedIndividual .
        """
    )
    classes = ["Custom", "Chat", "Bad"]
    assert types_of(kg, "a", classes) == {"Custom"}
    assert types_of(kg, "b", classes) == {"Chat"}
    assert types_of(kg, "c", classes) <= {"Bad"}


@pytest.mark.slow
@pytest.mark.reasoner
def test_data_values_agree_with_hermit(tmp_path: Path) -> None:
    """HermiT gives the data-value answers the fast test expects."""
    # HermiT's command line prints owl:Thing among some direct types, which the helper does
    # not expect: the individuals become classes, `i p v` becomes `i SubClassOf p value v`.
    # rdf:PlainLiteral is left out here: once owlrl has been imported (other tests use
    # entailment="owl-rl"), rdflib writes "chat@fr"^^rdf:PlainLiteral as another literal,
    # so HermiT would be asked a different question. The fast test keeps that case.
    values = "\n".join(line for line in DATA_VALUES.splitlines() if "PlainLiteral" not in line)
    body = re.sub(
        r"a owl:NamedIndividual ; :p (.*) \.$",
        r"a owl:Class ; rdfs:subClassOf [ owl:onProperty :p ; owl:hasValue \1 ] .",
        values,
        flags=re.MULTILINE,
    )
    graph = graph_of(body)
    expected = hermit(graph, tmp_path)
    assert ours(graph) == expected
    for individual, types in DATA_TYPES.items():
        if str(EX[individual]) not in expected[0]:  # the rdf:PlainLiteral one, left out above
            continue
        assert expected[0][str(EX[individual])] == {str(EX[individual])} | {
            str(EX[c]) for c in types
        }


# -- 2. el infers at least what rdfs infers ---------------------------------------------

DOMAIN_RANGE = """
:D a owl:Class . :R a owl:Class . :R2 a owl:Class . :DD a owl:Class . :K a owl:Class .
:author a rdf:Property ; rdfs:domain :D .
:p a owl:ObjectProperty ; rdfs:subPropertyOf :q . :q a owl:ObjectProperty ; rdfs:range :R2 .
:age a owl:DatatypeProperty ; rdfs:domain :DD .
:x :author :y . :x a :K .
:a :p :b .
:m :age 3 .
"""

UNDECLARED = """
:Person a owl:Class . :Doc a owl:Class . :Tall a owl:Class . :Located a owl:Class .
:wrote rdfs:domain :Person ; rdfs:range :Doc .
:height rdfs:domain :Tall .
:address rdfs:domain :Located .
:ann a :Person ; :wrote :d1 ; :height 190 .
:bob :wrote :d2 ; :address [ :city "Paris" ] .
:title a owl:AnnotationProperty ; rdfs:domain :Doc .
:carl :title "x" .
"""

SUBPROPERTIES = """
:developedBy a owl:ObjectProperty ; rdfs:subPropertyOf :involves .
:involves a owl:ObjectProperty ; rdfs:domain :Involved ; rdfs:range :Party .
:Model a owl:Class . :Org a owl:Class . :Lab a owl:Class ; rdfs:subClassOf :Org .
:Involved a owl:Class . :Party a owl:Class .
:m a :Model ; :developedBy :o . :o a :Lab .
:dq a owl:DatatypeProperty ; rdfs:subPropertyOf :dp . :dp a owl:DatatypeProperty ; rdfs:domain :Dated .
:Dated a owl:Class .
:n :dq "2020" .
"""


@pytest.mark.parametrize("body", [DOMAIN_RANGE, UNDECLARED, SUBPROPERTIES])
def test_el_is_on_top_of_rdfs(body: str) -> None:
    """Every type rdfs gives a resource of the graph, el gives it too."""
    kg = load(body)
    g = kg.graph
    nodes = {t for triple in g for t in triple if isinstance(t, URIRef)}
    classes = {c for c in g.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    rdfs_answers = {(x, c) for x in nodes for c in classes if kg.is_a(x, c, entailment="rdfs")}
    assert rdfs_answers, "the case should give rdfs something to infer"
    missing = {(x, c) for x, c in rdfs_answers if not kg.is_a(x, c)}
    assert missing == set()


def test_domains_and_ranges_under_el() -> None:
    """Domains of data properties, ranges of superproperties, rdf:Property and undeclared properties."""
    kg = load(DOMAIN_RANGE)
    assert kg.is_a(EX.b, EX.R2)  # the range of q, a superproperty of p
    assert kg.is_a(EX.m, EX.DD)  # the domain of a datatype property
    assert kg.is_a(EX.x, EX.D)  # the domain of an rdf:Property
    assert not kg.is_a(EX.a, EX.R2)
    assert not kg.is_a(EX.b, EX.DD)
    kg = load(UNDECLARED)
    assert kg.is_a(EX.bob, EX.Person) and kg.is_a(EX.d2, EX.Doc)  # an undeclared property
    assert kg.is_a(EX.ann, EX.Tall)  # ... with a literal value
    assert kg.is_a(EX.bob, EX.Located)  # ... with a blank node
    assert not kg.is_a(EX.carl, EX.Doc)  # annotations are not relations
    assert not kg.is_a(EX.ann, EX.Located)


def test_relations_of_a_property_that_is_not_owl() -> None:
    """An assertion on an rdf:Property is a relation under el as under rdfs (the default regime)."""
    kg = load(DOMAIN_RANGE)
    for regime in ("told", "rdfs", "el"):
        found = {
            (r.predicate.iri, r.object.iri)
            for r in kg.relations(EX.x, inferred=True, entailment=regime)
        }
        assert (EX.author, EX.y) in found, regime


def test_subproperties_carry_data_values_up() -> None:
    """q SubPropertyOf p carries `x q v` to `x p v`, for data values as for individuals."""
    kg = load(SUBPROPERTIES)
    assert kg.is_a(EX.n, EX.Dated)
    assert kg.is_a(EX.m, EX.Involved) and kg.is_a(EX.o, EX.Party)


def test_data_atoms_give_back_a_literal() -> None:
    """Each data value the reasoner derives can be written back as a literal, superproperties too."""
    el = ELReasoner(graph_of(RANGES))
    atom = el.atom_of_class(EX.F)
    assert atom is not None
    found = {
        (el.key(a)[1], el.literal(a)) for a in el.subsumer_atoms(atom) if el.key(a)[0] == "data"
    }
    assert found == {(EX.dq, Literal(5)), (EX.dp, Literal(5))}
    atom = el.atom_of_individual(EX.z)
    assert atom is not None
    values = [el.literal(a) for a in el.subsumer_atoms(atom) if el.key(a)[0] == "data"]
    assert len(values) == 2  # dq and dp
    assert all(v is not None and v.eq(Literal("3.0", datatype=XSD.decimal)) for v in values)


def test_sparql_under_el_sees_superproperty_assertions() -> None:
    """rdfs7: ASK { m involves o } holds under el as under rdfs and owl-rl."""
    kg = load(SUBPROPERTIES)
    ask = "PREFIX : <http://ex.org/> ASK { :m :involves :o }"
    assert kg.query(ask, entailment="rdfs") is True
    assert kg.query(ask, entailment="el") is True


RANGES = """
:p a owl:ObjectProperty ; rdfs:subPropertyOf :q . :q a owl:ObjectProperty ; rdfs:range :R .
:R a owl:Class . :B a owl:Class . :A a owl:Class ; rdfs:subClassOf [ owl:onProperty :p ; owl:someValuesFrom :B ] .
:C a owl:Class ; owl:equivalentClass [ owl:onProperty :p ; owl:someValuesFrom :R ] .
:D a owl:Class ; owl:equivalentClass [ owl:onProperty :q ; owl:someValuesFrom [ owl:intersectionOf ( :B :R ) ] ] .
:A2 a owl:Class ; rdfs:subClassOf [ owl:onProperty :p ; owl:hasValue :b ] .
:b a owl:NamedIndividual .
:x a owl:NamedIndividual , :A .
:dp a owl:DatatypeProperty ; rdfs:domain :DD . :dq a owl:DatatypeProperty ; rdfs:subPropertyOf :dp . :DD a owl:Class .
:E a owl:Class ; owl:equivalentClass [ owl:onProperty :dp ; owl:hasValue 3 ] .
:F a owl:Class ; rdfs:subClassOf [ owl:onProperty :dq ; owl:hasValue 5 ] .
:y a owl:NamedIndividual ; :dq 3 .
:z a owl:NamedIndividual ; :dq "3.0"^^xsd:decimal .
:w a owl:NamedIndividual ; :p :v . :v a owl:NamedIndividual .
:t a owl:ObjectProperty , owl:TransitiveProperty ; rdfs:range :T . :T a owl:Class .
:G a owl:Class ; rdfs:subClassOf [ owl:onProperty :t ; owl:someValuesFrom :B ] .
:H a owl:Class ; owl:equivalentClass [ owl:onProperty :t ; owl:someValuesFrom :T ] .
"""
RANGE_CLASSES = ["R", "B", "A", "C", "D", "A2", "DD", "E", "F", "T", "G", "H"]
RANGE_SUPERS = {  # HermiT's answers, each class's named strict superclasses
    "A": {"C", "D"},
    "A2": {"C"},  # the p-successor b is an R, whatever b is
    "E": {"DD"},
    "F": {"DD"},
    "G": {"H"},
}
RANGE_TYPES = {
    "b": set(),  # A2 may be empty: b need not be an R
    "x": {"A", "C", "D"},
    "y": {"E", "DD"},
    "z": {"E", "DD"},
    "w": {"C"},
    "v": {"R"},
}


def test_ranges_at_class_level() -> None:
    """A SubClassOf p some B with range(p) = R gives A SubClassOf p some (B and R)."""
    kg = load(RANGES)
    for c in RANGE_CLASSES:
        assert types_of(kg, c, RANGE_CLASSES) - {c} == RANGE_SUPERS.get(c, set()), c
    for i, expected in RANGE_TYPES.items():
        assert types_of(kg, i, RANGE_CLASSES) == expected, i


def test_an_empty_range_empties_the_domain() -> None:
    """With range(p) = owl:Nothing, whatever has a p-successor is unsatisfiable."""
    kg = load(
        ":p a owl:ObjectProperty ; rdfs:range owl:Nothing . :q rdfs:subPropertyOf :p ."
        ":A rdfs:subClassOf [ owl:onProperty :q ; owl:someValuesFrom :B ] . :B a owl:Class ."
    )
    assert kg.is_a(EX.A, OWL.Nothing)
    assert not kg.is_a(EX.B, OWL.Nothing)


def test_range_and_domain_inferences_are_explained() -> None:
    """The new inferences come with proofs that cite the domain, range and subproperty statements."""
    kg = load(RANGES)
    why = kg.explain(EX.A, EX.C)
    assert why is not None
    stated = {(s.subject, s.predicate, s.object) for s in why if s.stated}
    assert (EX.q, RDFS.range, EX.R) in stated and (EX.p, RDFS.subPropertyOf, EX.q) in stated
    assert all(t in kg.graph for t in stated)
    assert (why[-1].subject, why[-1].object) == (EX.A, EX.C)
    why = kg.explain(EX.y, EX.DD)
    assert why is not None
    stated = {(s.subject, s.predicate, s.object) for s in why if s.stated}
    assert {
        (EX.y, EX.dq, Literal(3)),
        (EX.dq, RDFS.subPropertyOf, EX.dp),
        (EX.dp, RDFS.domain, EX.DD),
    } <= stated
    assert (why[-1].subject, why[-1].predicate, why[-1].object) == (EX.y, RDF.type, EX.DD)
    kg = load(DOMAIN_RANGE)
    why = kg.explain(EX.b, EX.R2)
    assert why is not None
    stated = {(s.subject, s.predicate, s.object) for s in why if s.stated}
    assert {(EX.a, EX.p, EX.b), (EX.p, RDFS.subPropertyOf, EX.q), (EX.q, RDFS.range, EX.R2)} <= (
        stated
    )


def test_ranges_keep_the_stated_links() -> None:
    """Relations still show `p some B` and `p value b` once ranges qualify the fillers."""
    kg = load(RANGES)
    found = {(r.predicate.iri, r.object.iri) for r in kg.relations(EX.A, inferred=True)}
    assert (EX.p, EX.B) in found
    found = {(r.predicate.iri, r.object.iri) for r in kg.relations(EX.A2, inferred=True)}
    assert (EX.p, EX.b) in found
    assert kg.explain(EX.A, EX.B, relation=EX.p) is not None


@pytest.mark.slow
@pytest.mark.reasoner
@pytest.mark.parametrize("body", [RANGES, SUBPROPERTIES])
def test_ranges_and_domains_agree_with_hermit(body: str, tmp_path: Path) -> None:
    """HermiT gives the class-level range and data-domain answers EL gives."""
    graph = graph_of(
        body + ":m a owl:NamedIndividual . :o a owl:NamedIndividual . :n a owl:NamedIndividual ."
    )
    graph = for_hermit(graph)
    expected = hermit(graph, tmp_path)
    assert ours(graph) == expected
    if body is RANGES:
        for c, supers in RANGE_SUPERS.items():
            assert expected[0][str(EX[c])] == {str(EX[c])} | {str(EX[s]) for s in supers}
        for i, types in RANGE_TYPES.items():
            assert expected[1][str(EX[i])] == {str(EX.I)} | {str(EX[c]) for c in types}


# -- 3. functional data properties, and what is left out ---------------------------------


@pytest.mark.parametrize(
    ("values", "consistent"),
    [
        ('2 , 2.0 , "02"^^xsd:int', True),  # one value, three ways (HermiT: consistent)
        ('2 , "2"^^xsd:double', False),  # an integer and a double (HermiT: inconsistent)
        ("1 , 2", False),
        ('"a"@en , "a"@EN', True),
        ('"1"^^:dt , "01"^^:dt', True),  # unknown datatype: nothing can be said
    ],
)
def test_functional_data_property(values: str, consistent: bool) -> None:
    """Two different values of a functional datatype property make the individual inconsistent.

    (The restriction on A is there so that the el regime runs its reasoner at all.)
    """
    kg = load(
        f"""
        :p a owl:DatatypeProperty , owl:FunctionalProperty .
        :A a owl:Class ; rdfs:subClassOf [ owl:onProperty :r ; owl:someValuesFrom :B ] .
        :a a owl:NamedIndividual ; :p {values} .
        """
    )
    if consistent:
        assert not kg.is_a(EX.a, OWL.Nothing)
        return
    with pytest.warns(GenAIGraphWarning, match="inconsistent"):
        assert kg.is_a(EX.a, OWL.Nothing)
    why = kg.explain(EX.a, OWL.Nothing)
    assert why is not None
    assert (EX.p, RDF.type, OWL.FunctionalProperty) in {
        (s.subject, s.predicate, s.object) for s in why if s.stated
    }


def test_functional_data_property_through_a_class() -> None:
    """A class with two values of a functional property is unsatisfiable."""
    kg = load(
        """
        :p a owl:DatatypeProperty , owl:FunctionalProperty . :q a owl:DatatypeProperty ; rdfs:subPropertyOf :p .
        :A a owl:Class ; rdfs:subClassOf [ owl:onProperty :p ; owl:hasValue 1 ] , [ owl:onProperty :q ; owl:hasValue 2 ] .
        :B a owl:Class ; rdfs:subClassOf [ owl:onProperty :p ; owl:hasValue 1 ] , [ owl:onProperty :q ; owl:hasValue 1.0 ] .
        """
    )
    assert kg.is_a(EX.A, OWL.Nothing)
    assert not kg.is_a(EX.B, OWL.Nothing)


@pytest.mark.parametrize(
    ("body", "what"),
    [
        (":f a owl:ObjectProperty , owl:FunctionalProperty .", "owl:FunctionalProperty"),
        (":f a owl:InverseFunctionalProperty .", "owl:InverseFunctionalProperty"),
        (":f a owl:ObjectProperty , owl:ReflexiveProperty .", "owl:ReflexiveProperty"),
        (":f a owl:ObjectProperty , owl:IrreflexiveProperty .", "owl:IrreflexiveProperty"),
        (":f a owl:ObjectProperty , owl:AsymmetricProperty .", "owl:AsymmetricProperty"),
        (":X owl:disjointUnionOf ( :A :B ) .", "owl:disjointUnionOf"),
        (":a owl:differentFrom :b .", "owl:differentFrom"),
        ("[] a owl:AllDifferent ; owl:distinctMembers ( :a :b ) .", "owl:AllDifferent"),
        (":f a owl:ObjectProperty ; owl:propertyDisjointWith :g .", "owl:propertyDisjointWith"),
        ("[] a owl:AllDisjointProperties ; owl:members ( :f :g ) .", "owl:AllDisjointProperties"),
        (":A owl:hasKey ( :f ) .", "owl:hasKey"),
        (
            "[] a owl:NegativePropertyAssertion ; owl:sourceIndividual :a ; "
            "owl:assertionProperty :f ; owl:targetIndividual :b .",
            "owl:NegativePropertyAssertion",
        ),
    ],
)
def test_left_out_constructs_are_reported(body: str, what: str) -> None:
    """What EL leaves out is named in one warning; the other answers stand."""
    kg = load(
        ":A a owl:Class . :B a owl:Class ; rdfs:subClassOf :C . :C a owl:Class . :a a :B . "
        ":D owl:equivalentClass [ owl:onProperty :r ; owl:someValuesFrom :C ] . :b :r :a . " + body
    )
    with pytest.warns(GenAIGraphWarning, match=what) as caught:
        assert kg.is_a(EX.a, EX.C)
    assert len([w for w in caught if "left out" in str(w.message)]) == 1
    assert kg.is_a(EX.b, EX.D)
    assert [k for k in kg._regime("el").unsupported if what in k]


def test_disjoint_union_keeps_its_sound_part() -> None:
    """owl:disjointUnionOf gives its members as subclasses and disjoint; only the covering is left out."""
    kg = load(
        ":X owl:disjointUnionOf ( :A :B ) . :A a owl:Class . :B a owl:Class . :Z rdfs:subClassOf :A , :B ."
        " :D owl:equivalentClass [ owl:onProperty :r ; owl:someValuesFrom :A ] ."
    )
    with pytest.warns(GenAIGraphWarning, match="disjointUnionOf"):
        assert kg.is_a(EX.A, EX.X)
    assert kg.is_a(EX.B, EX.X)
    assert kg.is_a(EX.Z, OWL.Nothing)


def test_bundled_ontology_has_nothing_left_out(kg: genai_graph.KnowledgeGraph) -> None:
    """The bundled ontology's functional datatype properties are handled, not reported."""
    assert kg.graph.value(None, RDF.type, OWL.FunctionalProperty) is not None
    assert kg._regime("el").unsupported == {}


# -- 4. transitive closures ---------------------------------------------------------------


def chain(n: int) -> str:
    """Return a chain of n transitive partOf links, and the class of what is part of the last one."""
    links = " ".join(f":x{i} a owl:NamedIndividual ; :partOf :x{i + 1} ." for i in range(n))
    return f"""
    :partOf a owl:ObjectProperty , owl:TransitiveProperty .
    :InLast a owl:Class ; owl:equivalentClass [ owl:onProperty :partOf ; owl:hasValue :x{n} ] .
    :x{n} a owl:NamedIndividual .
    {links}
    """


def test_a_long_transitive_chain() -> None:
    """A chain of 1,000 transitive links closes (the cubic rule took minutes), with a proof per link."""
    n = 1000
    kg = load(chain(n))
    assert len(kg.related(EX.x0, EX.partOf)) == n
    assert kg.is_a(EX.x0, EX.InLast)
    why = kg.explain(EX.x0, EX.InLast)
    assert why is not None
    stated = [s for s in why if s.stated]
    assert all((s.subject, s.predicate, s.object) in kg.graph for s in stated)
    assert (why[-1].subject, why[-1].object) == (EX.x0, EX.InLast)
    proof = kg.explain(EX.x0, EX[f"x{n}"], relation=EX.partOf)
    assert proof is not None
    assert sum(1 for s in proof if s.stated and s.predicate == EX.partOf) == n


def test_transitive_closure_matches_networkx() -> None:
    """On a branching graph with a subproperty and a chain, el's links are the closure networkx computes."""
    edges = [(0, 1), (1, 2), (2, 3), (1, 4), (4, 3), (3, 5), (6, 4), (5, 6), (7, 7), (8, 0)]
    sub_edges = [(9, 8), (5, 10)]  # part of, stated with the subproperty "in"
    lines = [
        ":partOf a owl:ObjectProperty , owl:TransitiveProperty .",
        ":in a owl:ObjectProperty ; rdfs:subPropertyOf :partOf .",
        ":near a owl:ObjectProperty ; owl:propertyChainAxiom ( :partOf :next ) .",
        ":next a owl:ObjectProperty .",
        ":n0 :next :n11 .",
        ":n3 :next :n12 .",
    ]
    lines += [f":n{a} :partOf :n{b} ." for a, b in edges]
    lines += [f":n{a} :in :n{b} ." for a, b in sub_edges]
    kg = load("\n".join(lines))
    closure = nx.transitive_closure(nx.DiGraph(edges + sub_edges), reflexive=False)
    el = ELReasoner(kg.graph)
    for node in range(11):
        atom = el.atom_of_individual(EX[f"n{node}"])
        assert atom is not None
        targets = {el.key(t)[1] for t in el.links(atom).get(EX.partOf, {})}
        assert targets == {EX[f"n{m}"] for m in closure.successors(node)}, node
        near = {el.key(t)[1] for t in el.links(atom).get(EX.near, {})}
        expected = {EX.n11} if 0 in closure.successors(node) else set()
        expected |= {EX.n12} if 3 in closure.successors(node) else set()
        assert near == expected, node


def test_every_link_is_derived_once() -> None:
    """Each closure link is queued a bounded number of times, not once per midpoint."""
    el = ELReasoner(graph_of(chain(300)))
    links = sum(len(el.links(atom).get(EX.partOf, {})) for _, atom in el.individuals())
    assert links == 300 * 301 // 2
    assert el.derivations <= 3 * links
