"""The KnowledgeGraph: holds the statements and hands each question to the part that answers it.

Names go to :mod:`genai_graph.names`, is-a questions to the subsumption index
(:mod:`genai_graph.reasoning`), SPARQL to :mod:`genai_graph.sparql`, pictures to
:mod:`genai_graph.views`. Indexes are built on first use and rebuilt after the
graph changes.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DC, DCTERMS, OWL, RDF, RDFS, SKOS
from rdflib.plugins.stores.memory import Memory

from ._write import write_atomic
from .loading import Source, bundled_ontology, parse_bytes, parse_into
from .model import Concept, ConceptSet, Explanation, Relation, Step
from .names import LABEL_PREDICATES, SYNONYM_PREDICATES, NameIndex
from .namespaces import PREFIXES
from .reasoning.index import BUILTIN_NAMESPACES, SubsumptionIndex
from .sparql import SelectResult, run_query

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["KnowledgeGraph", "NameLike", "load"]

NameLike = str | URIRef | Concept
"""A label, synonym, CURIE, IRI or :class:`Concept`."""

_ANNOTATION_NAMESPACES = (
    *BUILTIN_NAMESPACES,
    str(SKOS),
    str(DCTERMS),
    str(DC),
    "http://www.geneontology.org/formats/oboInOwl#",
)
_SYMMETRIC = (OWL.equivalentClass, OWL.sameAs)
_PROPERTY_TYPES = (
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.TransitiveProperty,
    OWL.FunctionalProperty,
    OWL.SymmetricProperty,
    RDF.Property,
)


class _TrackedMemory(Memory):
    """rdflib's in-memory store, counting changes so indexes know when they are stale."""

    def __init__(self) -> None:
        super().__init__()
        self.generation = 0

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        self.generation += 1
        super().add(triple, context, quoted)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        self.generation += 1
        super().remove(triple_pattern, context)


@functools.cache
def _bundled_triples() -> tuple[tuple[Any, Any, Any], ...]:
    """Parse the bundled ontology once per process."""
    source = bundled_ontology()
    graph = Graph(bind_namespaces="core")
    parse_bytes(graph, source.read_bytes(), "turtle", f"bundled {source.name}")
    return tuple(graph)


def load(*sources: Source, bundled: bool = True) -> KnowledgeGraph:
    """Load RDF/OWL sources into a new :class:`KnowledgeGraph`.

    Parameters
    ----------
    *sources : str, os.PathLike or rdflib.Graph
        Files in Turtle, RDF/XML, N-Triples, N3, TriG, N-Quads or JSON-LD
        (chosen by extension, else by content), or rdflib graphs (copied).
    bundled : bool, default True
        Include the bundled Generative AI ontology.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    OntologyLoadError
        If a file is missing or malformed; the message gives file, line and column.

    Examples
    --------
    >>> kg = genai_graph.load()
    >>> kg.is_a("LLM", "Generative AI")
    True
    >>> genai_graph.load(bundled=False).stats()["triples"]
    0
    """
    kg = KnowledgeGraph()
    if bundled:
        kg.graph.addN((s, p, o, kg.graph) for s, p, o in _bundled_triples())
    parse_into(kg.graph, sources)
    for source in sources:
        if isinstance(source, Graph):
            for prefix, namespace in source.namespaces():
                kg.graph.bind(prefix, namespace, override=False)
    return kg


