"""The subsumption index: every is-a question is answered from here.

Semantics (told entailment)
---------------------------
- ``rdfs:subClassOf`` between named classes, reflexive and transitive;
- ``owl:equivalentClass`` between named classes, both ways; classes on a
  cycle of ``rdfs:subClassOf`` are equivalent (the cycle collapses, queries
  terminate);
- ``rdf:type`` for individuals: an individual is a every superclass of each
  of its types; ``owl:sameAs`` individuals share their types;
- ``owl:Thing`` subsumes every class and individual; ``owl:Nothing`` is
  subsumed by every class.

Blank-node class expressions (restrictions, intersections) take no part in
told subsumption. Types from the RDF, RDFS and OWL vocabularies (``owl:Class``,
``owl:NamedIndividual``, ...) describe the resource, not its domain kind, and
are not classes here.

The index is built once from a graph state: equivalence classes are found
with Tarjan's algorithm, then the reflexive ancestor set of each is the
union of its parents' sets, computed in topological order. ``is_a`` is two
dictionary lookups and a set membership test.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

__all__ = ["BUILTIN_NAMESPACES", "Edge", "SubsumptionIndex"]

BUILTIN_NAMESPACES: tuple[str, ...] = (
    str(RDF),
    str(RDFS),
    str(OWL),
    "http://www.w3.org/2001/XMLSchema#",
)
"""Namespaces whose terms are vocabulary, not domain classes (owl:Thing/Nothing excepted)."""

_THING, _NOTHING = OWL.Thing, OWL.Nothing

Edge = tuple[URIRef, URIRef, URIRef]
"""An asserted statement (subject, predicate, object) used as an explanation step."""


def _is_vocabulary(iri: URIRef) -> bool:
    return iri not in (_THING, _NOTHING) and str(iri).startswith(BUILTIN_NAMESPACES)


class SubsumptionIndex:
    """Subsumption over a fixed set of is-a edges, closed under transitivity and equivalence.

    Build it with :meth:`from_graph` (told statements) or from the edges a
    reasoner derived.

    Parameters
    ----------
    classes : iterable of URIRef
        Every class, including those with no edge.
    up : dict
        Class -> statements leading to its direct superclasses (subClassOf
        edges; equivalences as an edge each way).
    types : dict
        Individual -> its direct types (possibly empty).
    type_edges : dict
        Individual -> the rdf:type statements behind `types`.
    same : dict
        Individual -> owl:sameAs statements (an edge each way).

    Notes
    -----
    Resources are IRIs (``URIRef``). Methods take IRIs already resolved by the
    caller and return sets of IRIs; unknown IRIs give empty answers.
    """

    def __init__(
        self,
        classes: Iterable[URIRef],
        up: dict[URIRef, list[Edge]],
        types: dict[URIRef, set[URIRef]],
        type_edges: dict[URIRef, list[Edge]],
        same: dict[URIRef, list[Edge]],
    ) -> None:
        self._up = up
        self._type_edges = type_edges
        self._same = same
        self.classes: frozenset[URIRef] = frozenset({*classes, _THING, _NOTHING})
        self._build_classes()
        self._build_individuals(types)

    @classmethod
    def from_graph(cls, graph: Graph) -> SubsumptionIndex:
        """Build the told index from the statements of `graph`."""
        up: dict[URIRef, list[Edge]] = {}
        classes: set[URIRef] = set()

        def link(sub: URIRef, pred: URIRef, sup: URIRef) -> None:
            up.setdefault(sub, []).append((sub, pred, sup))

        for sub, sup in graph.subject_objects(RDFS.subClassOf):
            if isinstance(sub, URIRef) and isinstance(sup, URIRef):
                classes.update((sub, sup))
                if sub != sup:
                    link(sub, RDFS.subClassOf, sup)
        for a, b in graph.subject_objects(OWL.equivalentClass):
            if isinstance(a, URIRef) and isinstance(b, URIRef):
                classes.update((a, b))
                if a != b:
                    link(a, OWL.equivalentClass, b)
                    link(b, OWL.equivalentClass, a)
        for cls_type in (OWL.Class, RDFS.Class):
            for c in graph.subjects(RDF.type, cls_type):
                if isinstance(c, URIRef) and not _is_vocabulary(c):
                    classes.add(c)

        types: dict[URIRef, set[URIRef]] = {}
        type_edges: dict[URIRef, list[Edge]] = {}
        for ind, c in graph.subject_objects(RDF.type):
            if isinstance(ind, URIRef) and isinstance(c, URIRef) and not _is_vocabulary(c):
                classes.add(c)
                types.setdefault(ind, set()).add(c)
                type_edges.setdefault(ind, []).append((ind, RDF.type, c))
        for ind in graph.subjects(RDF.type, OWL.NamedIndividual):
            if isinstance(ind, URIRef):
                types.setdefault(ind, set())

        same: dict[URIRef, list[Edge]] = {}
        for a, b in graph.subject_objects(OWL.sameAs):
            if isinstance(a, URIRef) and isinstance(b, URIRef) and a != b:
                same.setdefault(a, []).append((a, OWL.sameAs, b))
                same.setdefault(b, []).append((b, OWL.sameAs, a))
                types.setdefault(a, set())
                types.setdefault(b, set())
        return cls(classes, up, types, type_edges, same)

    # -- construction -------------------------------------------------------

    def _build_classes(self) -> None:
        """Collapse equivalences (strongly connected components), then close upwards."""
        comp: dict[URIRef, int] = {}
        members: list[list[URIRef]] = []
        # Iterative Tarjan: emits components sink-first, i.e. superclasses first.
        counter = 0
        low: dict[URIRef, int] = {}
        order: dict[URIRef, int] = {}
        stack: list[URIRef] = []
        on_stack: set[URIRef] = set()
        for root in self.classes:
            if root in order:
                continue
            work: list[tuple[URIRef, Iterator[Edge]]] = [(root, iter(self._up.get(root, [])))]
            order[root] = low[root] = counter
            counter += 1
            stack.append(root)
            on_stack.add(root)
            while work:
                node, edges = work[-1]
                advanced = False
                for _, _, nxt in edges:
                    if nxt not in order:
                        order[nxt] = low[nxt] = counter
                        counter += 1
                        stack.append(nxt)
                        on_stack.add(nxt)
                        work.append((nxt, iter(self._up.get(nxt, []))))
                        advanced = True
                        break
                    if nxt in on_stack:
                        low[node] = min(low[node], order[nxt])
                if advanced:
                    continue
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:
                    group: list[URIRef] = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        comp[member] = len(members)
                        group.append(member)
                        if member == node:
                            break
                    members.append(group)

        n = len(members)
        sup: list[set[int]] = [set() for _ in range(n)]
        sub: list[set[int]] = [set() for _ in range(n)]
        for node, upward in self._up.items():
            c = comp[node]
            for _, _, target in upward:
                t = comp[target]
                if t != c:
                    sup[c].add(t)
                    sub[t].add(c)
        thing, nothing = comp[_THING], comp[_NOTHING]
        anc: list[frozenset[int]] = []
        for c in range(n):  # superclass components were emitted, and so numbered, first
            acc = {c}
            for s in sup[c]:
                acc |= anc[s]
            anc.append(frozenset(acc))
        self._comp = comp
        self._members = [tuple(group) for group in members]
        self._sup = [frozenset(s) for s in sup]
        self._sub = [frozenset(s) for s in sub]
        self._anc = anc
        self._thing, self._nothing = thing, nothing

    def _build_individuals(self, types: dict[URIRef, set[URIRef]]) -> None:
        # owl:sameAs groups pool their types (union-find by BFS over sameAs links).
        group_types: dict[URIRef, frozenset[int]] = {}
        self._group: dict[URIRef, frozenset[URIRef]] = {}
        seen: set[URIRef] = set()
        for ind in types:
            if ind in seen:
                continue
            group, queue = [], deque([ind])
            seen.add(ind)
            while queue:
                node = queue.popleft()
                group.append(node)
                for _, _, other in self._same.get(node, ()):
                    if other not in seen:
                        seen.add(other)
                        queue.append(other)
            pooled = frozenset(self._comp[c] for node in group for c in types.get(node, ()))
            frozen = frozenset(group)
            for node in group:
                group_types[node] = pooled
                self._group[node] = frozen
        self._types = group_types
        self._ind_anc: dict[URIRef, frozenset[int]] = {}
        for ind, comps in group_types.items():
            acc: set[int] = {self._thing}
            for c in comps:
                acc |= self._anc[c]
            self._ind_anc[ind] = frozenset(acc)
        direct: dict[int, set[URIRef]] = {}
        for ind, comps in group_types.items():
            for c in comps or (self._thing,):
                direct.setdefault(c, set()).add(ind)
        self._direct_instances = direct

    # -- queries --------------------------------------------------------------

    def is_class(self, iri: URIRef) -> bool:
        """Return True if `iri` is used as a class."""
        return iri in self._comp

    def is_individual(self, iri: URIRef) -> bool:
        """Return True if `iri` is used as an individual."""
        return iri in self._types

    def is_a(self, x: URIRef, y: URIRef) -> bool:
        """Return True if `x` is (a subclass or an instance of) `y`, or `x` is `y`."""
        if x == y:
            return x in self._comp or x in self._types
        cy = self._comp.get(y)
        if cy is None:  # y is an individual: x is y when they are owl:sameAs
            return y in self._group.get(x, ())
        cx = self._comp.get(x)
        if cx is not None and (cy in self._anc[cx] or cy == self._thing or cx == self._nothing):
            return True
        ind = self._ind_anc.get(x)
        return ind is not None and cy in ind

    def ancestors(self, x: URIRef) -> set[URIRef]:
        """Return every class `x` is (transitively) a subclass or instance of, without `x`.

        owl:Thing is left out: it subsumes everything and says nothing.
        """
        comps: set[int] = set()
        cx = self._comp.get(x)
        if cx == self._nothing:
            comps = set(range(len(self._members)))
        elif cx is not None:
            comps |= self._anc[cx]
        if x in self._ind_anc:
            comps |= self._ind_anc[x]
        comps.discard(self._thing)
        out = {m for c in comps for m in self._members[c]}
        out.discard(x)
        return out

    def descendants(self, x: URIRef) -> set[URIRef]:
        """Return every class that is (transitively) a subclass of `x`, without `x`.

        Instances are not included: see :meth:`instances`. owl:Nothing is left out.
        """
        cx = self._comp.get(x)
        if cx is None:
            return set()
        comps = self._descendant_comps(cx)
        comps.discard(self._nothing)
        out = {m for c in comps for m in self._members[c]}
        out.discard(x)
        return out

    def _descendant_comps(self, cx: int) -> set[int]:
        if cx == self._thing:
            return set(range(len(self._members)))
        comps = {cx}
        queue = deque([cx])
        while queue:
            for child in self._sub[queue.popleft()]:
                if child not in comps:
                    comps.add(child)
                    queue.append(child)
        return comps

    def equivalents(self, x: URIRef) -> set[URIRef]:
        """Return the classes equivalent to `x` (same component), without `x`."""
        cx = self._comp.get(x)
        return set() if cx is None else set(self._members[cx]) - {x}

    def parents(self, x: URIRef) -> set[URIRef]:
        """Return the direct named superclasses of a class, or the asserted types of an individual."""
        out: set[URIRef] = set()
        cx = self._comp.get(x)
        if cx is not None:
            out.update(m for s in self._sup[cx] for m in self._members[s])
        for c in self._types.get(x, ()):
            out.update(self._members[c])
        out.discard(_THING)
        out.discard(x)
        return out

    def children(self, x: URIRef) -> set[URIRef]:
        """Return the direct named subclasses of `x`."""
        cx = self._comp.get(x)
        if cx is None:
            return set()
        out = {m for s in self._sub[cx] for m in self._members[s]}
        out.discard(_NOTHING)
        return out

    def instances(self, x: URIRef, *, direct: bool = False) -> set[URIRef]:
        """Return the individuals whose types are `x` (or, unless `direct`, below `x`)."""
        cx = self._comp.get(x)
        if cx is None:
            return set()
        if cx == self._thing and not direct:
            return set(self._types)
        comps = {cx} if direct else self._descendant_comps(cx)
        return {i for c in comps for i in self._direct_instances.get(c, ())}

    def individuals(self) -> frozenset[URIRef]:
        """Return every individual (typed resource) in the index."""
        return frozenset(self._types)

    # -- explanations ----------------------------------------------------------

    def explain(self, x: URIRef, y: URIRef) -> list[Edge] | None:
        """Return the shortest chain of asserted statements proving `x` is a `y`.

        An empty list means `x` is `y`. ``None`` means `x` is not a `y`. A chain
        that ends at owl:Thing without a statement saying so ends with the
        pseudo-statement ``(c, rdfs:subClassOf, owl:Thing)``, which holds for
        every class by the OWL semantics.
        """
        if not self.is_a(x, y):
            return None
        if x == y:
            return []
        prev: dict[URIRef, Edge | None] = {x: None}
        queue = deque([x])
        while queue:
            node = queue.popleft()
            if node == y:
                break
            for edge in self._step_edges(node):
                nxt = edge[2]
                if nxt not in prev:
                    prev[nxt] = edge
                    queue.append(nxt)
        if y not in prev:
            if y == _THING:  # every class is below owl:Thing, stated or not
                return [
                    (
                        x,
                        RDF.type if x in self._types and x not in self._comp else RDFS.subClassOf,
                        _THING,
                    )
                ]
            if x == _NOTHING:
                return [(x, RDFS.subClassOf, y)]
            return None  # pragma: no cover - is_a and the search agree on the same edges
        chain: list[Edge] = []
        node = y
        while (step := prev[node]) is not None:
            chain.append(step)
            node = step[0]
        chain.reverse()
        return chain

    def _step_edges(self, node: URIRef) -> Iterable[Edge]:
        yield from self._up.get(node, ())
        yield from self._type_edges.get(node, ())
        yield from self._same.get(node, ())
