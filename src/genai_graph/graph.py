"""The KnowledgeGraph: holds the statements and hands each question to the part that answers it.

Names go to :mod:`genai_graph.names`, is-a questions to the subsumption index
(:mod:`genai_graph.reasoning`), SPARQL to :mod:`genai_graph.sparql`, pictures to
:mod:`genai_graph.views`. Indexes are built on first use and rebuilt after the
graph changes.
"""

from __future__ import annotations

import functools
import os
import threading
import time
import warnings
from importlib.resources import as_file
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS
from rdflib.term import Node

from ._store import DeadlineMemory, TrackedMemory, distinct_terms, gc_paused
from ._write import write_atomic
from .errors import GenAIGraphError, GenAIGraphWarning
from .loading import Source, bundled_ontology, bundled_triples, parse_into
from .model import Concept, ConceptSet, Explanation, Relation, Step
from .names import LABEL_PREDICATES, SYNONYM_PREDICATES, NameIndex
from .namespaces import PREFIXES
from .reasoning.index import SubsumptionIndex
from .reasoning.regimes import ENTAILMENTS, Regime, StepTuple, build_regime
from .reasoning.similarity import Similarity
from .sparql import Bindings, SelectResult, run_query, run_update
from .stores import (
    STORES,
    LoadProgress,
    Progress,
    oxigraph_format,
    oxigraph_graph,
    oxigraph_load,
)

if TYPE_CHECKING:
    import networkx as nx

    from .notebook import GraphView
    from .report import Report

__all__ = ["ASSERTED_GRAPH", "INFERRED_GRAPH", "KnowledgeGraph", "NameLike", "load"]

ASSERTED_GRAPH = URIRef("urn:genai-graph:asserted")
"""The named graph holding the stated triples in an entailed SPARQL query."""
INFERRED_GRAPH = URIRef("urn:genai-graph:inferred")
"""The named graph holding the inferred triples in an entailed SPARQL query."""

NameLike = str | URIRef | Concept
"""A label, synonym, CURIE, IRI or :class:`Concept`."""

_PROPERTY_TYPES = (
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    OWL.TransitiveProperty,
    OWL.FunctionalProperty,
    OWL.SymmetricProperty,
    RDF.Property,
)