class KnowledgeGraph:
    """An RDF graph with the questions people ask of an ontology.

    Make one with :func:`genai_graph.load`. Every method that takes a concept
    accepts a label, a synonym, a CURIE, an IRI or a :class:`Concept`,
    case-insensitively.

    Parameters
    ----------
    graph : rdflib.Graph, optional
        Statements to start from (copied; the original is never changed).

    Examples
    --------
    >>> kg.is_a("GPT-4", "Generative AI")
    True
    >>> sorted(kg.parents("LLM"))
    [Concept('genai:GenerativeAI', label='Generative AI'), Concept('genai:LanguageModel', label='Language Model')]
    """

    def __init__(self, graph: Graph | None = None) -> None:
        self._store = _TrackedMemory()
        self._graph = Graph(store=self._store, bind_namespaces="core")
        for prefix, namespace in PREFIXES.items():
            self._graph.bind(prefix, namespace)
        if graph is not None:
            parse_into(self._graph, [graph])
            for prefix, ns in graph.namespaces():
                self._graph.bind(prefix, ns, override=False)
        self._built_at = -1
        self._cache: dict[str, Any] = {}

    # -- state -------------------------------------------------------------

    @property
    def graph(self) -> Graph:
        """The asserted statements, an rdflib Graph.

        You may change it; every answer after the change reflects it.
        """
        return self._graph

    def _cached(self, key: str, build: Any) -> Any:
        if self._built_at != self._store.generation:
            self._cache.clear()
            self._built_at = self._store.generation
        try:
            return self._cache[key]
        except KeyError:
            value = self._cache[key] = build()
            return value

    def _index(self) -> SubsumptionIndex:
        index: SubsumptionIndex = self._cached("index", lambda: SubsumptionIndex(self._graph))
        return index

    def _names(self) -> NameIndex:
        def build() -> NameIndex:
            known = {t for t in self._graph.all_nodes() if isinstance(t, URIRef)}
            known.update((OWL.Thing, OWL.Nothing))
            known.update(p for p in self._graph.predicates() if isinstance(p, URIRef))
            prefixes = {str(k): str(v) for k, v in self._graph.namespaces()}
            prefixes.update({k: str(ns) for k, ns in PREFIXES.items()})
            return NameIndex(self._graph, known, prefixes)

        names: NameIndex = self._cached("names", build)
        return names

    def _resolve(self, name: NameLike) -> URIRef:
        if isinstance(name, Concept):
            return name.iri
        if isinstance(name, URIRef):
            return self._names().resolve(f"<{name}>")
        if not isinstance(name, str):
            raise TypeError(f"a name must be a str, URIRef or Concept, not {type(name).__name__}")
        return self._names().resolve(name)

    # -- what a concept is ---------------------------------------------------

    def _label(self, iri: URIRef) -> str:
        labels: dict[URIRef, str] = self._cached("labels", dict)
        if iri not in labels:
            labels[iri] = self._pick_label(iri)
        return labels[iri]

    def _pick_label(self, iri: URIRef) -> str:
        best: tuple[int, str] | None = None
        for rank, predicate in enumerate(LABEL_PREDICATES):
            for value in self._graph.objects(iri, predicate):
                if isinstance(value, Literal):
                    lang = (value.language or "").lower()
                    score = rank * 3 + (0 if lang.startswith("en") else 1 if not lang else 2)
                    if best is None or (score, str(value)) < best:
                        best = (score, str(value))
        if best is not None:
            return best[1]
        return self._names().curie(str(iri))

    def _definition(self, iri: URIRef) -> str | None:
        for predicate in (
            SKOS.definition,
            URIRef("http://purl.obolibrary.org/obo/IAO_0000115"),
            RDFS.comment,
        ):
            values = sorted(
                (v for v in self._graph.objects(iri, predicate) if isinstance(v, Literal)),
                key=lambda v: (not (v.language or "en").lower().startswith("en"), str(v)),
            )
            if values:
                return str(values[0])
        return None

    def _synonyms(self, iri: URIRef) -> tuple[str, ...]:
        found = {
            str(v)
            for predicate in SYNONYM_PREDICATES
            for v in self._graph.objects(iri, predicate)
            if isinstance(v, Literal)
        }
        return tuple(sorted(found, key=str.casefold))

    def _kind(self, iri: URIRef) -> str:
        index = self._index()
        if index.is_class(iri):
            return "class"
        if index.is_individual(iri):
            return "individual"
        if self._is_property(iri):
            return "property"
        return "resource"

    def _is_property(self, iri: URIRef) -> bool:
        properties: frozenset[URIRef] = self._cached(
            "properties",
            lambda: frozenset(
                s
                for t in _PROPERTY_TYPES
                for s in self._graph.subjects(RDF.type, t)
                if isinstance(s, URIRef)
            ),
        )
        return iri in properties

    def concept(self, name: NameLike) -> Concept:
        """Return the concept that `name` denotes.

        Raises
        ------
        UnknownConceptError
            If nothing matches; the message suggests the closest names.
        AmbiguousNameError
            If several concepts match; the message lists them.

        Examples
        --------
        >>> kg.concept("genai:LargeLanguageModel") == kg.concept("large language model")
        True
        >>> kg.concept("Large Langauge Modle")
        Traceback (most recent call last):
        ...
        genai_graph.errors.UnknownConceptError: unknown name 'Large Langauge Modle'; did you mean 'Large Language Model' or 'Language Model'?
        """
        return Concept(self, self._resolve(name))

    # -- subsumption -------------------------------------------------------

    def is_a(self, x: NameLike, y: NameLike) -> bool:
        """Return True if `x` is a `y`: a subclass, an instance of a subclass, or `y` itself.

        Examples
        --------
        >>> kg.is_a("LLM", "Generative AI"), kg.is_a("Generative AI", "LLM")
        (True, False)
        """
        return self._index().is_a(self._resolve(x), self._resolve(y))

    def explain(self, x: NameLike, y: NameLike) -> Explanation | None:
        """Return the shortest chain of statements proving `x` is a `y`, or None.

        Examples
        --------
        >>> print(kg.explain("GPT-4", "Generative AI"))
        GPT-4 is an instance of Generative AI:
          GPT-4  --rdf:type-->  Large Language Model
          Large Language Model  --rdfs:subClassOf-->  Generative AI
        >>> kg.explain("Generative AI", "LLM") is None
        True
        """
        sub, sup = self._resolve(x), self._resolve(y)
        chain = self._index().explain(sub, sup)
        if chain is None:
            return None
        g = self._graph
        steps = tuple(
            Step(s, p, o, (s, p, o) in g or (p in _SYMMETRIC and (o, p, s) in g))
            for s, p, o in chain
        )
        return Explanation(self, sub, sup, steps)

    def ancestors(self, x: NameLike, *, reflexive: bool = False) -> ConceptSet:
        """Return every class `x` is a subclass or an instance of (owl:Thing left out).

        Parameters
        ----------
        x : str, URIRef or Concept
            The concept.
        reflexive : bool, default False
            Include `x` itself.

        See Also
        --------
        descendants, parents, is_a

        Examples
        --------
        >>> kg.ancestors("LLM").labels()
        ['AI System', 'Generative AI', 'Language Model']
        """
        iri = self._resolve(x)
        found = self._index().ancestors(iri)
        if reflexive:
            found.add(iri)
        return ConceptSet(self, found)

    def descendants(self, x: NameLike, *, reflexive: bool = False) -> ConceptSet:
        """Return every class that is a subclass of `x` (instances: see :meth:`instances`).

        Examples
        --------
        >>> kg.descendants("LLM").labels()
        ['Generative Pre-trained Transformer']
        """
        iri = self._resolve(x)
        found = self._index().descendants(iri)
        if reflexive:
            found.add(iri)
        return ConceptSet(self, found)

    def parents(self, x: NameLike) -> ConceptSet:
        """Return the direct superclasses of a class, or the asserted types of an individual."""
        return ConceptSet(self, self._index().parents(self._resolve(x)))

    def children(self, x: NameLike) -> ConceptSet:
        """Return the direct subclasses of `x`.

        Examples
        --------
        >>> "Text-to-Image Model" in kg.children("Image Generation Model")
        True
        """
        return ConceptSet(self, self._index().children(self._resolve(x)))

    def instances(self, x: NameLike, *, direct: bool = False) -> ConceptSet:
        """Return the individuals of class `x` and, unless `direct`, of its subclasses.

        Examples
        --------
        >>> "GPT-4" in kg.instances("Generative AI"), "BERT" in kg.instances("Generative AI")
        (True, False)
        """
        return ConceptSet(self, self._index().instances(self._resolve(x), direct=direct))

    # -- links -----------------------------------------------------------------

    def relations(self, x: NameLike) -> list[Relation]:
        """Return the links of `x` stated in the graph, sorted by relation and target.

        A link is either a triple whose predicate is not an annotation
        (``GPT-4 developed by OpenAI``, ``GPT-4 first release year 2023``), or an
        existential or value restriction on `x` or on one of its direct types
        as stated in the ontology (``Large Language Model generates Text`` from
        ``LLM rdfs:subClassOf [owl:onProperty genai:generatesModality;
        owl:someValuesFrom genai:Text]``).

        Examples
        --------
        >>> for r in kg.relations("Text-to-Image Model"):
        ...     print(r)
        Text-to-Image Model --takes input--> Text
        """
        iri = self._resolve(x)
        g = self._graph
        found: dict[tuple[URIRef, Any, str], Relation] = {}

        def add(predicate: URIRef, obj: URIRef | Literal, via: str) -> None:
            key = (predicate, obj, via)
            if key not in found:
                target: Concept | Literal = obj if isinstance(obj, Literal) else Concept(self, obj)
                found[key] = Relation(Concept(self, iri), Concept(self, predicate), target, via)

        for predicate, obj in g.predicate_objects(iri):
            if (
                isinstance(predicate, URIRef)
                and isinstance(obj, (URIRef, Literal))
                and self._is_link(predicate)
            ):
                add(predicate, obj, "triple")
        expressions = [*g.objects(iri, RDFS.subClassOf), *g.objects(iri, RDF.type)]
        for equivalent in g.objects(iri, OWL.equivalentClass):
            expressions.append(equivalent)
            expressions.extend(_rdf_list(g, g.value(equivalent, OWL.intersectionOf)))
        for expr in expressions:
            if not isinstance(expr, BNode):
                continue
            prop = g.value(expr, OWL.onProperty)
            if not isinstance(prop, URIRef):
                continue
            some = g.value(expr, OWL.someValuesFrom)
            if isinstance(some, URIRef):
                add(prop, some, "some")
            value = g.value(expr, OWL.hasValue)
            if isinstance(value, (URIRef, Literal)):
                add(prop, value, "value")
        return sorted(
            found.values(),
            key=lambda r: (
                r.predicate.label.casefold(),
                str(r.object).casefold()
                if isinstance(r.object, Literal)
                else r.object.label.casefold(),
            ),
        )

    def _is_link(self, predicate: URIRef) -> bool:
        annotations: frozenset[URIRef] = self._cached(
            "annotation_properties",
            lambda: frozenset(
                s
                for s in self._graph.subjects(RDF.type, OWL.AnnotationProperty)
                if isinstance(s, URIRef)
            ),
        )
        return predicate not in annotations and not str(predicate).startswith(
            _ANNOTATION_NAMESPACES
        )

    # -- SPARQL ----------------------------------------------------------------

    def query(self, sparql: str) -> SelectResult | bool | Graph:
        """Run a read-only SPARQL query; the usual prefixes and ``genai:`` are pre-bound.

        Returns a :class:`SelectResult` for SELECT, a bool for ASK and an rdflib
        Graph for CONSTRUCT/DESCRIBE. Updates, ``SERVICE`` and ``FROM`` are
        refused with a :class:`QueryError`.

        Examples
        --------
        >>> kg.query("ASK { genai:LargeLanguageModel rdfs:subClassOf genai:GenerativeAI }")
        True
        >>> rows = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }")
        >>> int(rows[0].n) > 50
        True
        """
        return run_query(self._graph, sparql, shorten=self._names().curie)

    # -- counts ----------------------------------------------------------------

    def stats(self) -> dict[str, int]:
        """Return counts: triples, classes, individuals, properties, subclass axioms.

        Examples
        --------
        >>> s = kg.stats()
        >>> s["classes"] > 50 and s["individuals"] > 5
        True
        """
        g = self._graph
        index = self._index()

        def typed(t: URIRef) -> int:
            return sum(1 for s in g.subjects(RDF.type, t) if isinstance(s, URIRef))

        return {
            "triples": len(g),
            "classes": sum(1 for c in index.classes if c not in (OWL.Thing, OWL.Nothing)),
            "individuals": len(index.individuals()),
            "object_properties": typed(OWL.ObjectProperty),
            "datatype_properties": typed(OWL.DatatypeProperty),
            "annotation_properties": typed(OWL.AnnotationProperty),
            "subclass_axioms": sum(1 for _ in g.triples((None, RDFS.subClassOf, None))),
        }

    def __len__(self) -> int:
        return len(self._graph)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, (str, Concept)):
            return False
        try:
            self._resolve(name)
        except LookupError:
            return False
        return True

    def __repr__(self) -> str:
        s = self.stats()
        return f"<KnowledgeGraph: {s['triples']} triples, {s['classes']} classes, {s['individuals']} individuals>"

    # -- views -----------------------------------------------------------------

    def to_networkx(self, *, taxonomy_only: bool = False) -> nx.MultiDiGraph:
        """Return the graph of classes and individuals as a networkx MultiDiGraph.

        Nodes are IRI strings with ``label``, ``kind``, ``category``,
        ``definition``, ``synonyms`` and ``curie`` attributes. Edges run from
        child to parent (``kind="subclass"``), from individual to class
        (``kind="type"``) and along each relation (``kind="relation"``), with
        ``relation`` (a readable name), ``predicate`` (the IRI) and ``stated``.

        Parameters
        ----------
        taxonomy_only : bool, default False
            Keep only the is-a edges (subclass and type).

        Examples
        --------
        >>> g = kg.to_networkx()
        >>> g.nodes[str(genai_graph.GENAI.LargeLanguageModel)]["label"]
        'Large Language Model'
        """
        from .views.network import to_networkx

        return to_networkx(self, taxonomy_only=taxonomy_only)

    def to_html(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        focus: NameLike | None = None,
        depth: int | None = None,
        title: str | None = None,
    ) -> str:
        """Draw the graph as one self-contained, offline HTML page.

        Parameters
        ----------
        path : str or os.PathLike, optional
            Where to write the page (atomically). When None, nothing is written.
        focus : name, optional
            Draw only the neighbourhood of this concept...
        depth : int, optional
            ...up to this many links away (default 2 when `focus` is given).
        title : str, optional
            The page title.

        Returns
        -------
        str
            The HTML document.

        Examples
        --------
        >>> page = kg.to_html(focus="LLM", depth=1)
        >>> "Large Language Model" in page and "<script src=" not in page
        True
        """
        from .views.page import render_page

        html = render_page(self, focus=focus, depth=depth, title=title)
        if path is not None:
            write_atomic(Path(path), html)
        return html


def _rdf_list(graph: Graph, head: Any) -> list[Any]:
    """Return the members of an RDF collection (empty for None or a malformed list)."""
    items: list[Any] = []
    seen: set[Any] = set()
    while head is not None and head != RDF.nil and head not in seen:
        seen.add(head)
        first = graph.value(head, RDF.first)
        if first is None:
            break
        items.append(first)
        head = graph.value(head, RDF.rest)
    return items
