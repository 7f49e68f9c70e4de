"""Our reasoner against independent ones: HermiT (OWL 2 DL, Java, via owlready2) and owlrl (OWL 2 RL)."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

import genai_graph
from genai_graph.loading import bundled_ontology

from .conftest import require
from .strategies import RandomOntology, el_ontologies, random_el

SEEDS = range(40)


HERMIT_LINE = re.compile(r"^(SubClassOf|EquivalentClasses|Type)\(\s*(.*?)\s*\)$")


class HermitInconsistentError(Exception):
    """HermiT found the ontology inconsistent."""


def hermit(graph: Graph, tmp: Path) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Classify `graph` with HermiT's own command line; return each class's and individual's named subsumers.

    HermiT prints the direct taxonomy and the direct types; the closure is
    computed here with networkx, independently of genai-graph.
    """
    java = require("Java (for HermiT)", "java")
    spec = importlib.util.find_spec("owlready2")
    if spec is None or spec.origin is None:
        require("owlready2 (ships HermiT.jar)", "/nonexistent/owlready2")
        raise AssertionError("unreachable")
    jar_dir = Path(spec.origin).parent / "hermit"
    path = tmp / "onto.nt"
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore"
        )  # rdflib's N-Triples serializer warns about its fixed encoding
        graph.serialize(path, format="nt", encoding="utf-8")
    done = subprocess.run(
        [
            shutil.which(java) or java,
            "-Xmx2000M",
            "-cp",
            f"{jar_dir}{os.pathsep}{jar_dir / 'HermiT.jar'}",
            "org.semanticweb.HermiT.cli.CommandLine",
            "-c",
            "-I",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if "InconsistentOntologyException" in done.stderr + done.stdout:
        raise HermitInconsistentError
    assert done.returncode == 0, done.stderr
    taxonomy = nx.DiGraph()
    classes = {str(c) for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    taxonomy.add_nodes_from(classes)
    direct_types: dict[str, set[str]] = {
        str(i): set() for i in graph.subjects(RDF.type, OWL.NamedIndividual)
    }
    for line in done.stdout.splitlines():
        match = HERMIT_LINE.match(line.strip())
        if not match:
            continue
        kind, args = match.groups()
        iris = re.findall(r"<([^>]*)>|(owl:\w+)", args)
        names = [a or ("http://www.w3.org/2002/07/owl#" + b.split(":")[1]) for a, b in iris]
        if kind == "SubClassOf":
            taxonomy.add_edge(names[0], names[1])
        elif kind == "EquivalentClasses":
            for a in names:
                for b in names:
                    if a != b:
                        taxonomy.add_edge(a, b)
        else:
            direct_types.setdefault(names[0], set()).add(names[1])
    nothing = str(OWL.Nothing)
    unsat = set(nx.ancestors(taxonomy, nothing)) if nothing in taxonomy else set()
    supers = {}
    for c in classes:
        supers[c] = set(classes) if c in unsat else (nx.descendants(taxonomy, c) | {c}) & classes
    types = {
        i: {a for t in ts for a in (nx.descendants(taxonomy, t) | {t}) if a in classes}
        for i, ts in direct_types.items()
    }
    return supers, types


def ours(graph: Graph, entailment: str = "el") -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """Return the same answers from genai-graph."""
    kg = genai_graph.load(graph, bundled=False, entailment=entailment)
    classes = {str(c) for c in graph.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    supers = {c: {a for a in classes if kg.is_a(URIRef(c), URIRef(a))} for c in classes}
    individuals = {str(i) for i in graph.subjects(RDF.type, OWL.NamedIndividual)}
    types = {i: {a for a in classes if kg.is_a(URIRef(i), URIRef(a))} for i in individuals}
    return supers, types


def inconsistent_under_el(graph: Graph) -> bool:
    """Return True if our EL reasoner finds an individual below owl:Nothing."""
    kg = genai_graph.load(graph, bundled=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", genai_graph.GenAIGraphWarning)
        index = kg._index("el")
    return any(index.is_a(i, OWL.Nothing) for i in index.individuals())


@pytest.fixture(scope="module")
def random_graphs() -> dict[int, Graph]:
    """Parse the seeded random EL ontologies, each in its own namespace."""
    return {
        seed: Graph().parse(
            data=random_el(seed).turtle(f"http://example.org/r{seed}#"), format="turtle"
        )
        for seed in SEEDS
    }


@pytest.mark.slow
@pytest.mark.reasoner
def test_random_el_ontologies_agree_with_hermit(
    random_graphs: dict[int, Graph], tmp_path: Path
) -> None:
    """On the consistent random EL ontologies (defined classes, existentials, chains), EL equals HermiT."""
    merged = Graph()
    used = 0
    for graph in random_graphs.values():
        if not inconsistent_under_el(graph):
            merged += graph
            used += 1
    assert used >= 30
    expected = hermit(merged, tmp_path)
    got = ours(merged)
    assert got[0] == expected[0]
    assert got[1] == expected[1]


@pytest.mark.slow
@pytest.mark.reasoner
def test_inconsistency_agrees_with_hermit(random_graphs: dict[int, Graph], tmp_path: Path) -> None:
    """Where EL finds an individual in disjoint classes, HermiT finds the ontology inconsistent too."""
    bad = [seed for seed, graph in random_graphs.items() if inconsistent_under_el(graph)][:4]
    assert bad, "the seeds should include inconsistent ontologies"
    for seed in bad:
        with pytest.raises(HermitInconsistentError):
            hermit(random_graphs[seed], tmp_path)


@pytest.mark.slow
@pytest.mark.reasoner
def test_bundled_ontology_agrees_with_hermit(tmp_path: Path) -> None:
    """The bundled ontology is consistent, has no unsatisfiable class, and EL answers as HermiT does."""
    graph = Graph().parse(data=bundled_ontology().read_text(encoding="utf-8"), format="turtle")
    expected = hermit(graph, tmp_path)  # raises HermitInconsistentError if inconsistent
    everything = set(expected[0])
    assert [
        c for c, supers in expected[0].items() if supers == everything
    ] == []  # nothing below owl:Nothing
    got = ours(graph)
    assert got[0] == expected[0]
    assert got[1] == expected[1]


@settings(max_examples=40, deadline=None)
@given(el_ontologies)
def test_every_owlrl_type_is_an_el_type(onto: RandomOntology) -> None:
    """Every type the OWL 2 RL closure (owlrl) gives an individual, EL gives too.

    Not the other way round: RL cannot use an existential on the superclass
    side (``C SubClassOf p some D``), EL can; HermiT confirms EL's answers.
    """
    onto.disjoint.clear()
    graph = Graph().parse(data=onto.turtle("http://example.org/x#"), format="turtle")
    el_types, rl_types = ours(graph, "el")[1], ours(graph, "owl-rl")[1]
    assert el_types.keys() == rl_types.keys()
    for individual, types in rl_types.items():
        assert types <= el_types[individual], individual


@settings(max_examples=40, deadline=None)
@given(el_ontologies)
def test_told_subclass_closure_agrees_with_owlrl(onto: RandomOntology) -> None:
    """With only named subClassOf edges, told subsumption equals owlrl's subClassOf closure."""
    plain = RandomOntology(onto.n, parents=onto.parents)
    graph = Graph().parse(data=plain.turtle("http://example.org/y#"), format="turtle")
    told = ours(graph, "told")[0]
    rl = genai_graph.load(graph, bundled=False, entailment="owl-rl").inferred("owl-rl")
    closure = {str(c): {str(c)} for c in graph.subjects(RDF.type, OWL.Class)}
    for s, o in [*graph.subject_objects(RDFS.subClassOf), *rl.subject_objects(RDFS.subClassOf)]:
        if str(o) in closure and str(s) in closure:
            closure[str(s)].add(str(o))
    assert told == closure


def test_crosscheck_seeds_are_stable() -> None:
    """The generator is deterministic, so a HermiT disagreement can be replayed from its seed."""
    assert random_el(7).turtle("urn:x#") == random_el(7).turtle("urn:x#")


@pytest.mark.slow
@pytest.mark.reasoner
def test_third_party_ontology_agrees_with_hermit(tmp_path: Path) -> None:
    """The Artificial Intelligence Ontology (RDF/XML, someone else's) classifies under EL as under HermiT."""
    graph = Graph().parse(Path(__file__).parent / "data" / "aio" / "aio.owl", format="xml")
    expected = hermit(graph, tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", genai_graph.GenAIGraphWarning
        )  # constructs outside EL are reported
        got = ours(graph)
    assert len(got[0]) > 400
    assert got[0] == expected[0]
