"""The entailment switch: one object per regime answers is-a, relations and explanations.

=========  ====================================================================
regime     what is entailed, on top of the previous one
=========  ====================================================================
told       the statements as written, closed under rdfs:subClassOf and
           owl:equivalentClass (named classes), rdf:type and owl:sameAs
rdfs       RDFS rules on assertions: rdfs:domain and rdfs:range give types
           (rdfs2, rdfs3), rdfs:subPropertyOf carries assertions up (rdfs7)
el         OWL 2 EL classification (:mod:`.el`): defined classes with
           intersections and existential or value restrictions, disjointness,
           property hierarchies, chains and transitivity
owl-rl     OWL 2 RL through the owlrl package, materialised, then read as told
=========  ====================================================================

Every regime exposes the same things: an :class:`~.index.SubsumptionIndex`,
``explain(x, y)``, ``links(x)`` (the relations of x it entails, inherited and
derived, most specific first), and ``inferred_triples()`` (what it entails that
the graph does not say, for SPARQL and pictures). Inferred statements are kept
apart from the graph; nothing here writes to it.
"""

from __future__ import annotations

import warnings
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from ..errors import GenAIGraphWarning, MissingExtraError
from .el import BOTTOM, TOP, ELReasoner, Origin
from .expressions import DataValue, Intersection, Nominal, Some, parse_expression, rdf_list
from .index import BUILTIN_NAMESPACES, Edge, SubsumptionIndex

__all__ = ["ENTAILMENTS", "Link", "Regime", "Restriction", "StepTuple", "build_regime"]

ENTAILMENTS = ("told", "rdfs", "el", "owl-rl")
"""The regimes, weakest first."""

Triple = tuple[Node, Node, Node]


class StepTuple(NamedTuple):
    """One step of an explanation: a statement, whether the graph states it, and the rule if not."""

    subject: Node
    predicate: Node
    object: Node
    stated: bool
    rule: str | None = None


class Restriction(NamedTuple):
    """A link stated as a restriction: ``prop`` some (or value) ``target``, and the statement holding it."""

    prop: URIRef
    target: URIRef | Literal
    via: str  # "some" or "value"
    statement: Triple  # (node, rdfs:subClassOf | rdf:type | owl:equivalentClass, expression)


class Link(NamedTuple):
    """An entailed relation of a concept: ``predicate`` to ``target`` (a concept IRI or a literal)."""

    predicate: URIRef
    target: URIRef | Literal
    stated: bool
    via: str  # "triple", "some" or "value"


_LINK_VOCABULARY = (
    *BUILTIN_NAMESPACES,
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/",
)


def _is_vocabulary(term: Node) -> bool:
    return (
        isinstance(term, URIRef)
        and term not in (OWL.Thing, OWL.Nothing)
        and str(term).startswith(BUILTIN_NAMESPACES)
    )


class _Properties:
    """What the graph says about its properties: hierarchy, inverses, transitivity, kinds."""

    def __init__(self, graph: Graph) -> None:
        up: dict[URIRef, set[URIRef]] = defaultdict(set)
        for r, s in graph.subject_objects(RDFS.subPropertyOf):
            if isinstance(r, URIRef) and isinstance(s, URIRef) and r != s:
                up[r].add(s)
        for r, s in graph.subject_objects(OWL.equivalentProperty):
            if isinstance(r, URIRef) and isinstance(s, URIRef) and r != s:
                up[r].add(s)
                up[s].add(r)
        self.direct_super = up
        self.inverse: dict[URIRef, set[URIRef]] = defaultdict(set)
        for p, q in graph.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):
                self.inverse[p].add(q)
                self.inverse[q].add(p)
        self.transitive = {
            p for p in graph.subjects(RDF.type, OWL.TransitiveProperty) if isinstance(p, URIRef)
        }
        self.annotation = {
            p for p in graph.subjects(RDF.type, OWL.AnnotationProperty) if isinstance(p, URIRef)
        }
        self.domain: dict[URIRef, list[Node]] = defaultdict(list)
        self.range: dict[URIRef, list[Node]] = defaultdict(list)
        for p, d in graph.subject_objects(RDFS.domain):
            if isinstance(p, URIRef):
                self.domain[p].append(d)
        for p, r in graph.subject_objects(RDFS.range):
            if isinstance(p, URIRef):
                self.range[p].append(r)
        self._supers: dict[URIRef, dict[URIRef, list[Triple]]] = {}

    def supers(self, p: URIRef) -> dict[URIRef, list[Triple]]:
        """Return every superproperty of `p` (itself included) with the statements leading there."""
        found = self._supers.get(p)
        if found is None:
            found = {p: []}
            queue = deque([p])
            while queue:
                q = queue.popleft()
                for s in self.direct_super.get(q, ()):
                    if s not in found:
                        found[s] = [*found[q], (q, RDFS.subPropertyOf, s)]
                        queue.append(s)
            self._supers[p] = found
        return found

    def is_link(self, p: Node) -> bool:
        """Return True for a predicate that relates things (not a label, type or annotation)."""
        return (
            isinstance(p, URIRef)
            and p not in self.annotation
            and not str(p).startswith(_LINK_VOCABULARY)
        )


