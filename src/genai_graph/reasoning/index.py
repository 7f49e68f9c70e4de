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

The index is built once from a graph state: a topological pass orders the
classes (Tarjan's algorithm collapses cycles into equivalence classes when
there are any), then the reflexive ancestor set of each is the union of its
parents' sets. ``is_a`` is two dictionary lookups and a set membership test;
``descendants`` walks down level by level with set unions.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Set

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .._store import gc_paused, predicate_pairs

__all__ = ["BUILTIN_NAMESPACES", "Edge", "NodeSet", "SubsumptionIndex"]

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
        with gc_paused():
            self._build_classes()
            self._build_individuals(types)

    @classmethod
    def from_graph(cls, graph: Graph) -> SubsumptionIndex:
        """Build the told index from the statements of `graph`."""
        with gc_paused():
            return cls._from_graph(graph)

    @classmethod
    def _from_graph(cls, graph: Graph) -> SubsumptionIndex:
        same_text = str.__eq__  # C-level comparison; URIRef.__eq__ is Python code
        sub_of, equivalent, a = RDFS.subClassOf, OWL.equivalentClass, RDF.type
        up: dict[URIRef, list[Edge]] = {}
        classes: set[URIRef] = set()
        vocabulary: dict[Node, bool] = {}

        def is_vocabulary(term: Node) -> bool:
            known = vocabulary.get(term)
            if known is None:
                known = vocabulary[term] = isinstance(term, URIRef) and _is_vocabulary(term)
            return known

        for sub, sup in predicate_pairs(graph, sub_of):
            if sub.__class__ is URIRef and sup.__class__ is URIRef:
                classes.add(sup)
                if same_text(sub, sup):
                    classes.add(sub)
                    continue
                edges = up.get(sub)
                if edges is None:
                    up[sub] = [(sub, sub_of, sup)]
                else:
                    edges.append((sub, sub_of, sup))
        for x, y in predicate_pairs(graph, equivalent):
            if x.__class__ is URIRef and y.__class__ is URIRef:
                classes.update((x, y))
                if not same_text(x, y):
                    up.setdefault(x, []).append((x, equivalent, y))
                    up.setdefault(y, []).append((y, equivalent, x))
        classes.update(up)

        types: dict[URIRef, set[URIRef]] = {}
        type_edges: dict[URIRef, list[Edge]] = {}
        declared = (OWL.Class, RDFS.Class)
        for ind, c in predicate_pairs(graph, a):
            if ind.__class__ is not URIRef or c.__class__ is not URIRef:
                continue
            if c in declared:
                if not is_vocabulary(ind):
                    classes.add(ind)
            elif c == OWL.NamedIndividual:
                types.setdefault(ind, set())
            elif not is_vocabulary(c):
                classes.add(c)
                types.setdefault(ind, set()).add(c)
                type_edges.setdefault(ind, []).append((ind, a, c))

        same: dict[URIRef, list[Edge]] = {}
        for x, y in predicate_pairs(graph, OWL.sameAs):
            if x.__class__ is URIRef and y.__class__ is URIRef and not same_text(x, y):
                same.setdefault(x, []).append((x, OWL.sameAs, y))
                same.setdefault(y, []).append((y, OWL.sameAs, x))
                types.setdefault(x, set())
                types.setdefault(y, set())
        return cls(classes, up, types, type_edges, same)

    # -- construction -------------------------------------------------------

    def _build_classes(self) -> None:
        """Order the equivalence classes topologically and close them upwards.

        A Kahn pass orders the classes superclasses-first; when it cannot
        (a cycle), Tarjan's algorithm collapses each cycle into one component.
        Each component's reflexive ancestor set is the union of its parents'
        sets, so queries are set lookups.
        """
        classes = list(self.classes)
        ids = {c: i for i, c in enumerate(classes)}
        n = len(classes)
        up: list[list[int]] = [[] for _ in range(n)]
        for node, edges in self._up.items():
            i = ids[node]
            if len(edges) == 1:
                j = ids[edges[0][2]]
                if j != i:
                    up[i] = [j]
            else:
                up[i] = list({ids[e[2]] for e in edges} - {i})
        # owl:Thing is above every class and owl:Nothing below every class.
        # A class with no stated superclass gets owl:Thing as parent (so
        # `owl:Thing rdfs:subClassOf X` makes X equivalent to owl:Thing), and
        # the classes stated to be below owl:Nothing join its component.
        top, bottom = ids[_THING], ids[_NOTHING]
        for i in range(n):
            if not up[i] and i != top:
                up[i] = [top]
        down: list[list[int]] = [[] for _ in range(n)]
        for i, ups in enumerate(up):
            for j in ups:
                down[j].append(i)
        _sink_to_bottom(up, down, bottom)
        indegree = [len(u) for u in up]
        order = [i for i in range(n) if not indegree[i]]
        append = order.append
        k = 0
        while k < len(order):
            for j in down[order[k]]:
                indegree[j] -= 1
                if not indegree[j]:
                    append(j)
            k += 1
        if len(order) == n:  # no cycle: every class is its own component
            comp_of = list(range(n))
            members: list[tuple[URIRef, ...]] = [(c,) for c in classes]
            sup = up
            sub = down
        else:
            # A cycle with no way out has no root above it: hang it below owl:Thing.
            reached, stack = {top}, [top]
            while stack:
                for i in down[stack.pop()]:
                    if i not in reached:
                        reached.add(i)
                        stack.append(i)
            if len(reached) < n:
                for i in range(n):
                    if i not in reached:
                        up[i].append(top)
                        down[top].append(i)
                _sink_to_bottom(up, down, bottom)
            comp_of, members = _tarjan(classes, up)
            m = len(members)
            sup_sets: list[set[int]] = [set() for _ in range(m)]
            for i, ups in enumerate(up):
                ci = comp_of[i]
                for j in ups:
                    cj = comp_of[j]
                    if cj != ci:
                        sup_sets[ci].add(cj)
            sup = [list(x) for x in sup_sets]
            sub = [[] for _ in range(m)]
            for c, ups in enumerate(sup):
                for d in ups:
                    sub[d].append(c)
            order = list(range(m))  # Tarjan numbers components superclasses-first
        comp_of, members, sup, sub, order, self._end = _preorder(comp_of, members, sup, sub, order)
        anc: list[frozenset[int]] = [frozenset()] * len(members)
        for c in order:
            parents = sup[c]
            if not parents:  # owl:Thing's component, the only root
                anc[c] = frozenset((c,))
            elif len(parents) == 1:
                anc[c] = anc[parents[0]] | {c}
            else:
                anc[c] = frozenset((c,)).union(*[anc[p] for p in parents])
        self._comp = {c: comp_of[i] for i, c in enumerate(classes)}
        self._members = members
        self._sup = sup
        self._sub = sub
        self._anc = anc
        self._singletons = all(len(m) == 1 for m in members)
        self._thing, self._nothing = self._comp[_THING], self._comp[_NOTHING]

    def _build_individuals(self, types: dict[URIRef, set[URIRef]]) -> None:
        # owl:sameAs groups pool their types (connected components of the sameAs links).
        group_types: dict[URIRef, frozenset[int]] = {}
        self._group: dict[URIRef, frozenset[URIRef]] = {}
        seen: set[URIRef] = set()
        comp = self._comp
        for ind in types:
            if ind in seen:
                continue
            if ind not in self._same:
                seen.add(ind)
                group_types[ind] = frozenset(comp[c] for c in types[ind])
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
            pooled = frozenset(comp[c] for node in group for c in types.get(node, ()))
            frozen = frozenset(group)
            for node in group:
                group_types[node] = pooled
                self._group[node] = frozen
        self._types = group_types
        anc, thing = self._anc, frozenset((self._thing,))
        self._ind_anc: dict[URIRef, frozenset[int]] = {
            ind: thing.union(*[anc[c] for c in comps]) for ind, comps in group_types.items()
        }
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
        cx = self._comp.get(x)
        cy = self._comp.get(y)
        if cx is not None and cy is not None:
            if cy in self._anc[cx] or cx == self._nothing:  # every set holds owl:Thing
                return True
        elif x == y:  # anything is itself
            return True
        elif cy is None:  # y is an individual: x is y when they are owl:sameAs
            return y in self._group.get(x, ())
        individual = self._ind_anc.get(x)
        return individual is not None and cy in individual

    def fast_table(self) -> tuple[dict[URIRef, int], dict[URIRef, frozenset[int]]]:
        """Return (component of each class, ancestor components of each class and individual).

        ``comp[y] in table[x]`` is ``is_a(x, y)`` whenever both lookups succeed
        (x not owl:Nothing, y a class); a KeyError means: ask :meth:`is_a`.
        Built once, on first use.
        """
        table = getattr(self, "_fast_table", None)
        if table is None:
            anc, comp, nothing = self._anc, self._comp, self._nothing
            by_iri = {iri: anc[c] for iri, c in comp.items() if c != nothing}
            for ind, comps in self._ind_anc.items():
                by_iri[ind] = by_iri[ind] | comps if ind in by_iri else comps
            table = self._fast_table = (comp, by_iri)
        return table

    def ancestors(self, x: URIRef, *, reflexive: bool = False) -> NodeSet:
        """Return every class `x` is (transitively) a subclass or instance of.

        owl:Thing is left out: it subsumes everything and says nothing. `x`
        itself is included only when `reflexive`.
        """
        cx = self._comp.get(x)
        comps: frozenset[int] | set[int]
        if cx == self._nothing:
            comps = frozenset(range(len(self._members)))
        elif cx is not None:
            comps = self._anc[cx]
            if x in self._ind_anc:  # punned: a class and an individual
                comps = comps | self._ind_anc[x]
        else:
            comps = self._ind_anc.get(x, frozenset())
        return NodeSet(
            self,
            comps,
            drop=(_THING,) if reflexive else (_THING, x),
            add=x if reflexive else None,
        )

    def descendants(self, x: URIRef, *, reflexive: bool = False) -> NodeSet:
        """Return every class that is (transitively) a subclass of `x`.

        Instances are not included: see :meth:`instances`. owl:Nothing is left
        out. The time taken grows with the size of the answer.
        """
        cx = self._comp.get(x)
        if cx is None:
            return NodeSet(self, frozenset(), add=x if reflexive and x in self._types else None)
        return NodeSet(
            self,
            self._descendant_comps(cx),
            skip=self._nothing,
            drop=() if reflexive else (x,),
            add=x if reflexive else None,
        )

    def _descendant_comps(self, cx: int) -> set[int] | range:
        if cx == self._thing:
            return range(len(self._members))
        if self._closed()[cx]:  # nothing below cx escapes its preorder range
            return range(cx, self._end[cx])
        sub = self._sub
        seen = {cx}
        frontier: set[int] | list[int] = [cx]
        while frontier:
            reached = set().union(*[sub[c] for c in frontier])
            reached -= seen
            seen |= reached
            frontier = reached
        return seen

    def _closed(self) -> list[bool]:
        """For each component: is everything below it inside its preorder range? Computed on first use.

        Components are numbered in preorder of a spanning tree (each one's
        first parent), so a subtree is a range of numbers. Multiple
        inheritance adds cross edges; a range is "closed" when no cross edge
        from inside it leads outside, and then it is exactly the descendants.
        """
        closed = getattr(self, "_closed_ranges", None)
        if closed is None:
            sup, sub, end = self._sup, self._sub, self._end
            m = len(sub)
            lo = list(range(m))
            hi = list(range(m))
            for c in range(m):
                for d in sub[c]:
                    if sup[d][0] != c:  # a cross edge c -> d
                        lo[c] = min(lo[c], d)
                        hi[c] = max(hi[c], d)
            for c in range(m - 1, -1, -1):  # children come after parents in preorder
                if sup[c]:
                    parent = sup[c][0]
                    lo[parent] = min(lo[parent], lo[c])
                    hi[parent] = max(hi[parent], hi[c])
            closed = self._closed_ranges = [lo[c] >= c and hi[c] < end[c] for c in range(m)]
        return closed

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
        nothing = self._nothing  # unsatisfiable classes are only below owl:Nothing
        return {m for s in self._sub[cx] if s != nothing for m in self._members[s]}

    def instances(self, x: URIRef, *, direct: bool = False) -> set[URIRef]:
        """Return the individuals whose types are `x` (or, unless `direct`, below `x`)."""
        cx = self._comp.get(x)
        if cx is None:
            return set()
        if cx == self._thing and not direct:
            return set(self._types)
        comps = {cx} if direct else self._descendant_comps(cx)
        found = self._direct_instances
        return {i for c in comps if c in found for i in found[c]}

    def individuals(self) -> frozenset[URIRef]:
        """Return every individual (typed resource) in the index."""
        return frozenset(self._types)

    # -- explanations ----------------------------------------------------------

    def explain(self, x: URIRef, y: URIRef) -> list[Edge] | None:
        """Return the shortest chain of asserted statements proving `x` is a `y`.

        An empty list means `x` is `y`. ``None`` means `x` is not a `y`. Two
        unstated statements that hold by the OWL semantics may appear:
        ``(c, rdfs:subClassOf, owl:Thing)`` (or ``rdf:type`` for an
        individual) and ``(owl:Nothing, rdfs:subClassOf, y)``.
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
            for edge in self._step_edges(node, y):
                nxt = edge[2]
                if nxt not in prev:
                    prev[nxt] = edge
                    queue.append(nxt)
        if y not in prev:
            return None  # pragma: no cover - is_a and the search agree on the same edges
        chain: list[Edge] = []
        node = y
        while (step := prev[node]) is not None:
            chain.append(step)
            node = step[0]
        chain.reverse()
        return chain

    def _step_edges(self, node: URIRef, goal: URIRef) -> Iterable[Edge]:
        yield from self._up.get(node, ())
        yield from self._type_edges.get(node, ())
        yield from self._same.get(node, ())
        # Unstated steps that hold by the OWL semantics:
        if node == _NOTHING:
            yield (node, RDFS.subClassOf, goal)
        elif node != _THING:
            is_class = node in self._comp
            yield (node, RDFS.subClassOf if is_class else RDF.type, _THING)


def _sink_to_bottom(up: list[list[int]], down: list[list[int]], bottom: int) -> None:
    """Make every class below owl:Nothing (`bottom`) equivalent to it: add bottom -> class edges."""
    if not down[bottom]:
        return
    below, stack = {bottom}, [bottom]
    while stack:
        for i in down[stack.pop()]:
            if i not in below:
                below.add(i)
                stack.append(i)
    have = set(up[bottom])
    for i in sorted(below - have - {bottom}):
        up[bottom].append(i)
        down[i].append(bottom)


def _preorder(
    comp_of: list[int],
    members: list[tuple[URIRef, ...]],
    sup: list[list[int]],
    sub: list[list[int]],
    order: list[int],
) -> tuple[
    list[int], list[tuple[URIRef, ...]], list[list[int]], list[list[int]], list[int], list[int]
]:
    """Renumber components in preorder of the spanning tree of first parents.

    Returns the renumbered (comp_of, members, sup, sub, order) and, for each
    component, the end (exclusive) of its subtree's range of numbers.
    """
    m = len(members)
    tree_children: list[list[int]] = [[] for _ in range(m)]
    roots = []
    for c in range(m):
        if sup[c]:
            tree_children[sup[c][0]].append(c)
        else:
            roots.append(c)
    pre = [0] * m
    end = [0] * m
    counter = 0
    stack: list[tuple[int, bool]] = [(r, False) for r in reversed(roots)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            end[node] = counter
            continue
        pre[node] = counter
        counter += 1
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(tree_children[node]))
    old = [0] * m
    for c in range(m):
        old[pre[c]] = c
    return (
        [pre[c] for c in comp_of],
        [members[c] for c in old],
        [[pre[p] for p in sup[c]] for c in old],
        [[pre[d] for d in sub[c]] for c in old],
        [pre[c] for c in order],
        [end[c] for c in old],
    )


def _tarjan(nodes: list[URIRef], up: list[list[int]]) -> tuple[list[int], list[tuple[URIRef, ...]]]:
    """Return (component of each node, members of each component), components superclasses-first.

    Iterative Tarjan: a component is emitted after every component it reaches,
    so with edges pointing to superclasses, superclasses come first.
    """
    n = len(nodes)
    comp_of = [-1] * n
    members: list[tuple[URIRef, ...]] = []
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work: list[tuple[int, Iterator[int]]] = [(root, iter(up[root]))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            node, edges = work[-1]
            advanced = False
            for nxt in edges:
                if index[nxt] == -1:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack[nxt] = True
                    work.append((nxt, iter(up[nxt])))
                    advanced = True
                    break
                if on_stack[nxt]:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                group: list[URIRef] = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    comp_of[member] = len(members)
                    group.append(nodes[member])
                    if member == node:
                        break
                members.append(tuple(group))
    return comp_of, members


class NodeSet(Set[URIRef]):
    """A read-only set of IRIs backed by component numbers of an index.

    Answers such as "every descendant of the top class" are handed out
    without copying a hundred thousand IRIs: membership, length and
    iteration work on the component numbers. `skip` leaves out a whole
    component, `drop` some IRIs, and `add` puts one IRI in.
    """

    __slots__ = ("_add", "_comps", "_drop", "_index", "_skip")

    def __init__(
        self,
        index: SubsumptionIndex,
        comps: frozenset[int] | set[int] | range,
        *,
        skip: int | None = None,
        drop: tuple[URIRef, ...] = (),
        add: URIRef | None = None,
    ) -> None:
        self._index = index
        self._comps = comps
        self._skip = skip
        self._drop = tuple(d for d in dict.fromkeys(drop) if d != add)
        self._add = add

    def _covers(self, item: URIRef) -> bool:
        c = self._index._comp.get(item)
        return c is not None and c != self._skip and c in self._comps

    def __contains__(self, item: object) -> bool:
        if item == self._add:
            return True
        if not isinstance(item, URIRef) or item in self._drop:
            return False
        return self._covers(item)

    def __iter__(self) -> Iterator[URIRef]:
        members, skip, drop, add = self._index._members, self._skip, self._drop, self._add
        for c in self._comps:
            if c != skip:
                for m in members[c]:
                    if m != add and m not in drop:
                        yield m
        if add is not None:
            yield add

    def __len__(self) -> int:
        if not self._index._singletons:
            return sum(1 for _ in self)
        count = len(self._comps)
        if self._skip is not None and self._skip in self._comps:
            count -= 1
        count -= sum(1 for d in self._drop if self._covers(d))
        if self._add is not None and not self._covers(self._add):
            count += 1
        return count

    @classmethod
    def _from_iterable(cls, it: Iterable[URIRef]) -> set[URIRef]:  # type: ignore[override]  # set algebra returns plain sets
        return set(it)

    def __repr__(self) -> str:
        return f"NodeSet({len(self)} IRIs)"