def load(
    *sources: Source,
    bundled: bool = True,
    entailment: str = "el",
    store: str = "memory",
    path: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> KnowledgeGraph:
    """Load RDF/OWL sources into a new :class:`KnowledgeGraph`.

    Parameters
    ----------
    *sources : str, os.PathLike or rdflib.Graph
        Files in Turtle, RDF/XML, N-Triples, N3, TriG, N-Quads or JSON-LD
        (chosen by extension; .owl, .rdf, .xml and unknown extensions by
        content), ``file:`` URIs, or rdflib graphs (copied; a Dataset
        contributes all its graphs, merged, names dropped). URLs are refused:
        nothing is downloaded, and neither are owl:imports or remote JSON-LD
        contexts.
    bundled : bool, default True
        Include the bundled Generative AI ontology.
    entailment : {"el", "told", "rdfs", "owl-rl"}, default "el"
        The regime the subsumption and relation methods and the pictures use
        unless a call says otherwise (see :class:`KnowledgeGraph`).
    store : {"memory", "oxigraph"}, default "memory"
        Where the triples live: rdflib's memory, or an Oxigraph database
        (``pip install 'genai-graph[oxigraph]'``; see :mod:`genai_graph.stores`),
        which bulk-loads files about three times faster and reopens without parsing.
    path : str or os.PathLike, optional
        With ``store="oxigraph"``, the database directory: created if missing,
        opened without re-parsing if it exists (sources are added to it, the
        bundled ontology only once). Without it the Oxigraph store is in memory.
    progress : callable, optional
        Called with a :class:`~genai_graph.stores.LoadProgress` (source, triples
        so far, total when known, seconds) while files load: after each batch
        of 100,000 triples with Oxigraph, after each file otherwise.

    Returns
    -------
    KnowledgeGraph

    Raises
    ------
    OntologyLoadError
        If a file is missing or malformed (the message gives file, line and
        column), is OWL/XML, Functional or Manchester syntax (the message says
        how to convert it), a URL, or JSON-LD whose ``@context`` names another
        document.
    StoreError
        If the Oxigraph database cannot be opened (not a directory, locked).

    Examples
    --------
    >>> kg = genai_graph.load()
    >>> kg.is_a("LLM", "Generative AI")
    True
    >>> genai_graph.load(bundled=False).stats()["triples"]
    0
    """
    if store not in STORES:
        raise GenAIGraphError(f"unknown store {store!r}: use one of {', '.join(STORES)}")
    began = time.perf_counter()
    if store == "oxigraph":
        kg = KnowledgeGraph(entailment=entailment, _backend=oxigraph_graph(path))
    elif path is not None:
        raise GenAIGraphError("path= is for store='oxigraph'; the memory store has no path")
    else:
        kg = KnowledgeGraph(entailment=entailment)
    try:
        _fill(kg, sources, bundled=bundled, began=began, progress=progress)
    except BaseException:
        kg.close()  # an Oxigraph database stays usable and unlocked
        raise
    return kg


def _fill(
    kg: KnowledgeGraph,
    sources: tuple[Source, ...],
    *,
    bundled: bool,
    began: float,
    progress: Progress | None,
) -> None:
    oxigraph = getattr(kg._store, "native_pairs", None) is not None
    if bundled and not _holds_bundled(kg.graph):
        if oxigraph:  # Oxigraph's parser beats converting the cached rdflib terms
            with as_file(bundled_ontology()) as path:
                oxigraph_load(kg._store, path)
        else:
            kg.graph.addN((s, p, o, kg.graph) for s, p, o in bundled_triples())
    loaded = 0
    for source in sources:
        if oxigraph and not isinstance(source, Graph) and oxigraph_format(source):
            loaded += oxigraph_load(kg._store, source, start=loaded, began=began, progress=progress)
            continue
        before = len(kg.graph) if progress is not None else 0
        parse_into(kg.graph, [source])
        if isinstance(source, Graph):
            for prefix, namespace in source.namespaces():
                kg.graph.bind(prefix, namespace, override=False)
        if progress is not None:
            loaded += len(kg.graph) - before
            name = "<graph>" if isinstance(source, Graph) else os.fspath(source)
            progress(LoadProgress(name, loaded, None, time.perf_counter() - began))


@functools.cache
def bundled_version() -> Node | None:
    """Return the bundled ontology's owl:versionIRI."""
    return next((o for _, p, o in bundled_triples() if p == OWL.versionIRI), None)


def _holds_bundled(graph: Graph) -> bool:
    """Return True if `graph` already holds this version of the bundled ontology (a reopened store)."""
    version = bundled_version()
    return version is not None and (None, OWL.versionIRI, version) in graph


class KnowledgeGraph:
    """An RDF graph with the questions people ask of an ontology.

    Make one with :func:`genai_graph.load`. Every method that takes a concept
    accepts a label, a synonym, a CURIE, an IRI or a :class:`Concept`,
    case-insensitively.

    One entailment switch, ``entailment=``, is shared by every method that
    reasons and by the pictures: ``"told"`` (the statements as written, closed
    under subClassOf, equivalentClass, type and sameAs), ``"rdfs"`` (plus
    domains, ranges and subproperties on assertions), ``"el"`` (plus OWL 2 EL
    classification: defined classes, existential restrictions, disjointness,
    property chains), ``"owl-rl"`` (the owlrl package's OWL 2 RL closure).
    What a regime infers is kept apart from :attr:`graph`; answers say which
    parts are stated and which inferred.

    Parameters
    ----------
    graph : rdflib.Graph, optional
        Statements to start from (copied; the original is never changed).
    entailment : str, default "el"
        The default regime for this graph.

    Examples
    --------
    >>> kg.is_a("GPT-4", "Generative AI")
    True
    >>> sorted(kg.parents("LLM", entailment="told"))
    [Concept('genai:GenerativeAI', label='Generative AI'), Concept('genai:LanguageModel', label='Language Model')]
    """

    def __init__(
        self,
        graph: Graph | None = None,
        *,
        entailment: str = "el",
        _backend: tuple[Graph, Any] | None = None,
    ) -> None:
        if _backend is None:
            self._store: Any = TrackedMemory()
            self._graph = Graph(store=self._store, bind_namespaces="core")
        else:
            self._graph, self._store = _backend
        self.entailment = entailment
        for prefix, namespace in PREFIXES.items():
            self._graph.bind(prefix, namespace)
        if graph is not None:
            parse_into(self._graph, [graph])
            for prefix, ns in graph.namespaces():
                self._graph.bind(prefix, ns, override=False)
        self._built_at = -1
        self._cache: dict[str, Any] = {}
        self._cache_lock = threading.RLock()  # cache builds, so threads build each entry once

    # -- state -------------------------------------------------------------

    def close(self) -> None:
        """Release the store: an Oxigraph database is flushed and unlocked.

        Nothing to do for the memory store. A closed Oxigraph-backed graph
        raises :class:`~genai_graph.errors.StoreError` when used. A
        KnowledgeGraph is also a context manager that closes on exit.
        """
        self._cache.clear()
        self._store.fast = None
        if hasattr(self._store, "close"):
            self._store.close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def entailment(self) -> str:
        """The regime methods use when a call does not name one: "told", "rdfs", "el" or "owl-rl"."""
        return self._entailment

    @entailment.setter
    def entailment(self, name: str) -> None:
        self._entailment = _check_entailment(name)
        self._store.fast = None

    @property
    def graph(self) -> Graph:
        """The asserted statements, an rdflib Graph.

        You may change it; every answer after the change reflects it.
        """
        return self._graph

    def _cached(self, key: str, build: Any) -> Any:
        # Readers from many threads: a hit needs no lock (one dict read); a miss builds
        # under the graph's re-entrant lock (builds nest: dataset -> inferred -> regime),
        # checking again inside so that each cache entry is built once.
        if self._built_at == self._store.generation:
            try:
                return self._cache[key]
            except KeyError:
                pass
        with self._cache_lock:
            if self._built_at != self._store.generation:
                self._cache.clear()
                self._built_at = self._store.generation
            try:
                return self._cache[key]
            except KeyError:
                value = self._cache[key] = build()
                return value

    def _regime(self, entailment: str | None = None) -> Regime:
        name = self.entailment if entailment is None else _check_entailment(entailment)
        key = f"regime:{name}"
        if self._built_at == self._store.generation and key in self._cache:
            regime: Regime = self._cache[key]
            return regime
        regime = self._cached(key, lambda: build_regime(name, self._graph))
        if regime.unsupported:
            left_out = ", ".join(f"{what} ({n}x)" for what, n in sorted(regime.unsupported.items()))
            warnings.warn(
                f"entailment={name!r} left out constructs it does not support: {left_out}; "
                "answers stay correct but may miss inferences that need them",
                GenAIGraphWarning,
                stacklevel=4,
            )
        return regime

    def _index(self, entailment: str | None = None) -> SubsumptionIndex:
        return self._regime(entailment).index

    def _names(self) -> NameIndex:
        def build() -> NameIndex:
            subjects, predicates, objects = distinct_terms(self._graph)
            known = {t for t in subjects | predicates | objects if isinstance(t, URIRef)}
            known.update((OWL.Thing, OWL.Nothing))
            prefixes = {str(k): str(v) for k, v in self._graph.namespaces()}
            prefixes.update({k: str(ns) for k, ns in PREFIXES.items()})
            with gc_paused():
                return NameIndex(self._graph, known, prefixes)

        names: NameIndex = self._cached(f"names:{getattr(self._store, 'bindings', 0)}", build)
        return names

    def _resolve(self, name: NameLike) -> URIRef:
        if isinstance(name, Concept):
            return name.iri
        if isinstance(name, URIRef):
            index = self._index()
            if index.is_class(name) or index.is_individual(name):  # no name table needed
                return name
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
        return tuple(sorted(found, key=lambda s: (s.casefold(), s)))

    def _kind(self, iri: URIRef) -> str:
        index = self._index("told")
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
        genai_graph.errors.UnknownConceptError: unknown name 'Large Langauge Modle'; did you mean 'Large Language Model' or ...?
        """
        return Concept(self, self._resolve(name))

    # -- subsumption -------------------------------------------------------

    def is_a(self, x: NameLike, y: NameLike, *, entailment: str | None = None) -> bool:
        """Return True if `x` is a `y`: a subclass, an instance of a subclass, or `y` itself.

        Parameters
        ----------
        x, y : str, URIRef or Concept
            The concepts.
        entailment : str, optional
            The regime; defaults to :attr:`entailment`.

        Examples
        --------
        >>> kg.is_a("LLM", "Generative AI"), kg.is_a("Generative AI", "LLM")
        (True, False)
        """
        fast = self._store.fast
        if fast is not None and entailment is None:
            # resolved concepts or IRIs of the default regime's index: two lookups, one set test
            try:
                return (
                    fast[0][y.iri if y.__class__ is Concept else y]
                    in fast[1][x.iri if x.__class__ is Concept else x]
                )
            except (KeyError, TypeError):
                pass  # a label, an individual as y, owl:Nothing: the general path below
        index = self._index(entailment)
        if entailment is None:
            self._store.fast = index.fast_table()
        return index.is_a(self._resolve(x), self._resolve(y))

    def explain(
        self,
        x: NameLike,
        y: NameLike,
        *,
        relation: NameLike | None = None,
        entailment: str | None = None,
    ) -> Explanation | None:
        """Return the statements proving `x` is a `y` (or `x` `relation` `y`), or None.

        Told answers come as the shortest chain of stated statements. Inferred
        ones list the stated premises first, then each inferred statement with
        the rule that gives it (an EL completion rule, an RDFS or OWL RL rule).

        Parameters
        ----------
        x, y : str, URIRef or Concept
            The concepts.
        relation : str, URIRef or Concept, optional
            Explain the relation ``x relation y`` (as :meth:`relations` with
            ``inferred=True`` reports it) instead of ``x is a y``.
        entailment : str, optional
            The regime; defaults to :attr:`entailment`.

        Examples
        --------
        >>> print(kg.explain("GPT-4", "Generative AI"))
        GPT-4 is an instance of Generative AI:
          GPT-4  --rdf:type-->  Large Language Model
          Large Language Model  --rdfs:subClassOf-->  Generative AI
        >>> kg.explain("Generative AI", "LLM") is None
        True
        >>> print(kg.explain("GPT-4", "Hallucination", relation="has limitation or risk"))
        GPT-4 has limitation or risk Hallucination:
          GPT-4  --rdf:type-->  Large Language Model
          Large Language Model  --rdfs:subClassOf-->  (has limitation or risk some Hallucination)
          GPT-4  --has limitation or risk-->  Hallucination  (inferred: EL: existential)
        >>> print(kg.explain("GPT-4", "Hallucination", relation="has limitation or risk", entailment="told"))
        GPT-4 has limitation or risk Hallucination:
          GPT-4  --rdf:type-->  Large Language Model
          Large Language Model  --rdfs:subClassOf-->  (has limitation or risk some Hallucination)
          GPT-4  --has limitation or risk-->  Hallucination  (inferred: inherited from Large Language Model)
        """
        sub, sup = self._resolve(x), self._resolve(y)
        regime = self._regime(entailment)
        if relation is None:
            found = regime.explain(sub, sup)
            prop = None
        else:
            prop = self._resolve(relation)
            found = self._explain_link(regime, sub, prop, sup)
        if found is None:
            return None
        return Explanation(self, sub, sup, tuple(Step(*t) for t in found), relation=prop)

    def _explain_link(
        self, regime: Regime, x: URIRef, p: URIRef, y: URIRef
    ) -> list[StepTuple] | None:
        """Explain ``x p y``: stated, inherited from a superclass, through a subproperty or a filler."""
        explain_link = getattr(regime, "explain_link", None)
        if explain_link is not None:
            found: list[StepTuple] | None = explain_link(x, p, y)
            if found is not None:
                return found
        index, props, g = regime.index, regime.properties, self._graph
        if not any(
            _reaches(index, link.target, y) and p in props.supers(link.predicate)
            for link in regime.links(x)
        ):
            return None
        sources = [x, *sorted(index.ancestors(x), key=lambda a: len(index.explain(x, a) or ()))]
        for source in sources:
            for r in regime.restrictions(source):
                path = props.supers(r.prop).get(p)
                if path is None or not _reaches(index, r.target, y):
                    continue
                steps: list[StepTuple] = []
                if source != x:
                    steps += regime.explain(x, source) or []
                steps.append(StepTuple(*r.statement, True))
                steps += [StepTuple(*hop, True) for hop in path]
                if r.target != y and isinstance(r.target, URIRef):
                    steps += regime.explain(r.target, y) or []
                if source != x or r.target != y or r.prop != p:
                    why = (
                        f"inherited from {self._label(source)}"
                        if source != x
                        else "subproperty or filler"
                    )
                    steps.append(StepTuple(x, p, y, False, why))
                return steps
        for q, t in g.predicate_objects(x):
            if (
                isinstance(q, URIRef)
                and p in props.supers(q)
                and isinstance(t, URIRef)
                and _reaches(index, t, y)
            ):
                steps = [
                    StepTuple(x, q, t, True),
                    *(StepTuple(*hop, True) for hop in props.supers(q)[p]),
                ]
                if t != y:
                    steps += regime.explain(t, y) or []
                if (x, p, y) not in g:
                    steps.append(
                        StepTuple(
                            x,
                            p,
                            y,
                            False,
                            "rdfs7 (subproperty)" if q != p else "filler subsumption",
                        )
                    )
                return steps
        for q in props.inverse.get(p, ()):
            if (y, q, x) in g:
                return [
                    StepTuple(y, q, x, True),
                    StepTuple(q, OWL.inverseOf, p, True),
                    StepTuple(x, p, y, False, "prp-inv (inverse)"),
                ]
        return None

    def ancestors(
        self, x: NameLike, *, reflexive: bool = False, entailment: str | None = None
    ) -> ConceptSet:
        """Return every class `x` is a subclass or an instance of (owl:Thing left out).

        Parameters
        ----------
        x : str, URIRef or Concept
            The concept.
        reflexive : bool, default False
            Include `x` itself.
        entailment : str, optional
            The regime; defaults to :attr:`entailment`.

        See Also
        --------
        descendants, parents, is_a

        Examples
        --------
        >>> kg.ancestors("LLM", entailment="told").labels()
        ['AI System', 'Generative AI', 'Language Model']
        >>> "Text Generation Model" in kg.ancestors("LLM")  # from that class's definition, under el
        True
        """
        return ConceptSet(
            self, self._index(entailment).ancestors(self._resolve(x), reflexive=reflexive)
        )

    def descendants(
        self, x: NameLike, *, reflexive: bool = False, entailment: str | None = None
    ) -> ConceptSet:
        """Return every class that is a subclass of `x` (instances: see :meth:`instances`).

        Examples
        --------
        >>> "Generative Pre-trained Transformer" in kg.descendants("LLM")
        True
        >>> "Large Language Model" in kg.descendants("LLM"), "Large Language Model" in kg.descendants("LLM", reflexive=True)
        (False, True)
        """
        return ConceptSet(
            self, self._index(entailment).descendants(self._resolve(x), reflexive=reflexive)
        )

    def parents(self, x: NameLike, *, entailment: str | None = None) -> ConceptSet:
        """Return the direct superclasses of a class, or the direct types of an individual."""
        return ConceptSet(self, self._index(entailment).parents(self._resolve(x)))

    def children(self, x: NameLike, *, entailment: str | None = None) -> ConceptSet:
        """Return the direct subclasses of `x`.

        Examples
        --------
        >>> "Text-to-Image Model" in kg.children("Image Generation Model")
        True
        """
        return ConceptSet(self, self._index(entailment).children(self._resolve(x)))

    def instances(
        self, x: NameLike, *, direct: bool = False, entailment: str | None = None
    ) -> ConceptSet:
        """Return the individuals of class `x` and, unless `direct`, of its subclasses.

        Examples
        --------
        >>> "GPT-4" in kg.instances("Generative AI"), "BERT" in kg.instances("Generative AI")
        (True, False)
        """
        return ConceptSet(self, self._index(entailment).instances(self._resolve(x), direct=direct))

    def equivalents(self, x: NameLike, *, entailment: str | None = None) -> ConceptSet:
        """Return the classes equivalent to `x` (stated, through a cycle, or inferred), without `x`."""
        found = self._index(entailment).equivalents(self._resolve(x))
        found.discard(OWL.Nothing)
        return ConceptSet(self, found)

    # -- similarity ------------------------------------------------------------

    def _similarity(self, entailment: str | None) -> Similarity:
        regime = self._regime(entailment)
        measures: Similarity = self._cached(
            f"similarity:{regime.name}", lambda: Similarity(regime.index)
        )
        return measures

    def common_ancestors(
        self, x: NameLike, y: NameLike, *, entailment: str | None = None
    ) -> ConceptSet:
        """Return the classes that both `x` and `y` are (each counts as its own ancestor).

        Examples
        --------
        >>> kg.common_ancestors("GPT-4", "Stable Diffusion").labels()
        ['AI System', 'Generative AI']
        """
        return ConceptSet(
            self, self._similarity(entailment).common_ancestors(self._resolve(x), self._resolve(y))
        )

    def lowest_common_ancestors(
        self, x: NameLike, y: NameLike, *, entailment: str | None = None
    ) -> ConceptSet:
        """Return the common ancestors of `x` and `y` that no other common ancestor is below.

        Examples
        --------
        >>> kg.lowest_common_ancestors("Text-to-Image Model", "LLM").labels()
        ['Generative AI']
        """
        return ConceptSet(
            self,
            self._similarity(entailment).lowest_common_ancestors(
                self._resolve(x), self._resolve(y)
            ),
        )

    def most_informative_common_ancestor(
        self, x: NameLike, y: NameLike, *, entailment: str | None = None
    ) -> Concept | None:
        """Return the common ancestor with the highest intrinsic information content, or None."""
        found = self._similarity(entailment).mica(self._resolve(x), self._resolve(y))
        return None if found is None else Concept(self, found)

    def similarity(
        self, x: NameLike, y: NameLike, *, method: str = "lin", entailment: str | None = None
    ) -> float:
        """Return the semantic similarity of two concepts.

        Parameters
        ----------
        method : {"lin", "resnik", "jaccard"}, default "lin"
            ``"jaccard"``: shared ancestors over all ancestors; ``"resnik"``: the
            intrinsic information content of the most informative common
            ancestor; ``"lin"``: Resnik normalised by the two concepts' own IC,
            in [0, 1]. Information content is intrinsic (from the taxonomy's
            shape), as in nxontology.

        Examples
        --------
        >>> round(kg.similarity("Text-to-Image Model", "Text-to-Video Model", method="jaccard"), 2)
        0.33
        >>> kg.similarity("LLM", "LLM")
        1.0
        """
        measures = self._similarity(entailment)
        a, b = self._resolve(x), self._resolve(y)
        if method == "lin":
            return measures.lin(a, b)
        if method == "resnik":
            return measures.resnik(a, b)
        if method == "jaccard":
            return measures.jaccard(a, b)
        raise ValueError(f"unknown similarity method {method!r}; use 'lin', 'resnik' or 'jaccard'")

    # -- links -----------------------------------------------------------------

    def relations(
        self, x: NameLike, *, inferred: bool = False, entailment: str | None = None
    ) -> list[Relation]:
        """Return the links of `x`, sorted by relation and target.

        A link is either a triple whose predicate is not an annotation
        (``GPT-4 developed by OpenAI``, ``GPT-4 first release year 2023``), or an
        existential or value restriction on `x` (``Large Language Model
        generates Text`` from ``LLM rdfs:subClassOf [owl:onProperty
        genai:generatesModality; owl:someValuesFrom genai:Text]``).

        Parameters
        ----------
        x : str, URIRef or Concept
            The concept.
        inferred : bool, default False
            Also return what `x` inherits from its superclasses (or types) and
            what the regime derives: through subproperties, inverses, transitive
            properties and, under ``"el"``, defined classes and chains. Only the
            most specific target of each relation is kept (``uses architecture
            Transformer`` hides ``uses architecture Artificial Neural
            Network``); each relation says whether it is stated.
        entailment : str, optional
            The regime for ``inferred=True``; defaults to :attr:`entailment`.

        Examples
        --------
        >>> for r in kg.relations("Text-to-Image Model"):
        ...     print(r)
        Text-to-Image Model --generates--> Image
        Text-to-Image Model --takes input--> Text
        >>> inherited = kg.relations("Text-to-Image Model", inferred=True)
        >>> [str(r) for r in inherited if r.predicate.label == "has application"]
        ['Text-to-Image Model --has application--> Design  (inferred)', 'Text-to-Image Model --has application--> Marketing Content Creation  (inferred)']
        """
        if inferred:
            return self._inferred_relations(self._resolve(x), entailment)
        iri = self._resolve(x)
        regime = self._regime("told")
        found: dict[tuple[URIRef, Any, str], Relation] = {}

        def add(predicate: URIRef, obj: URIRef | Literal, via: str) -> None:
            key = (predicate, obj, via)
            if key not in found:
                target: Concept | Literal = obj if isinstance(obj, Literal) else Concept(self, obj)
                found[key] = Relation(Concept(self, iri), Concept(self, predicate), target, via)

        for predicate, obj in self._graph.predicate_objects(iri):
            if (
                isinstance(predicate, URIRef)
                and isinstance(obj, (URIRef, Literal))
                and regime.properties.is_link(predicate)
            ):
                add(predicate, obj, "triple")
        for r in regime.restrictions(iri):
            add(r.prop, r.target, r.via)
        return sorted(found.values(), key=_relation_order)

    def _inferred_relations(self, iri: URIRef, entailment: str | None) -> list[Relation]:
        regime = self._regime(entailment)
        subject = Concept(self, iri)
        out = [
            Relation(
                subject,
                Concept(self, link.predicate),
                link.target if isinstance(link.target, Literal) else Concept(self, link.target),
                link.via,
                link.stated,
            )
            for link in regime.links(iri)
        ]
        return sorted(out, key=_relation_order)

    def related(
        self, x: NameLike, relation: NameLike, *, entailment: str | None = None
    ) -> ConceptSet:
        """Return what `x` is linked to by `relation` (or a subproperty of it), most specific first.

        Examples
        --------
        >>> kg.related("GPT-4", "uses architecture").labels()
        ['Transformer']
        >>> kg.related("GPT-4", "developed by").labels()
        ['OpenAI']
        """
        iri, prop = self._resolve(x), self._resolve(relation)
        regime = self._regime(entailment)
        supers = regime.properties.supers
        return ConceptSet(
            self,
            {
                link.target
                for link in regime.links(iri)
                if isinstance(link.target, URIRef) and prop in supers(link.predicate)
            },
        )

    def who(self, relation: NameLike, y: NameLike, *, entailment: str | None = None) -> ConceptSet:
        """Return the classes and individuals linked by `relation` (or a subproperty) to `y` or below.

        Examples
        --------
        >>> "Stable Diffusion" in kg.who("uses architecture", "Diffusion Model")
        True
        >>> "GPT-4" in kg.who("developed by", "OpenAI"), "BERT" in kg.who("developed by", "OpenAI")
        (True, False)
        """
        prop, target = self._resolve(relation), self._resolve(y)
        regime = self._regime(entailment)
        index = regime.index
        supers = regime.properties.supers
        found = set()
        for node in (*index.classes, *index.individuals()):
            if node in (OWL.Thing, OWL.Nothing):
                continue
            for link in regime.links(node):
                if prop in supers(link.predicate) and _reaches(index, link.target, target):
                    found.add(node)
                    break
        return ConceptSet(self, found)

    def inferred(self, entailment: str | None = None) -> Graph:
        """Return, as a separate rdflib Graph, what `entailment` infers that the graph does not state.

        It holds the entailed subclass and type closure and the relation graph
        (``x p y`` for every relation :meth:`relations` reports with
        ``inferred=True``, and for the classes above each target). The graph
        itself is never changed. Empty for ``"told"``.

        Examples
        --------
        >>> extra = kg.inferred("rdfs")
        >>> (genai_graph.GENAI.GPT4, RDF.type, genai_graph.GENAI.GenerativeAI) in extra
        True
        >>> (genai_graph.GENAI.GPT4, RDF.type, genai_graph.GENAI.GenerativeAI) in kg.graph
        False
        """
        regime = self._regime(entailment)

        def build() -> Graph:
            out = Graph(bind_namespaces="core")
            for prefix, ns in self._graph.namespaces():
                out.bind(prefix, ns)
            for triple in regime.inferred_triples():
                out.add(triple)
            return out

        inferred: Graph = self._cached(f"inferred:{regime.name}", build)
        return inferred

    # -- SPARQL ----------------------------------------------------------------

    def query(
        self,
        sparql: str,
        *,
        bindings: Bindings | None = None,
        entailment: str = "told",
        timeout: float | None = None,
        allow_service: bool = False,
        max_rows: int | None = None,
    ) -> SelectResult | bool | Graph:
        """Run a read-only SPARQL query; the usual prefixes and ``genai:`` are pre-bound.

        Returns a :class:`SelectResult` for SELECT, a bool for ASK and an rdflib
        Graph for CONSTRUCT/DESCRIBE. Updates (see :meth:`update`), ``SERVICE``
        and ``FROM`` are refused with a :class:`QueryError`. A ``PREFIX`` in the
        query overrides a pre-bound one.

        Parameters
        ----------
        sparql : str
            The query.
        bindings : mapping, optional
            Values for variables, by name (``"m"`` or ``"?m"``), handed to the
            engine as data, never pasted into the query. The rule:

            - an rdflib ``URIRef``, ``Literal`` or ``BNode`` is used as it is;
            - a :class:`Concept` stands for its IRI: bind ``kg.concept("GPT-4")``
              to use a label, synonym, CURIE or IRI the graph resolves;
            - a ``str``, ``int``, ``float``, ``bool``, ``Decimal``, ``date``,
              ``datetime`` or ``time`` becomes a literal of the matching XSD type.
              A ``str`` is always a plain literal, never a name.

            Binding a variable the query does not use is a :class:`QueryError`.
        entailment : str, default "told"
            ``"told"`` queries the statements as written. Any other regime
            queries them together with what it infers (:meth:`inferred`):
            ``?x rdfs:subClassOf genai:GenerativeAI`` then finds every descendant
            and ``?m genai:usesArchitecture ?a`` inherited links. The two parts
            stay apart as the named graphs ``<urn:genai-graph:asserted>`` and
            ``<urn:genai-graph:inferred>`` for queries that use ``GRAPH``.
        timeout : float, optional
            Stop the query with :class:`QueryTimeoutError` after this many
            seconds of evaluation; the graph stays unchanged and usable. The
            limit does not cover building the entailment on first use.
        allow_service : bool, default False
            Let ``SERVICE`` clauses send (parts of) the query to remote endpoints.
        max_rows : int, optional
            Keep at most this many SELECT rows (the engine stops after them);
            :attr:`SelectResult.truncated` says whether there were more.

        Examples
        --------
        >>> kg.query("ASK { genai:LargeLanguageModel rdfs:subClassOf genai:GenerativeAI }")
        True
        >>> rows = kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }")
        >>> int(rows[0].n) > 50
        True
        >>> q = "ASK { genai:GPT4 a genai:GenerativeAI }"
        >>> kg.query(q), kg.query(q, entailment="rdfs")
        (False, True)

        Bindings are data; concepts by name go through :meth:`concept`:

        >>> q = "SELECT ?label WHERE { ?m rdfs:label ?label }"
        >>> [str(row.label) for row in kg.query(q, bindings={"m": kg.concept("GPT-4")})]
        ['GPT-4']
        >>> q = "SELECT ?m WHERE { ?m rdfs:label ?name FILTER(STR(?name) = ?text) }"
        >>> [row.m for row in kg.query(q, bindings={"text": "GPT-4"})]
        [rdflib.term.URIRef('https://w3id.org/genai-graph/ontology#GPT4')]
        >>> kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.5)
        Traceback (most recent call last):
        ...
        genai_graph.errors.QueryTimeoutError: the query ran past its time limit of 0.5 s and was stopped
        """
        if entailment == "told":
            target: Graph = self._graph
        else:
            target = self._entailed_dataset(entailment)
        return run_query(
            target,
            sparql,
            shorten=lambda iri: self._names().curie(iri),  # built only if a table is drawn
            bindings=bindings,
            timeout=timeout,
            allow_service=allow_service,
            max_rows=max_rows,
        )

    def update(self, sparql: str, *, bindings: Bindings | None = None) -> tuple[int, int]:
        """Change the graph with a SPARQL 1.1 Update, all or nothing; prefixes are pre-bound.

        ``INSERT DATA``, ``DELETE DATA``, ``DELETE WHERE``, ``DELETE/INSERT ...
        WHERE`` and ``CLEAR DEFAULT`` run against the stated triples (WHERE
        sees no inferences); answers, indexes and pictures reflect the change
        at once. ``LOAD`` (network and files), ``SERVICE``, and named-graph
        operations (``GRAPH``, ``WITH``, ``USING``, ``CREATE``, ``ADD``,
        ``MOVE``, ``COPY``) are refused with a :class:`QueryError`. If an
        operation fails, the changes the request made are undone.

        Parameters
        ----------
        sparql : str
            The request: one or more operations separated by ``;``.
        bindings : mapping, optional
            Values for WHERE variables, as for :meth:`query`.

        Returns
        -------
        (int, int)
            The number of triples added and removed (net of each other).

        Examples
        --------
        >>> g = genai_graph.load(bundled=False)
        >>> g.update("INSERT DATA { genai:Chatbot rdfs:subClassOf genai:Application }")
        (1, 0)
        >>> g.is_a("genai:Chatbot", "genai:Application")
        True
        >>> g.update("DELETE WHERE { ?c rdfs:subClassOf ?parent }", bindings={"parent": genai_graph.GENAI.Application})
        (0, 1)
        >>> g.is_a("genai:Chatbot", "genai:Application")
        False
        """
        return run_update(self._graph, sparql, bindings=bindings)

    def _entailed_dataset(self, entailment: str) -> Dataset:
        regime = self._regime(entailment)

        def build() -> Dataset:
            # DeadlineMemory: the store that lets a query timeout stop reads
            dataset = Dataset(store=DeadlineMemory(), default_union=True)
            for prefix, ns in self._graph.namespaces():
                dataset.bind(prefix, ns)
            asserted = dataset.graph(ASSERTED_GRAPH)
            inferred = dataset.graph(INFERRED_GRAPH)
            asserted.addN((s, p, o, asserted) for s, p, o in self._graph)
            inferred.addN((s, p, o, inferred) for s, p, o in self.inferred(regime.name))
            return dataset

        dataset: Dataset = self._cached(f"dataset:{regime.name}", build)
        return dataset

    # -- quality ---------------------------------------------------------------

    def report(self) -> Report:
        """Check the graph for the problems ontology curators fix, as ROBOT's report does.

        The checks: subclass cycles, unsatisfiable classes, individuals in disjoint
        classes, missing or duplicate labels and definitions, dangling references,
        deprecated terms in use, orphan classes. Every finding has a level (ERROR, WARN, INFO), the term, a message and a fix
        hint; the :class:`~genai_graph.report.Report` prints as a table and converts
        to TSV, JSON and HTML. See :mod:`genai_graph.report` for the checks.

        Examples
        --------
        >>> report = kg.report()
        >>> report.errors, report.warnings
        (0, 0)
        """
        from .report import run_report

        return run_report(self)

    def save(self, path: str | os.PathLike[str], format: str | None = None) -> Path:
        """Write the asserted statements (never the inferred ones) to `path`, atomically.

        The file is written to a temporary file and renamed into place, so an
        existing file is replaced whole or left as it was. Loading it again
        gives the same graph (isomorphic: the same triples up to blank node names).

        Parameters
        ----------
        path : str or os.PathLike
            Where to write.
        format : {"turtle", "nt", "xml", "json-ld"}, optional
            The syntax; by default from the suffix: ``.ttl`` Turtle, ``.nt``
            N-Triples, ``.rdf``/``.owl``/``.xml`` RDF/XML, ``.jsonld``/``.json``
            JSON-LD; Turtle for any other suffix.

        Returns
        -------
        pathlib.Path
            The path written.

        Raises
        ------
        GenAIGraphError
            If the format is unknown, the graph cannot be written in it (RDF/XML
            needs every predicate to split into namespace and local name), or
            the file cannot be written.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> target = pathlib.Path(tempfile.mkdtemp()) / "copy.ttl"
        >>> _ = kg.save(target)
        >>> len(genai_graph.load(target, bundled=False)) == len(kg)
        True
        """
        aliases = {
            "turtle": "turtle",
            "ttl": "turtle",
            "nt": "nt",
            "ntriples": "nt",
            "n-triples": "nt",
            "xml": "xml",
            "rdf/xml": "xml",
            "rdfxml": "xml",
            "json-ld": "json-ld",
            "jsonld": "json-ld",
        }
        suffixes = {".nt": "nt", ".rdf": "xml", ".owl": "xml", ".xml": "xml"}
        suffixes |= {".jsonld": "json-ld", ".json": "json-ld"}
        target = Path(path)
        if format is None:
            fmt = suffixes.get(target.suffix.lower(), "turtle")
        elif format.lower() in aliases:
            fmt = aliases[format.lower()]
        else:
            raise GenAIGraphError(
                f"unknown format {format!r}: use turtle, nt, xml (RDF/XML) or json-ld"
            )
        from .loading import serialize

        return write_atomic(target, serialize(self._graph, fmt, str(target)))

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

    def to_networkx(
        self,
        *,
        taxonomy_only: bool = False,
        entailment: str | None = None,
        inferred_relations: bool = False,
    ) -> nx.MultiDiGraph:
        """Return the graph of classes and individuals as a networkx MultiDiGraph.

        Nodes are IRI strings with ``label``, ``kind``, ``category``,
        ``definition``, ``synonyms``, ``sources`` (dcterms:source and
        rdfs:seeAlso values) and ``curie`` attributes. Edges run from
        child to parent (``kind="subclass"``), from individual to class
        (``kind="type"``) and along each relation (``kind="relation"``), with
        ``relation`` (a readable name), ``predicate`` (the IRI) and ``stated``.

        Stated edges come from the graph; the is-a edges that `entailment`
        infers (and, with `inferred_relations`, the relations) are added with
        ``stated=False``, so that pictures can draw them differently.

        Parameters
        ----------
        taxonomy_only : bool, default False
            Keep only the is-a edges (subclass and type).
        entailment : str, optional
            The regime; defaults to :attr:`entailment`.
        inferred_relations : bool, default False
            Also add the relations the regime infers (inherited, derived).

        Examples
        --------
        >>> g = kg.to_networkx()
        >>> g.nodes[str(genai_graph.GENAI.LargeLanguageModel)]["label"]
        'Large Language Model'
        """
        from .views.network import to_networkx

        return to_networkx(
            self,
            taxonomy_only=taxonomy_only,
            entailment=entailment,
            inferred_relations=inferred_relations,
        )

    def export(
        self,
        path: str | os.PathLike[str] | None = None,
        format: str | None = None,
        *,
        focus: NameLike | None = None,
        depth: int | None = None,
        entailment: str | None = None,
        taxonomy_only: bool = False,
        inferred_relations: bool = False,
    ) -> str:
        """Export the graph as GraphML, Cytoscape.js JSON, Mermaid or Graphviz DOT text.

        The graph is the one of :meth:`to_networkx`: GraphML and Cytoscape
        carry every node and edge attribute (GraphML writes ``synonyms`` as
        JSON text and leaves out missing definitions); Mermaid and DOT draw
        labels, relations on the edges and inferred edges dashed, with every
        label escaped for the format.

        Parameters
        ----------
        path : str or os.PathLike, optional
            Where to write the text (atomically). When None, nothing is written.
        format : {"graphml", "cytoscape", "mermaid", "dot"}, optional
            The format; when None, guessed from the suffix of `path`
            (``.graphml``, ``.cyjs``/``.json``, ``.mmd``/``.mermaid``, ``.dot``/``.gv``).
        focus : name, optional
            Export only the neighbourhood of this concept...
        depth : int, optional
            ...up to this many links away, either way (default 2 when `focus` is given).
        entailment : str, optional
            The regime whose inferred is-a edges are added (``stated=False``,
            dashed); defaults to :attr:`entailment`.
        taxonomy_only : bool, default False
            Keep only the is-a edges (subclass and type).
        inferred_relations : bool, default False
            Also add the relations the regime infers.

        Returns
        -------
        str
            The exported text.

        Raises
        ------
        GenAIGraphError
            For an unknown format, a `depth` without `focus`, an unknown focus,
            or a path that cannot be written.

        Examples
        --------
        >>> text = kg.export(None, "mermaid", focus="LLM", depth=1, taxonomy_only=True)
        >>> print(text.splitlines()[0])
        flowchart BT
        >>> '["Large Language Model"]' in text and '-->|"is a"|' in text
        True
        """
        from .views.export import export_text, format_for

        text = export_text(
            self,
            format_for(path, format),
            focus=focus,
            depth=depth,
            entailment=entailment,
            taxonomy_only=taxonomy_only,
            inferred_relations=inferred_relations,
        )
        if path is not None:
            write_atomic(Path(path), text)
        return text

    def to_html(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        focus: NameLike | None = None,
        depth: int | None = None,
        title: str | None = None,
        entailment: str | None = None,
        explain: tuple[NameLike, NameLike] | None = None,
        levels: int | None = None,
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
        entailment : str, optional
            The regime whose inferred is-a edges are drawn dashed; defaults to
            :attr:`entailment`.
        explain : (name, name), optional
            Highlight the proof that the first concept is a second.
        levels : int, optional
            Open the page with only the top `levels` of the is-a tree shown (the
            rest expands on demand). By default graphs above 10,000 nodes open
            at as many top levels as fit in 2,000 nodes, smaller ones whole.

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

        html = render_page(
            self,
            focus=focus,
            depth=depth,
            title=title,
            entailment=entailment,
            explain=explain,
            levels=levels,
        )
        if path is not None:
            write_atomic(Path(path), html)
        return html

    def show(
        self,
        *,
        focus: NameLike | None = None,
        depth: int | None = None,
        explain: tuple[NameLike, NameLike] | None = None,
        entailment: str | None = None,
        title: str | None = None,
        levels: int | None = None,
        height: int | str = 650,
    ) -> GraphView:
        """Draw the graph inline in a Jupyter notebook (classic, Lab or VS Code).

        The page of :meth:`to_html` (same parameters) is shown in its own
        sandboxed ``<iframe srcdoc>``: offline, self-contained, and isolated,
        so several graphs in one notebook never collide.

        Parameters
        ----------
        height : int or str, default 650
            The height of the frame: pixels, or a CSS length such as ``"80vh"``.

        Returns
        -------
        genai_graph.notebook.GraphView
            Jupyter displays it; ``.html`` is the page and ``.save(path)`` writes it.

        Examples
        --------
        >>> view = kg.show(focus="LLM", depth=1, explain=("LLM", "Generative AI"))
        >>> "<iframe" in view._repr_html_() and "Large Language Model" in view.html
        True
        """
        from .notebook import GraphView

        page = self.to_html(
            focus=focus,
            depth=depth,
            title=title,
            entailment=entailment,
            explain=explain,
            levels=levels,
        )
        return GraphView(page, height=height, title=title)


def _relation_order(r: Relation) -> tuple[str, str]:
    target = str(r.object) if isinstance(r.object, Literal) else r.object.label
    return (r.predicate.label.casefold(), target.casefold())


def _check_entailment(name: str) -> str:
    if name not in ENTAILMENTS:
        raise GenAIGraphError(
            f"unknown entailment {name!r}; use one of {', '.join(map(repr, ENTAILMENTS))}"
        )
    return name


def _reaches(index: SubsumptionIndex, target: Any, y: URIRef) -> bool:
    """Return True if a relation target `target` counts as reaching `y` (equal, or below it)."""
    return bool(target == y or (isinstance(target, URIRef) and index.is_a(target, y)))