# -- shared by the closure-based regimes ---------------------------------------------------


class Regime:
    """Answers under one entailment regime for one state of a graph."""

    name: str = "told"

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.properties = _Properties(graph)
        self.unsupported: dict[str, int] = {}
        self.derivations: dict[Triple, tuple[str, tuple[Triple, ...]]] = {}
        self.index = self._build_index()
        self._links: dict[URIRef, list[Link]] = {}

    def _build_index(self) -> SubsumptionIndex:
        return SubsumptionIndex.from_graph(self.graph)

    # explanations ----------------------------------------------------------------

    def explain(self, x: URIRef, y: URIRef) -> list[StepTuple] | None:
        """Return the steps proving `x` is a `y`, premises first, or None.

        When a chain of stated statements proves it, that chain is the answer
        (the shortest such); otherwise the regime's own derivation.
        """
        if not self.index.is_a(x, y):
            return None
        told = self.told_index
        if told is not self.index and told.is_a(x, y):
            return self._chain_steps(told, x, y)
        return self._chain_steps(self.index, x, y)

    @property
    def told_index(self) -> SubsumptionIndex:
        """The index of the statements as written (the regime's own index for "told")."""
        found = getattr(self, "_told_index", None)
        if found is None:
            found = self._told_index = SubsumptionIndex.from_graph(self.graph)
        return found

    def _chain_steps(self, index: SubsumptionIndex, x: URIRef, y: URIRef) -> list[StepTuple] | None:
        """Explain through the shortest chain of is-a edges of `index`."""
        chain = index.explain(x, y)
        if chain is None:
            return None
        steps: list[StepTuple] = []
        seen: set[Triple] = set()
        for triple in chain:
            self._emit(triple, steps, seen)
        return steps

    def _emit(
        self, triple: Triple, steps: list[StepTuple], seen: set[Triple], depth: int = 0
    ) -> None:
        """Add `triple` to `steps`, preceded by the premises of its derivation."""
        if triple in seen:
            return
        seen.add(triple)
        s, p, o = triple
        if triple in self.graph or (
            p in (OWL.equivalentClass, OWL.sameAs) and (o, p, s) in self.graph
        ):
            steps.append(StepTuple(s, p, o, True))
            return
        derivation = self.derivations.get(triple)
        if derivation is None or depth > 50:
            rule = (
                "owl:Thing is the top class"
                if o == OWL.Thing
                else (
                    "owl:Nothing is the bottom class"
                    if s == OWL.Nothing
                    else self._rule_for(triple)
                )
            )
            steps.append(StepTuple(s, p, o, False, rule))
            return
        rule, premises = derivation
        for premise in premises:
            self._emit(premise, steps, seen, depth + 1)
        steps.append(StepTuple(s, p, o, False, rule))

    def _rule_for(self, triple: Triple) -> str:
        return self.name

    # relations ---------------------------------------------------------------------

    def links(self, x: URIRef) -> list[Link]:
        """Return the relations of `x` this regime entails, the most specific target per relation."""
        found = self._links.get(x)
        if found is None:
            found = self._links[x] = self._compute_links(x)
        return found

    def restrictions(self, node: URIRef) -> Iterator[Restriction]:
        """Yield the existential and value restrictions stated on `node`, with the statement of each.

        They are read from its superclasses, its types and its equivalent classes
        (the members of an intersection count), as the modeling pattern states links.
        """
        g = self.graph
        for predicate in (RDFS.subClassOf, RDF.type, OWL.equivalentClass):
            for node_expr in g.objects(node, predicate):
                if not isinstance(node_expr, BNode):
                    continue
                expr = parse_expression(g, node_expr)
                statement = (node, predicate, node_expr)
                for part in expr.parts if isinstance(expr, Intersection) else (expr,):
                    if isinstance(part, Some) and isinstance(part.filler, URIRef):
                        yield Restriction(part.prop, part.filler, "some", statement)
                    elif isinstance(part, Some) and isinstance(part.filler, Nominal):
                        yield Restriction(part.prop, part.filler.individual, "value", statement)
                    elif isinstance(part, DataValue):
                        yield Restriction(part.prop, part.value, "value", statement)

    def _compute_links(self, x: URIRef) -> list[Link]:
        g, index, props = self.graph, self.index, self.properties
        raw: dict[tuple[URIRef, Any], tuple[bool, str]] = {}

        def add(p: URIRef, target: URIRef | Literal, stated: bool, via: str) -> None:
            for q in props.supers(p):
                key = (q, target)
                old = raw.get(key)
                here = stated and q == p
                if old is None or (here and not old[0]):
                    raw[key] = (here, via)

        sources = [x, *sorted(index.ancestors(x))]
        for source in sources:
            for r in self.restrictions(source):
                add(r.prop, r.target, source == x, r.via)
        for pred, obj in g.predicate_objects(x):
            if (
                isinstance(pred, URIRef)
                and props.is_link(pred)
                and isinstance(obj, (URIRef, Literal))
            ):
                add(pred, obj, True, "triple")
        for p, others in props.inverse.items():
            for z in g.subjects(p, x):
                if isinstance(z, URIRef):
                    for q in others:
                        add(q, z, False, "triple")
        for p in props.transitive:
            reached = {t for (q, t) in raw if q == p and isinstance(t, URIRef)}
            queue = deque(reached)
            while queue:
                node = queue.popleft()
                nxt = [o for o in g.objects(node, p) if isinstance(o, URIRef)]
                nxt += [
                    r.target
                    for r in self.restrictions(node)
                    if r.prop == p and isinstance(r.target, URIRef)
                ]
                for o in nxt:
                    if o not in reached:
                        reached.add(o)
                        queue.append(o)
                        add(p, o, False, "some")
        return _most_specific(raw, index, props)

    # materialisation -------------------------------------------------------------

    def inferred_triples(self) -> Iterator[Triple]:
        """Yield what this regime entails that the graph does not state (nothing, for told)."""
        return iter(())

    def _entailed_closure(self) -> Iterator[Triple]:
        """Yield the subclass and type closure and the relation graph of the index."""
        g, index = self.graph, self.index
        thing = OWL.Thing
        for c in index.classes:
            if c in (thing, OWL.Nothing):
                continue
            for a in index.ancestors(c):
                if (c, RDFS.subClassOf, a) not in g:
                    yield (c, RDFS.subClassOf, a)
            for e in index.equivalents(c):
                if e != OWL.Nothing and (c, OWL.equivalentClass, e) not in g:
                    yield (c, OWL.equivalentClass, e)
        for ind in index.individuals():
            for a in index.ancestors(ind):
                if (ind, RDF.type, a) not in g:
                    yield (ind, RDF.type, a)
        for node in (*index.classes, *index.individuals()):
            if node in (thing, OWL.Nothing):
                continue
            for link in self.links(node):
                targets: Iterable[Node] = [link.target]
                if isinstance(link.target, URIRef) and index.is_class(link.target):
                    targets = [link.target, *index.ancestors(link.target)]
                for q in self.properties.supers(link.predicate):  # rdfs7: superproperties too
                    for t in targets:
                        if (node, q, t) not in g:
                            yield (node, q, t)


