"""The entailment switch: told, rdfs, el and owl-rl answers, their explanations, and what each leaves out."""

from __future__ import annotations

import pytest
from rdflib import Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import genai_graph
from genai_graph import GenAIGraphError, GenAIGraphWarning

from .conftest import DATA

EX = Namespace("http://example.org/el#")


@pytest.fixture(scope="module")
def el() -> genai_graph.KnowledgeGraph:
    """tests/data/el.ttl under the default regime (el); its warning about allValuesFrom is expected."""
    kg = genai_graph.load(DATA / "el.ttl", bundled=False)
    with pytest.warns(GenAIGraphWarning, match="allValuesFrom"):
        kg.is_a(EX.C, EX.A)
    return kg


@pytest.mark.parametrize(
    ("sub", "sup", "el_answer", "told_answer"),
    [
        (EX.C, EX.F, True, False),  # the example
        (EX.G, EX.A, True, False),  # intersection on the right
        (EX.G, EX.B, True, False),
        (EX.H, EX.G, True, False),  # intersection on the left
        (EX.A, EX.U, True, False),  # union as a superclass
        (EX.B, EX.U, True, False),
        (EX.K, EX.F, True, False),  # through the subproperty s of r
        (EX.Z, EX.A, True, False),  # unsatisfiable: below everything
        (EX.F, EX.C, False, False),
        (EX.A, EX.F, False, False),
        (EX.c1, EX.F, True, False),  # an individual classified by its assertions
        (EX.k1, EX.F, True, False),  # ... through a subproperty assertion
        (EX.w1, EX.OwnedByAcme, True, False),  # hasValue on an object property
        (EX.w1, EX.OpenThingy, True, False),  # hasValue on a datatype property
        (EX.w1, EX.Owned, True, False),  # rdfs:domain
        (EX.d1, EX.E, True, True),
        (EX.Only, EX.D, False, False),  # allValuesFrom is left out: no wrong answer
    ],
)
def test_el_against_told(
    el: genai_graph.KnowledgeGraph, sub: URIRef, sup: URIRef, el_answer: bool, told_answer: bool
) -> None:
    """EL classification gives exactly the inferences its rules promise, told gives only stated ones."""
    assert el.is_a(sub, sup) is el_answer
    assert el.is_a(sub, sup, entailment="told") is told_answer


def test_relation_chains_and_transitivity(el: genai_graph.KnowledgeGraph) -> None:
    """A transitive property and a property chain give new links under el."""
    assert "fleet" in {c.iri.split("#")[1] for c in el.related(EX.wheel, EX.partOf)}
    assert EX.fleet in el.related(EX.v1, EX.t).iris  # r then partOf: t
    assert EX.fleet not in el.related(EX.v1, EX.t, entailment="told").iris


def test_explanations_end_in_the_conclusion(el: genai_graph.KnowledgeGraph) -> None:
    """An EL explanation lists stated premises from the graph, then inferred steps, ending in x is-a y."""
    why = el.explain(EX.C, EX.F)
    assert why is not None and not why.stated
    last = why[-1]
    assert (last.subject, last.object, last.stated) == (EX.C, EX.F, False)
    assert last.rule == "EL: intersection"
    stated = [s for s in why if s.stated]
    assert stated and all((s.subject, s.predicate, s.object) in el.graph for s in stated)
    text = str(why)
    assert "(r some D)" in text.replace("http://example.org/el#", "") or "r some" in text


def test_explanation_of_an_individual(el: genai_graph.KnowledgeGraph) -> None:
    """c1 is an F because it is an A with an r-link to a D, and D is below E."""
    why = el.explain(EX.c1, EX.F)
    assert why is not None
    triples = {(s.subject, s.predicate, s.object) for s in why if s.stated}
    assert (EX.c1, EX.r, EX.d1) in triples
    assert (EX.D, RDFS.subClassOf, EX.E) in triples


def test_unsatisfiable_class(el: genai_graph.KnowledgeGraph) -> None:
    """A class under two disjoint classes is equivalent to owl:Nothing, and explained by the disjointness."""
    assert el.is_a(EX.Z, OWL.Nothing)
    why = el.explain(EX.Z, EX.A)
    assert why is not None
    assert any(s.predicate == OWL.disjointWith for s in why)


def test_rdfs_regime() -> None:
    """Under rdfs, domains and ranges give types and subproperties carry assertions up."""
    kg = genai_graph.load(DATA / "el.ttl", bundled=False, entailment="rdfs")
    assert kg.is_a(EX.w1, EX.Owned)
    assert not kg.is_a(EX.w1, EX.Owned, entailment="told")
    why = kg.explain(EX.w1, EX.Owned)
    assert why is not None and why[-1].rule == "rdfs2 (domain)"
    assert (EX.k1, EX.r, EX.d1) in kg.inferred()
    assert (EX.k1, EX.r, EX.d1) not in kg.graph


def test_owlrl_regime(el: genai_graph.KnowledgeGraph) -> None:
    """owl-rl classifies individuals through intersections and someValuesFrom, and names the rules."""
    assert el.is_a(EX.c1, EX.F, entailment="owl-rl")
    why = el.explain(EX.c1, EX.A, entailment="owl-rl")
    assert why is not None and why.stated
    why = el.explain(EX.d1, EX.E, entailment="owl-rl")
    assert why is not None
    why = el.explain(EX.c1, EX.F, entailment="owl-rl")
    assert why is not None and not why.stated
    assert {"cax-sco", "scm-eqc1"} <= {s.rule for s in why if not s.stated}


