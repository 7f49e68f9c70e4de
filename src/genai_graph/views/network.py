"""Converting a KnowledgeGraph to a networkx graph, the shape every picture starts from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Literal, URIRef
from rdflib.namespace import DC, DCTERMS, OWL, RDF, RDFS

if TYPE_CHECKING:
    import networkx as nx

    from ..graph import KnowledgeGraph

__all__ = ["categories", "neighbourhood", "to_networkx"]

_TOP = (OWL.Thing, OWL.Nothing)
#: Annotations that say where a term comes from, in the order the page lists them.
_SOURCE_PREDICATES = (DCTERMS.source, DC.source, RDFS.seeAlso)


def _sources(kg: KnowledgeGraph, iri: URIRef) -> list[str]:
    """Return the sources of `iri` (IRIs and literals of dcterms:source, rdfs:seeAlso...)."""
    out: list[str] = []
    for predicate in _SOURCE_PREDICATES:
        for value in sorted(kg.graph.objects(iri, predicate), key=str):
            text = str(value)
            if text and text not in out:
                out.append(text)
    return out


def categories(kg: KnowledgeGraph, entailment: str | None = None) -> dict[URIRef, str]:
    """Return the category label of every class and individual.

    A class's category is its top-level ancestor (the one sorting first by
    label when there are several); an individual takes the category of its
    first type. When a single class sits above everything, its children are
    the categories instead, so that pictures of any ontology get colours.
    """
    index = kg._index(entailment)
    classes = [c for c in index.classes if c not in _TOP]
    roots = {c for c in classes if not index.parents(c)}
    while len(roots) == 1:
        (only,) = roots
        below = index.children(only) - set(_TOP)
        if not below:
            break
        roots = below
    order = sorted(roots, key=lambda r: (kg._label(r).casefold(), str(r)))
    out: dict[URIRef, str] = {}
    for cls in classes:
        above = index.ancestors(cls) | {cls}
        top = next((r for r in order if r in above), None)
        out[cls] = kg._label(top) if top is not None else "Other"
    for ind in index.individuals():
        types = sorted(index.parents(ind), key=lambda t: (kg._label(t).casefold(), str(t)))
        category = next((out[t] for t in types if t in out), "Other")
        if ind not in out:
            out[ind] = category
    return out


def to_networkx(
    kg: KnowledgeGraph,
    *,
    taxonomy_only: bool = False,
    entailment: str | None = None,
    inferred_relations: bool = False,
) -> nx.MultiDiGraph:
    """Return classes and individuals as nodes, is-a and relations as edges.

    Stated edges come from the graph; the regime adds the is-a edges it infers
    (its direct superclasses and types that the graph does not state) with
    ``stated=False``, and, with `inferred_relations`, the relations it infers.
    See :meth:`genai_graph.KnowledgeGraph.to_networkx` for the attributes.
    """
    import networkx as nx

    regime = kg._regime(entailment)
    index = regime.index
    names = kg._names()
    graph = nx.MultiDiGraph()
    category = categories(kg, entailment)
    nodes = [n for n in (*index.classes, *index.individuals()) if n not in _TOP]
    for iri in nodes:
        graph.add_node(
            str(iri),
            label=kg._label(iri),
            kind="class" if index.is_class(iri) else "individual",
            category=category.get(iri, "Other"),
            definition=kg._definition(iri),
            synonyms=list(kg._synonyms(iri)),
            curie=names.curie(str(iri)),
            sources=_sources(kg, iri),
        )
    rdf = kg.graph
    present = {str(n) for n in nodes}

    def edge(
        s: object, p: URIRef, o: object, kind: str, relation: str, stated: bool = True
    ) -> None:
        u, v = str(s), str(o)
        key = f"{p} {kind}"
        if u in present and v in present and u != v and not graph.has_edge(u, v, key=key):
            graph.add_edge(
                u, v, key=key, relation=relation, predicate=str(p), kind=kind, stated=stated
            )

    for s, o in rdf.subject_objects(RDFS.subClassOf):
        edge(s, RDFS.subClassOf, o, "subclass", "is a")
    for s, o in rdf.subject_objects(OWL.equivalentClass):
        edge(s, OWL.equivalentClass, o, "subclass", "equivalent to")
    for s, o in rdf.subject_objects(RDF.type):
        if isinstance(s, URIRef) and index.is_individual(s):
            edge(s, RDF.type, o, "type", "instance of")
    # what the regime infers: direct superclasses and types the graph does not state
    told = regime.told_index
    for iri in nodes:
        for parent in index.parents(iri):
            if not told.is_a(iri, parent):
                if index.is_class(iri):
                    edge(iri, RDFS.subClassOf, parent, "subclass", "is a", stated=False)
                else:
                    edge(iri, RDF.type, parent, "type", "instance of", stated=False)
    if not taxonomy_only:
        for iri in nodes:
            relations = (
                kg.relations(iri, inferred=True, entailment=entailment)
                if inferred_relations
                else kg.relations(iri)
            )
            for rel in relations:
                if not isinstance(rel.object, Literal):
                    edge(
                        iri,
                        rel.predicate.iri,
                        rel.object.iri,
                        "relation",
                        rel.predicate.label,
                        rel.stated,
                    )
    return graph


def neighbourhood(graph: nx.MultiDiGraph, centre: str, depth: int) -> nx.MultiDiGraph:
    """Return the subgraph within `depth` links of `centre`, following edges both ways."""
    seen = {centre}
    frontier = [centre]
    for _ in range(depth):
        nxt = []
        for node in frontier:
            for other in (*graph.successors(node), *graph.predecessors(node)):
                if other not in seen:
                    seen.add(other)
                    nxt.append(other)
        frontier = nxt
    return graph.subgraph(seen).copy()