def _most_specific(
    raw: dict[tuple[URIRef, Any], tuple[bool, str]], index: SubsumptionIndex, props: _Properties
) -> list[Link]:
    """Keep, per property, the targets that no other target is below; drop superproperty echoes."""
    by_prop: dict[URIRef, list[Any]] = defaultdict(list)
    for p, t in raw:
        by_prop[p].append(t)
    keep: list[Link] = []
    for p, targets in by_prop.items():
        nodes = [t for t in targets if isinstance(t, URIRef)]
        for t in targets:
            stated, via = raw[(p, t)]
            # a class target is redundant when another target (a class or an individual) is below it
            if (
                not stated
                and isinstance(t, URIRef)
                and index.is_class(t)
                and any(o != t and index.is_a(o, t) and not index.is_a(t, o) for o in nodes)
            ):
                continue
            if not stated and any(
                sub != p and p in props.supers(sub) and (sub, t) in raw for sub in by_prop
            ):
                continue
            keep.append(Link(p, t, stated, via))
    return keep


class _Told(Regime):
    name = "told"


class _RDFS(Regime):
    """Told plus the RDFS rules that give individuals types and carry assertions up properties."""

    name = "rdfs"

    def _build_index(self) -> SubsumptionIndex:
        g, props = self.graph, self.properties
        told = SubsumptionIndex.from_graph(g)
        extra: dict[URIRef, list[Edge]] = defaultdict(list)
        derivations = self.derivations
        for s, p, o in g:
            if not isinstance(p, URIRef) or not props.is_link(p) or not isinstance(s, URIRef):
                continue
            for q, path in props.supers(p).items():
                if q != p and (s, q, o) not in g:
                    derivations.setdefault((s, q, o), ("rdfs7 (subproperty)", ((s, p, o), *path)))
                premise = (s, q, o) if q != p else (s, p, o)
                for d in props.domain.get(q, ()):
                    if isinstance(d, URIRef) and (s, RDF.type, d) not in g:
                        extra[s].append((s, RDF.type, d))
                        derivations.setdefault(
                            (s, RDF.type, d), ("rdfs2 (domain)", (premise, (q, RDFS.domain, d)))
                        )
                if isinstance(o, URIRef):
                    for r in props.range.get(q, ()):
                        if isinstance(r, URIRef) and (o, RDF.type, r) not in g:
                            extra[o].append((o, RDF.type, r))
                            derivations.setdefault(
                                (o, RDF.type, r), ("rdfs3 (range)", (premise, (q, RDFS.range, r)))
                            )
        if not extra:
            return told
        type_edges = {k: list(v) for k, v in told._type_edges.items()}
        types: dict[URIRef, set[URIRef]] = {ind: set() for ind in told.individuals()}
        for ind, edges in type_edges.items():
            types.setdefault(ind, set()).update(e[2] for e in edges)
        for node, edges in extra.items():
            for edge in edges:
                type_edges.setdefault(node, []).append(edge)
                types.setdefault(node, set()).add(edge[2])
        classes = set(told.classes) | {edge[2] for edges in extra.values() for edge in edges}
        return SubsumptionIndex(classes, told._up, types, type_edges, told._same)

    def inferred_triples(self) -> Iterator[Triple]:
        yield from self.derivations
        yield from self._entailed_closure()