def test_inferred_statements_stay_apart() -> None:
    """Reasoning never adds to kg.graph; the inferred graph holds what it entails."""
    kg = genai_graph.load(DATA / "el.ttl", bundled=False)
    before = set(kg.graph)
    with pytest.warns(GenAIGraphWarning):
        inferred = kg.inferred("el")
    assert set(kg.graph) == before
    assert (EX.C, RDFS.subClassOf, EX.F) in inferred
    assert (
        inferred.isdisjoint(kg.graph)
        if hasattr(inferred, "isdisjoint")
        else all(t not in kg.graph for t in inferred)
    )


def test_unknown_entailment() -> None:
    """A misspelt regime is an error listing the valid ones."""
    with pytest.raises(GenAIGraphError, match="'told', 'rdfs', 'el', 'owl-rl'"):
        genai_graph.load(bundled=False, entailment="OWL")


def test_bundled_has_nothing_unsupported(kg: genai_graph.KnowledgeGraph) -> None:
    """The bundled ontology stays inside what the EL reasoner supports (no warning is raised)."""
    assert kg._regime("el").unsupported == {}


def test_sparql_sees_the_entailment(kg: genai_graph.KnowledgeGraph) -> None:
    """With an entailment, SPARQL sees inherited types and relations, and can tell them apart by GRAPH."""
    q = "SELECT ?m WHERE { ?m genai:usesArchitecture genai:Transformer }"
    told = {row.m for row in kg.query(q)}
    el_rows = {row.m for row in kg.query(q, entailment="el")}
    assert genai_graph.GENAI.Llama2 in el_rows - told  # Llama 2 uses a decoder-only transformer
    q = "ASK { GRAPH <urn:genai-graph:inferred> { genai:GPT4 a genai:GenerativeAI } }"
    assert kg.query(q, entailment="el") is True
    q = "ASK { GRAPH <urn:genai-graph:asserted> { genai:GPT4 a genai:GenerativeAI } }"
    assert kg.query(q, entailment="el") is False


def test_index_rebuilt_after_change_for_every_regime() -> None:
    """Each regime sees a change to the graph at its next answer."""
    kg = genai_graph.load(bundled=False)
    a, b = URIRef("http://example.org/a"), URIRef("http://example.org/b")
    kg.graph.add((a, RDF.type, OWL.Class))
    kg.graph.add((b, RDF.type, OWL.Class))
    for regime in ("told", "rdfs", "el", "owl-rl"):
        assert not kg.is_a(a, b, entailment=regime)
    kg.graph.add((a, RDFS.subClassOf, b))
    for regime in ("told", "rdfs", "el", "owl-rl"):
        assert kg.is_a(a, b, entailment=regime)


SUBPROPERTIES = """
@prefix : <http://ex.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
:developedBy a owl:ObjectProperty ; rdfs:subPropertyOf :involves .
:involves a owl:ObjectProperty .
:Model a owl:Class . :Org a owl:Class . :Lab a owl:Class ; rdfs:subClassOf :Org .
:m a :Model ; :developedBy :o . :o a :Lab .
:M2 a owl:Class ; rdfs:subClassOf [ owl:onProperty :developedBy ; owl:someValuesFrom :Lab ] .
"""


@pytest.mark.parametrize("regime", ["told", "rdfs", "el", "owl-rl"])
def test_related_and_who_follow_subproperties(regime: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Asking with a superproperty finds the links stated with its subproperties."""
    path = tmp_path / "sp.ttl"
    path.write_text(SUBPROPERTIES)
    kg = genai_graph.load(path, bundled=False, entailment=regime)
    ex = Namespace("http://ex.org/")
    assert set(kg.related(ex.m, ex.involves).iris) == {ex.o}
    assert set(kg.related(ex.m, ex.developedBy).iris) == {ex.o}
    assert ex.m in kg.who(ex.involves, ex.o)
    assert ex.m in kg.who(ex.involves, ex.Org)
    assert ex.M2 in kg.who(ex.involves, ex.Org)
    assert ex.m not in kg.who(ex.developedBy, ex.Model)
    assert kg.explain(ex.m, ex.o, relation=ex.involves) is not None


def test_a_proof_thousands_of_steps_deep(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A 3,000-link existential chain is explained without running out of Python stack."""
    n = 3000
    lines = [
        "@prefix : <http://ex.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        ":r a owl:ObjectProperty . :B owl:equivalentClass [ owl:onProperty :r ; owl:someValuesFrom :B ] .",
        f":A{n} rdfs:subClassOf :B .",
    ]
    lines += [
        f":A{i} rdfs:subClassOf [ owl:onProperty :r ; owl:someValuesFrom :A{i + 1} ] ."
        for i in range(n)
    ]
    path = tmp_path / "deep.ttl"
    path.write_text("\n".join(lines))
    kg = genai_graph.load(path, bundled=False)
    ex = Namespace("http://ex.org/")
    why = kg.explain(ex.A0, ex.B)
    assert why is not None and why.steps[-1].subject == ex.A0 and why.steps[-1].object == ex.B
    assert len([s for s in why if not s.stated]) >= n