# -- EL -------------------------------------------------------------------------------------

_EL_MARKERS = (
    OWL.someValuesFrom,
    OWL.hasValue,
    OWL.intersectionOf,
    OWL.unionOf,
    OWL.disjointWith,
    OWL.propertyChainAxiom,
    OWL.inverseOf,
    RDFS.domain,
    RDFS.range,
    RDFS.subPropertyOf,
    OWL.equivalentProperty,
    OWL.oneOf,
    # left out, but reported: the reasoner must see them to say so
    OWL.onProperty,
    OWL.disjointUnionOf,
    OWL.hasKey,
    OWL.differentFrom,
    OWL.propertyDisjointWith,
    OWL.complementOf,
)
_EL_MARKER_TYPES = (
    OWL.AllDisjointClasses,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
    OWL.AsymmetricProperty,
    OWL.AllDifferent,
    OWL.AllDisjointProperties,
    OWL.NegativePropertyAssertion,
)


class _EL(Regime):
    """OWL 2 EL classification; falls back to the told answers when the graph has no EL axioms."""

    name = "el"

    def _build_index(self) -> SubsumptionIndex:
        g = self.graph
        # Without any of these, EL infers nothing the told index does not: skip it.
        markers = any(
            next(g.triples((None, p, None)), None) is not None for p in _EL_MARKERS
        ) or any(next(g.triples((None, RDF.type, t)), None) is not None for t in _EL_MARKER_TYPES)
        self.el: ELReasoner | None = None
        if not markers:
            return self.told_index
        self.el = ELReasoner(g)
        self.unsupported = dict(self.el.unsupported)
        inconsistent = [
            iri for iri, atom in self.el.individuals() if self.el.is_unsatisfiable(atom)
        ]
        if inconsistent:
            warnings.warn(
                f"the ontology is inconsistent under OWL 2 EL: {len(inconsistent)} individual(s) "
                f"belong to disjoint classes, e.g. <{inconsistent[0]}>; answers follow the rest",
                GenAIGraphWarning,
                stacklevel=4,
            )
        return self.el.taxonomy()

    def explain(self, x: URIRef, y: URIRef) -> list[StepTuple] | None:
        if not self.index.is_a(x, y):
            return None
        if (
            self.told_index.is_a(x, y) or self.el is None
        ):  # stated statements prove it: the shortest chain
            return self._chain_steps(self.told_index, x, y)
        el = self.el
        sub = el.atom_of_class(x)
        if sub is None:
            sub = el.atom_of_individual(x)
        sup = el.atom_of_class(y)
        if sup is None:
            sup = el.atom_of_individual(y)
        if sub is None or sup is None:
            return None
        if sup not in el.subsumer_atoms(sub):
            if el.is_unsatisfiable(sub):  # below owl:Nothing, so below everything
                return _Proof(el, self.graph).fact(sub, BOTTOM, conclude=(x, y))
            return self._chain_steps(self.index, x, y)
        return _Proof(el, self.graph).fact(sub, sup)

    def explain_link(self, x: URIRef, p: URIRef, y: Node) -> list[StepTuple] | None:
        """Return the steps proving that `x` is linked to `y` by `p`, or None."""
        el = self.el
        if el is None:
            return None
        atom = el.atom_of_class(x)
        if atom is None:
            atom = el.atom_of_individual(x)
        if atom is None:
            return None
        proof = _Proof(el, self.graph)
        for target, _ in el.links(atom).get(p, {}).items():
            key = el.key(target)
            if key[0] in ("class", "nominal") and key[1] == y:
                return proof.link(atom, p, target)
            subs = el.subsumer_atoms(target)
            wanted = el.atom_of_class(y) if isinstance(y, URIRef) else None
            if wanted is not None and wanted in subs:
                steps = proof.link(atom, p, target)
                steps += proof.fact(target, wanted)
                steps.append(StepTuple(x, p, y, False, "EL: filler subsumption"))
                return _dedupe(steps)
        if isinstance(y, Literal):
            for a in el.subsumer_atoms(atom):
                key = el.key(a)
                if key[0] == "data" and key[1] == p and DataValue(p, y).key() == key[1:]:
                    return proof.fact(atom, a)
        return None

    def _compute_links(self, x: URIRef) -> list[Link]:
        el = self.el
        if el is None:
            return super()._compute_links(x)
        atom = el.atom_of_class(x)
        if atom is None:
            atom = el.atom_of_individual(x)
        if atom is None:
            return super()._compute_links(x)
        stated: set[tuple[Node, Node]] = {(r.prop, r.target) for r in self.restrictions(x)}
        stated |= {
            (p, o)
            for p, o in self.graph.predicate_objects(x)
            if isinstance(p, URIRef) and self.properties.is_link(p)
        }
        raw: dict[tuple[URIRef, Any], tuple[bool, str]] = {}
        for p, targets in el.links(atom).items():
            if str(p).startswith("urn:genai-graph:"):
                continue
            for t in targets:
                key = el.key(t)
                named: list[tuple[URIRef, str]] = []
                if key[0] == "class" and t != TOP:
                    named.append((key[1], "some"))
                elif key[0] == "nominal":
                    named.append((key[1], "value"))
                for a in el.subsumer_atoms(t):
                    k = el.key(a)
                    if k[0] == "class" and a not in (TOP, BOTTOM):
                        named.append((k[1], "some"))
                for target, via in named:
                    raw.setdefault((p, target), ((p, target) in stated, via))
        for a in el.subsumer_atoms(atom):
            key = el.key(a)
            if key[0] == "data":
                own = [
                    o
                    for o in self.graph.objects(x, key[1])
                    if isinstance(o, Literal) and DataValue(key[1], o).key() == key[1:]
                ]
                literal = own[0] if own else el.literal(a)
                if literal is not None:
                    raw.setdefault((key[1], literal), ((key[1], literal) in stated, "value"))
        return _most_specific(raw, self.index, self.properties)

    def inferred_triples(self) -> Iterator[Triple]:
        yield from self._entailed_closure()


def _dedupe(steps: list[StepTuple]) -> list[StepTuple]:
    seen: set[tuple[Node, Node, Node]] = set()
    out = []
    for step in steps:
        key = (step.subject, step.predicate, step.object)
        if key not in seen:
            seen.add(key)
            out.append(step)
    return out


_RULE_NAMES = {
    "sub": "EL: subclass",
    "conj": "EL: intersection",
    "ex-lhs": "EL: existential",
    "bottom": "EL: owl:Nothing",
    "ex-rhs": "EL: existential",
    "role": "EL: subproperty",
    "chain": "EL: property chain",
}


class _Proof:
    """Turn the provenance of EL facts into explanation steps, premises first."""

    def __init__(self, el: ELReasoner, graph: Graph) -> None:
        self.el = el
        self.graph = graph
        self.steps: list[StepTuple] = []
        self.done: set[Any] = set()

    def _named(self, atom: int) -> Node | None:
        key = self.el.key(atom)
        return key[1] if key[0] in ("class", "nominal") else None

    def _origin(self, origin: Origin) -> None:
        for triple in origin:
            if triple not in self.done:
                self.done.add(triple)
                self.steps.append(StepTuple(*triple, True))

    def fact(
        self, x: int, a: int, conclude: tuple[URIRef, URIRef] | None = None
    ) -> list[StepTuple]:
        self._fact(x, a)
        if conclude is not None:
            self.steps.append(
                StepTuple(
                    conclude[0],
                    RDFS.subClassOf,
                    conclude[1],
                    False,
                    "EL: owl:Nothing is below every class",
                )
            )
        return self.steps

    def link(self, x: int, r: URIRef, y: int) -> list[StepTuple]:
        self._link(x, r, y)
        return self.steps

    def _conclude(
        self, x: int, predicate: URIRef | None, a: int, rule: str, origin: Origin
    ) -> None:
        sx, sa = self._named(x), self._named(a)
        if sx is None or sa is None or x == a:
            return
        if predicate is None:
            is_individual = self.el.key(x)[0] == "nominal"
            if self.el.key(a)[0] == "nominal":
                predicate = OWL.sameAs
            else:
                predicate = RDF.type if is_individual else RDFS.subClassOf
        triple = (sx, predicate, sa)
        if triple in origin or triple in self.done:
            return
        self.done.add(triple)
        self.steps.append(
            StepTuple(
                sx, predicate, sa, triple in self.graph, None if triple in self.graph else rule
            )
        )

    # The derivations are walked with an explicit stack, premises first: a
    # proof may be thousands of steps deep.

    def _fact(self, x: int, a: int) -> None:
        self._walk(("S", x, a))

    def _link(self, x: int, r: URIRef, y: int) -> None:
        self._walk(("R", x, r, y))

    def _walk(self, root: tuple[Any, ...]) -> None:
        stack: list[tuple[tuple[Any, ...], Any]] = [(root, None)]
        while stack:
            key, why = stack.pop()
            if why is not None:  # every premise is in place: conclude
                self._finish(key, why)
                continue
            if key in self.done:
                continue
            self.done.add(key)
            if key[0] == "S":
                why = self.el.subsumer_atoms(key[1]).get(key[2])
                if why is None or why[0] == "init":
                    continue
            else:
                why = self.el.links(key[1]).get(key[2], {}).get(key[3])
                if why is None:
                    continue
            stack.append((key, why))
            stack.extend((premise, None) for premise in reversed(self._premises(key, why)))

    @staticmethod
    def _premises(key: tuple[Any, ...], why: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        rule = why[0]
        if key[0] == "S":
            x = key[1]
            if rule == "sub":
                return [("S", x, why[2])]
            if rule == "conj":
                return [("S", x, c) for c in why[2]]
            if rule == "ex-lhs":
                _, _, w, r, y, premise = why
                return [("R", w, r, y), ("S", y, premise)]
            if rule == "bottom":
                _, w, r, y = why
                return [("R", w, r, y), ("S", y, BOTTOM)]
            return []
        x, y = key[1], key[3]
        if rule == "ex-rhs":
            return [("S", x, why[2])]
        if rule == "role":
            return [("R", x, why[2], y)]
        if rule == "chain":
            _, _, x1, r1, y1, s2, z = why
            return [("R", x1, r1, y1), ("R", y1, s2, z)]
        return []

    def _finish(self, key: tuple[Any, ...], why: tuple[Any, ...]) -> None:
        rule = why[0]
        origin: Origin = () if key[0] == "S" and rule == "bottom" else why[1]
        self._origin(origin)
        if key[0] == "S":
            self._conclude(key[1], None, key[2], _RULE_NAMES[rule], origin)
        elif not str(key[2]).startswith("urn:genai-graph:"):
            self._conclude(key[1], key[2], key[3], _RULE_NAMES[rule], origin)


# -- OWL RL ----------------------------------------------------------------------------------


class _OWLRL(Regime):
    """OWL 2 RL closure by the owlrl package, read with the told machinery."""

    name = "owl-rl"

    def __init__(self, graph: Graph) -> None:
        try:
            import owlrl  # type: ignore[import-untyped]  # owlrl ships no type hints
        except ImportError as err:
            raise MissingExtraError("owlrl", "owlrl", "entailment='owl-rl'") from err
        closure = Graph()
        for triple in graph:
            closure.add(triple)
        owlrl.DeductiveClosure(
            owlrl.OWLRL_Semantics,
            rdfs_closure=False,
            axiomatic_triples=False,
            datatype_axioms=False,
        ).expand(closure)
        self._inferred = [t for t in closure if t not in graph and _meaningful(t)]
        self.closure = Graph()
        for t in graph:
            self.closure.add(t)
        for t in self._inferred:
            self.closure.add(t)
        self.asserted = graph
        super().__init__(graph)

    def _build_index(self) -> SubsumptionIndex:
        return SubsumptionIndex.from_graph(self.closure)

    def _rule_for(self, triple: Triple) -> str:
        return trace_rule(self.closure, triple)[0]

    def _emit(
        self, triple: Triple, steps: list[StepTuple], seen: set[Triple], depth: int = 0
    ) -> None:
        if triple in seen:
            return
        if triple in self.asserted or depth > 12 or triple in self.derivations:
            super()._emit(triple, steps, seen, depth)
            return
        rule, premises = trace_rule(self.closure, triple)
        self.derivations[triple] = (rule, premises)
        super()._emit(triple, steps, seen, depth)

    def _compute_links(self, x: URIRef) -> list[Link]:
        saved = self.graph
        self.graph = self.closure
        try:
            links = super()._compute_links(x)
        finally:
            self.graph = saved
        # The closure states what owlrl derived: say "stated" only for the user's
        # statements, then drop what became redundant (a class target above an
        # individual target, a superproperty echo).
        raw = {
            (link.predicate, link.target): (
                (x, link.predicate, link.target) in saved
                or (link.stated and _stated_restriction(saved, x, link)),
                link.via,
            )
            for link in links
        }
        return _most_specific(raw, self.index, self.properties)

    def inferred_triples(self) -> Iterator[Triple]:
        yield from self._inferred
        inferred = set(self._inferred)
        for t in self._entailed_closure():
            if t not in inferred and t not in self.closure:
                yield t


def _stated_restriction(graph: Graph, x: URIRef, link: Link) -> bool:
    for expr_node in (*graph.objects(x, RDFS.subClassOf), *graph.objects(x, RDF.type)):
        if (
            isinstance(expr_node, BNode)
            and graph.value(expr_node, OWL.onProperty) == link.predicate
            and link.target
            in (graph.value(expr_node, OWL.someValuesFrom), graph.value(expr_node, OWL.hasValue))
        ):
            return True
    return False


def _meaningful(triple: Triple) -> bool:
    s, p, o = triple
    if isinstance(s, Literal) or _is_vocabulary(s):
        return False
    if p == OWL.sameAs and s == o:
        return False
    if p == RDF.type and _is_vocabulary(o) and o != OWL.Nothing:
        return False
    if p in (RDFS.subClassOf, OWL.equivalentClass) and (s == o or o == OWL.Thing):
        return False
    return not (p in (RDFS.subPropertyOf, OWL.equivalentProperty) and s == o)


def trace_rule(g: Graph, triple: Triple) -> tuple[str, tuple[Any, ...]]:
    """Name an OWL 2 RL rule that derives `triple` from statements of `g`, with its premises."""
    s, p, o = triple
    if p == RDF.type:
        for b in g.objects(s, RDF.type):
            if b != o and (b, RDFS.subClassOf, o) in g:
                return "cax-sco", ((s, RDF.type, b), (b, RDFS.subClassOf, o))
            if (b, OWL.equivalentClass, o) in g:
                return "cax-eqc1", ((s, RDF.type, b), (b, OWL.equivalentClass, o))
            if (o, OWL.equivalentClass, b) in g:
                return "cax-eqc2", ((s, RDF.type, b), (o, OWL.equivalentClass, b))
        for q, d in g.subject_objects(RDFS.domain):
            if d == o:
                for y in g.objects(s, q):
                    return "prp-dom", ((s, q, y), (q, RDFS.domain, o))
        for q, r in g.subject_objects(RDFS.range):
            if r == o:
                for x in g.subjects(q, s):
                    return "prp-rng", ((x, q, s), (q, RDFS.range, o))
        members = rdf_list(g, g.value(o, OWL.intersectionOf)) if isinstance(o, BNode) else None
        if members:
            return "cls-int1", tuple((s, RDF.type, m) for m in members)
        for c in g.objects(s, RDF.type):
            parts = rdf_list(g, g.value(c, OWL.intersectionOf))
            if parts and o in parts:
                return "cls-int2", (
                    (s, RDF.type, c),
                    (c, OWL.intersectionOf, g.value(c, OWL.intersectionOf)),
                )
        for restriction in g.subjects(OWL.onProperty, None):
            if (
                restriction == o
                or (restriction, RDFS.subClassOf, o) in g
                or (restriction, OWL.equivalentClass, o) in g
            ):
                prop = g.value(restriction, OWL.onProperty)
                filler = g.value(restriction, OWL.someValuesFrom)
                value = g.value(restriction, OWL.hasValue)
                for y in g.objects(s, prop):
                    if value is not None and y == value:
                        return "cls-hv2", ((s, prop, y), (restriction, OWL.hasValue, value))
                    if filler is not None and ((y, RDF.type, filler) in g or filler == OWL.Thing):
                        return "cls-svf1", (
                            (s, prop, y),
                            (y, RDF.type, filler),
                            (restriction, OWL.someValuesFrom, filler),
                        )
    if p == RDFS.subClassOf:
        for b in g.objects(s, RDFS.subClassOf):
            if b not in (s, o) and (b, RDFS.subClassOf, o) in g:
                return "scm-sco", ((s, RDFS.subClassOf, b), (b, RDFS.subClassOf, o))
        if (s, OWL.equivalentClass, o) in g or (o, OWL.equivalentClass, s) in g:
            return "scm-eqc1", (
                (s, OWL.equivalentClass, o)
                if (s, OWL.equivalentClass, o) in g
                else (o, OWL.equivalentClass, s),
            )
        parts = rdf_list(g, g.value(s, OWL.intersectionOf)) if isinstance(s, BNode) else None
        if parts and o in parts:
            return "scm-int", ((s, OWL.intersectionOf, g.value(s, OWL.intersectionOf)),)
    if p == OWL.equivalentClass and (o, p, s) in g:
        return "scm-eqc (symmetry)", ((o, p, s),)
    if p == OWL.sameAs:
        if (o, OWL.sameAs, s) in g:
            return "eq-sym", ((o, OWL.sameAs, s),)
        for b in g.objects(s, OWL.sameAs):
            if b not in (s, o) and (b, OWL.sameAs, o) in g:
                return "eq-trans", ((s, OWL.sameAs, b), (b, OWL.sameAs, o))
    if isinstance(p, URIRef):
        for q in g.subjects(RDFS.subPropertyOf, p):
            if q != p and (s, q, o) in g:
                return "prp-spo1", ((s, q, o), (q, RDFS.subPropertyOf, p))
        for q in g.objects(p, OWL.inverseOf):
            if (o, q, s) in g:
                return "prp-inv1", ((o, q, s), (p, OWL.inverseOf, q))
        for q in g.subjects(OWL.inverseOf, p):
            if (o, q, s) in g:
                return "prp-inv2", ((o, q, s), (q, OWL.inverseOf, p))
        if (p, RDF.type, OWL.TransitiveProperty) in g:
            for b in g.objects(s, p):
                if b not in (s, o) and (b, p, o) in g:
                    return "prp-trp", ((s, p, b), (b, p, o), (p, RDF.type, OWL.TransitiveProperty))
        if (p, RDF.type, OWL.SymmetricProperty) in g and (o, p, s) in g:
            return "prp-symp", ((o, p, s), (p, RDF.type, OWL.SymmetricProperty))
    return "owl-rl", ()


_REGIMES: dict[str, type[Regime]] = {"told": _Told, "rdfs": _RDFS, "el": _EL, "owl-rl": _OWLRL}


def build_regime(name: str, graph: Graph) -> Regime:
    """Build the regime called `name` over `graph` (see :data:`ENTAILMENTS`)."""
    return _REGIMES[name](graph)
