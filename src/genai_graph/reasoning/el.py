"""OWL 2 EL classification without Java: normalisation, completion rules, provenance.

This is the consequence-based procedure of the CEL and ELK reasoners
(Baader, Brandt and Lutz, "Pushing the EL envelope", IJCAI 2005):

1. Every axiom is rewritten into normal forms over atomic concepts, with
   fresh atoms for nested expressions::

       A1 and ... and An SubClassOf B       A SubClassOf r some B
       r some A SubClassOf B                r SubPropertyOf s        r o s SubPropertyOf t

   Individuals become nominal atoms ``{a}``: ``a : C`` is ``{a} SubClassOf C``
   and ``p(a, b)`` is ``{a} SubClassOf p some {b}``; datatype values
   (``p value "v"``) are atoms of their own.

2. The completion rules saturate, for every atom X, the set S(X) of its
   subsumers and the links R = {(X, r, Y) : X SubClassOf r some Y}::

       CR1  A1..An in S(X), A1 and .. and An SubClassOf B   =>  B in S(X)
       CR2  A in S(X), A SubClassOf r some B               =>  (X, r, B) in R
       CR3  (X, r, Y) in R, A in S(Y), r some A SubClassOf B  =>  B in S(X)
       CR4  (X, r, Y) in R, Nothing in S(Y)                 =>  Nothing in S(X)
       CR5  (X, r, Y) in R, r SubPropertyOf s              =>  (X, s, Y) in R
       CR6  (X, r, Y), (Y, s, Z) in R, r o s SubPropertyOf t  =>  (X, t, Z) in R

   The rules are sound and, for the EL profile, complete for subsumption
   between named classes and for the types of individuals.

   A transitive role r (``r o r SubPropertyOf r``) is closed by a linear
   version of CR6: a link (X, r, Y) is composed only with the r-links that
   CR6 did not itself derive, so each link of the closure is derived about
   once rather than once per midpoint (quadratic instead of cubic on a chain).

3. Ranges follow "Pushing the EL envelope further" (2008): with
   ``rdfs:range`` R on r or on a superproperty of r, ``A SubClassOf r some B``
   is read as ``A SubClassOf r some (B and R)``; the object of an
   individual's assertion ``r(a, b)`` gets the type R. Domains are
   ``r some owl:Thing SubClassOf D``, for datatype properties too.

Data values compare as OWL 2 data values (:func:`.expressions.value_key`):
``true`` is not ``1``, ``"chat"@en`` is not ``"chat"@fr``, the integer 2 is
the decimal 2.0 but not the double 2.0. Two different values of a
functional datatype property make their subject unsatisfiable.

Assertions on properties the graph does not declare (or declares only as
``rdf:Property``) count as RDFS counts them: an IRI object makes a relation,
a literal a data value; annotation properties and the RDF, RDFS, OWL, XSD,
SKOS and Dublin Core vocabularies are not relations. So ``el`` infers every
type the ``rdfs`` regime infers.

Every derived fact keeps the rule and premises of its first derivation, so
any answer can be explained down to the statements of the graph.

Outside the profile: ``owl:unionOf`` is used where it is harmless (on the
subclass side), as are the subclass and disjointness parts of
``owl:disjointUnionOf``; ``owl:inverseOf`` and symmetric properties are
applied to individuals' assertions only (as the README says). Universal
restrictions, cardinalities, complements, multi-individual ``owl:oneOf``,
functional object properties and the other property characteristics, keys,
different individuals, disjoint properties and negative assertions are left
out, and each is reported once (:attr:`ELReasoner.unsupported`). Leaving
axioms out never makes an answer wrong: it can only miss an inference.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterator
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .._store import distinct_terms, gc_paused, predicate_pairs
from .expressions import (
    DataValue,
    Expr,
    Intersection,
    Nominal,
    Some,
    Union_,
    Unsupported,
    ValueKey,
    distinct_values,
    parse_expression,
    rdf_list,
)
from .index import BUILTIN_NAMESPACES, Edge, SubsumptionIndex

__all__ = ["BOTTOM", "TOP", "ELReasoner", "Origin"]

TOP, BOTTOM = 0, 1
_THING_AND_NOTHING = (OWL.Thing, OWL.Nothing)

Origin = tuple[tuple[Node, Node, Node], ...]
"""The statements of the graph an axiom was read from."""

_OBJECT_PROPERTY_TYPES = (
    OWL.ObjectProperty,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.AsymmetricProperty,
    OWL.ReflexiveProperty,
    OWL.IrreflexiveProperty,
    OWL.InverseFunctionalProperty,
)

_DECLARED_OBJECT = (OWL.ObjectProperty, OWL.TransitiveProperty, OWL.SymmetricProperty)

# Predicates in these namespaces relate things only when declared as properties
# (the same list as regimes._LINK_VOCABULARY, which the rdfs regime uses).
_LINK_VOCABULARY = (
    *BUILTIN_NAMESPACES,
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/",
)

# Left out, and reported: property characteristics outside EL (or ignored here) ...
_LEFT_OUT_TYPES = {
    OWL.InverseFunctionalProperty: "owl:InverseFunctionalProperty",
    OWL.ReflexiveProperty: "owl:ReflexiveProperty",
    OWL.IrreflexiveProperty: "owl:IrreflexiveProperty",
    OWL.AsymmetricProperty: "owl:AsymmetricProperty",
    OWL.AllDifferent: "owl:AllDifferent",
    OWL.AllDisjointProperties: "owl:AllDisjointProperties",
    OWL.NegativePropertyAssertion: "owl:NegativePropertyAssertion",
}
# ... and axioms that can only make answers stronger or the graph inconsistent
_LEFT_OUT_PREDICATES = {
    OWL.differentFrom: "owl:differentFrom",
    OWL.propertyDisjointWith: "owl:propertyDisjointWith",
    OWL.hasKey: "owl:hasKey",
}

# Provenance records. Facts are ("S", X, A) and ("R", X, r, Y); a record is
# (rule, origin, premises...) with premises as fact keys.
_INIT = ("init",)


def _is_vocabulary(iri: Node) -> bool:
    return (
        isinstance(iri, URIRef)
        and iri not in _THING_AND_NOTHING
        and str(iri).startswith(BUILTIN_NAMESPACES)
    )


class ELReasoner:
    """Classify the classes and individuals of an rdflib graph under OWL 2 EL.

    Parameters
    ----------
    graph : rdflib.Graph
        The asserted statements; read once, not kept.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...   @prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ...   @prefix : <http://e/> .
    ...   :C rdfs:subClassOf [ owl:onProperty :r ; owl:someValuesFrom :D ] , :A .
    ...   :D rdfs:subClassOf :E .
    ...   :F owl:equivalentClass [ owl:intersectionOf ( :A [ owl:onProperty :r ; owl:someValuesFrom :E ] ) ] .''')
    >>> el = ELReasoner(g)
    >>> URIRef("http://e/F") in el.subsumers(URIRef("http://e/C"))
    True
    """

    def __init__(self, graph: Graph) -> None:
        self.unsupported: dict[str, int] = defaultdict(int)
        self._atom: dict[Any, int] = {("class", OWL.Thing): TOP, ("class", OWL.Nothing): BOTTOM}
        self._key: list[Any] = [("class", OWL.Thing), ("class", OWL.Nothing)]
        # normalised axioms, each with its origin
        self._sub: dict[int, list[tuple[int, Origin]]] = defaultdict(list)
        self._conj: dict[int, list[tuple[frozenset[int], int, Origin]]] = defaultdict(list)
        self._ex_rhs: dict[int, list[tuple[URIRef, int, Origin]]] = defaultdict(list)
        self._ex_lhs: dict[URIRef, dict[int, list[tuple[int, Origin]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        self._role_sub: dict[URIRef, list[tuple[URIRef, Origin]]] = defaultdict(list)
        self._chain_first: dict[URIRef, list[tuple[URIRef, URIRef, Origin]]] = defaultdict(list)
        self._chain_second: dict[URIRef, list[tuple[URIRef, URIRef, Origin]]] = defaultdict(list)
        self._transitive: dict[URIRef, Origin] = {}
        # data atom of a functional datatype property -> (its value, the statement)
        self._functional: dict[int, tuple[ValueKey, Origin]] = {}
        self._literal: dict[int, Literal] = {}  # data atom -> a literal with its value
        self._fresh: dict[tuple[Any, ...], int] = {}
        self._fresh_roles = 0
        self._supers_of: dict[URIRef, dict[URIRef, Origin]] = {}
        self.derivations = 0
        """How many conclusions the saturation drew (repeats included): a measure of its work."""
        with gc_paused():
            self._read(graph)
            self._saturate()

    # -- atoms ---------------------------------------------------------------

    def _atom_id(self, key: Any) -> int:
        found = self._atom.get(key)
        if found is None:
            found = self._atom[key] = len(self._key)
            self._key.append(key)
        return found

    def _class(self, iri: URIRef) -> int:
        return self._atom_id(("class", iri))

    def _nominal(self, iri: URIRef) -> int:
        return self._atom_id(("nominal", iri))

    def _simple(self, expr: Expr) -> int | None:
        """Return the atom of a named class, nominal or data value; None for a complex expression."""
        if isinstance(expr, URIRef):
            return self._class(expr)
        if isinstance(expr, Nominal):
            return self._nominal(expr.individual)
        if isinstance(expr, DataValue):
            atom = self._atom_id(("data", *expr.key()))
            self._literal.setdefault(atom, expr.value)
            return atom
        return None

    def _neg_atom(self, expr: Expr, origin: Origin) -> int:
        """Return an atom A with `expr` SubClassOf A (for the subclass side)."""
        return self._fresh_atom(expr, origin, "neg")

    def _pos_atom(self, expr: Expr, origin: Origin) -> int:
        """Return an atom A with A SubClassOf `expr` (for the superclass side)."""
        return self._fresh_atom(expr, origin, "pos")

    def _fresh_atom(self, expr: Expr, origin: Origin, side: str) -> int:
        simple = self._simple(expr)
        if simple is not None:
            return simple
        key = (side, expr, origin)  # per axiom, so that a proof cites the axioms it used
        if key not in self._fresh:
            atom = self._fresh[key] = self._atom_id(("fresh", len(self._fresh)))
            if side == "neg":
                self._gci(expr, atom, origin)
            else:
                self._gci(atom, expr, origin)
        return self._fresh[key]

    # -- normalisation ---------------------------------------------------------

    def _gci(self, lhs: Expr | int, rhs: Expr | int, origin: Origin) -> None:
        """Add the axiom `lhs` SubClassOf `rhs` in normal form."""
        if isinstance(rhs, Intersection):
            for part in rhs.parts:
                self._gci(lhs, part, origin)
            return
        if isinstance(lhs, Union_):
            for part in lhs.parts:
                self._gci(part, rhs, origin)
            return
        for side in (lhs, rhs):
            if isinstance(side, Unsupported):
                self.unsupported[side.what] += 1
                return
            if isinstance(side, Union_):
                self.unsupported["owl:unionOf as a superclass"] += 1
                return
        if isinstance(lhs, Some):
            filler = self._neg_atom(lhs.filler, origin)
            target = rhs if isinstance(rhs, int) else self._pos_atom(rhs, origin)
            self._ex_lhs[lhs.prop][filler].append((target, origin))
            return
        if isinstance(lhs, Intersection):
            conjuncts = frozenset(self._neg_atom(p, origin) for p in _flatten(lhs))
        else:
            conjuncts = frozenset((lhs if isinstance(lhs, int) else self._neg_atom(lhs, origin),))
        if isinstance(rhs, Some):
            source = (
                next(iter(conjuncts)) if len(conjuncts) == 1 else self._conj_atom(conjuncts, origin)
            )
            self._ex_rhs[source].append((rhs.prop, self._pos_atom(rhs.filler, origin), origin))
            return
        target = rhs if isinstance(rhs, int) else self._pos_atom(rhs, origin)
        conjuncts = conjuncts - {TOP} or frozenset((TOP,))
        if len(conjuncts) == 1:
            (only,) = conjuncts
            if only != target:
                self._sub[only].append((target, origin))
        else:
            for c in conjuncts:
                self._conj[c].append((conjuncts, target, origin))

    def _conj_atom(self, conjuncts: frozenset[int], origin: Origin) -> int:
        key = ("conj", conjuncts, origin)
        if key not in self._fresh:
            atom = self._fresh[key] = self._atom_id(("fresh", len(self._fresh)))
            for c in conjuncts:
                self._conj[c].append((conjuncts, atom, origin))
        return self._fresh[key]

    # -- reading the graph -------------------------------------------------------

    def _read(self, g: Graph) -> None:
        def expr(node: Node) -> Expr:
            return parse_expression(g, node)

        for class_type in (OWL.Class, RDFS.Class):
            for c in g.subjects(RDF.type, class_type):
                if isinstance(c, URIRef) and not _is_vocabulary(c):
                    self._class(c)

        for s, o in g.subject_objects(RDFS.subClassOf):
            self._gci(expr(s), expr(o), ((s, RDFS.subClassOf, o),))
        for s, o in g.subject_objects(OWL.equivalentClass):
            origin: Origin = ((s, OWL.equivalentClass, o),)
            left, right = expr(s), expr(o)
            self._gci(left, right, origin)
            self._gci(right, left, origin)
        for s, o in g.subject_objects(OWL.disjointWith):
            self._gci(Intersection((expr(s), expr(o))), OWL.Nothing, ((s, OWL.disjointWith, o),))
        for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
            members = rdf_list(g, g.value(node, OWL.members)) or []
            origin = ((node, RDF.type, OWL.AllDisjointClasses),)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    self._gci(Intersection((expr(a), expr(b))), OWL.Nothing, origin)

        # properties
        declared_object = {
            p for t in _DECLARED_OBJECT for p in g.subjects(RDF.type, t) if isinstance(p, URIRef)
        }
        object_props = {
            p
            for t in _OBJECT_PROPERTY_TYPES
            for p in g.subjects(RDF.type, t)
            if isinstance(p, URIRef)
        }
        object_props |= {p for p in g.objects(None, OWL.onProperty) if isinstance(p, URIRef)}
        data_props = {
            p for p in g.subjects(RDF.type, OWL.DatatypeProperty) if isinstance(p, URIRef)
        }
        annotation = {
            p for p in g.subjects(RDF.type, OWL.AnnotationProperty) if isinstance(p, URIRef)
        }
        datatypes = set(g.subjects(RDF.type, RDFS.Datatype))
        for r, s in g.subject_objects(RDFS.subPropertyOf):
            if isinstance(r, URIRef) and isinstance(s, URIRef) and r != s:
                self._role_sub[r].append((s, ((r, RDFS.subPropertyOf, s),)))
        for r, s in g.subject_objects(OWL.equivalentProperty):
            if isinstance(r, URIRef) and isinstance(s, URIRef) and r != s:
                origin = ((r, OWL.equivalentProperty, s),)
                self._role_sub[r].append((s, origin))
                self._role_sub[s].append((r, origin))
        for r in g.subjects(RDF.type, OWL.TransitiveProperty):
            if isinstance(r, URIRef):
                self._chain(r, r, r, ((r, RDF.type, OWL.TransitiveProperty),))
        for t, head in g.subject_objects(OWL.propertyChainAxiom):
            chain = rdf_list(g, head)
            origin = ((t, OWL.propertyChainAxiom, head),)
            if (
                not isinstance(t, URIRef)
                or not chain
                or not all(isinstance(c, URIRef) for c in chain)
            ):
                self.unsupported["a malformed owl:propertyChainAxiom"] += 1
                continue
            roles: list[URIRef] = [c for c in chain if isinstance(c, URIRef)]
            while len(roles) > 2:
                self._fresh_roles += 1
                helper = URIRef(f"urn:genai-graph:chain:{self._fresh_roles}")
                self._chain(roles[0], roles[1], helper, origin)
                roles = [helper, *roles[2:]]
            if len(roles) == 1:
                self._role_sub[roles[0]].append((t, origin))
            else:
                self._chain(roles[0], roles[1], t, origin)

        def relation(p: Node) -> bool:  # a predicate that relates things, as rdfs reads it
            return (
                isinstance(p, URIRef)
                and p not in annotation
                and (
                    p in object_props or p in data_props or not str(p).startswith(_LINK_VOCABULARY)
                )
            )

        def domain_class(c: Node) -> bool:  # a class, not a datatype or a vocabulary term
            return not _is_vocabulary(c) and c not in datatypes and not isinstance(c, Literal)

        domains: dict[URIRef, list[tuple[Node, Origin]]] = defaultdict(list)
        for p, d in g.subject_objects(RDFS.domain):
            if isinstance(p, URIRef) and relation(p) and domain_class(d):
                origin = ((p, RDFS.domain, d),)
                self._gci(Some(p, OWL.Thing), expr(d), origin)
                domains[p].append((d, origin))  # for data values, below
        ranges: dict[URIRef, list[tuple[Node, Origin]]] = defaultdict(list)
        for p, r in g.subject_objects(RDFS.range):
            if (
                isinstance(p, URIRef)
                and relation(p)
                and domain_class(r)
                and (p not in data_props or p in declared_object)
            ):
                ranges[p].append((r, ((p, RDFS.range, r),)))
        range_cache: dict[URIRef, list[tuple[Node, Origin]]] = {}

        def ranges_of(p: URIRef) -> list[tuple[Node, Origin]]:
            """Return the ranges of p and its superproperties, with the statements behind each."""
            found = range_cache.get(p)
            if found is None:
                found = range_cache[p] = [
                    (r, path + why)
                    for s, path in self._supers(p).items()
                    for r, why in ranges.get(s, ())
                ]
            return found

        inverse: dict[URIRef, list[tuple[URIRef, Origin]]] = defaultdict(list)
        for p, q in g.subject_objects(OWL.inverseOf):
            if isinstance(p, URIRef) and isinstance(q, URIRef):
                origin = ((p, OWL.inverseOf, q),)
                inverse[p].append((q, origin))
                inverse[q].append((p, origin))
        symmetric = {
            p for p in g.subjects(RDF.type, OWL.SymmetricProperty) if isinstance(p, URIRef)
        }
        functional: dict[URIRef, Origin] = {}
        for p in g.subjects(RDF.type, OWL.FunctionalProperty):
            if isinstance(p, URIRef) and p in data_props and p not in declared_object:
                functional[p] = ((p, RDF.type, OWL.FunctionalProperty),)
            else:
                self.unsupported["owl:FunctionalProperty (except on datatype properties)"] += 1
        self._left_out(g, expr)

        # individuals
        for x, c in g.subject_objects(RDF.type):
            if isinstance(x, URIRef) and not _is_vocabulary(c):
                self._gci(Nominal(x), expr(c), ((x, RDF.type, c),))
        for x in g.subjects(RDF.type, OWL.NamedIndividual):
            if isinstance(x, URIRef):
                self._nominal(x)
        for p in distinct_terms(g)[1]:
            if not relation(p):
                continue
            assert isinstance(p, URIRef)
            objects_too = p not in data_props or p in declared_object
            for x, y in predicate_pairs(g, p):
                if not isinstance(x, URIRef):
                    continue
                origin = ((x, p, y),)
                if isinstance(y, URIRef):
                    if not objects_too:
                        continue
                    self._assert_link(x, p, y, origin)
                    for q, why in inverse.get(p, ()):
                        self._assert_link(y, q, x, origin + why)
                    if p in symmetric:
                        self._assert_link(y, p, x, (*origin, (p, RDF.type, OWL.SymmetricProperty)))
                elif isinstance(y, Literal):
                    self._gci(Nominal(x), DataValue(p, y), origin)
                elif isinstance(y, BNode):  # something, unnamed
                    self._gci(Nominal(x), Some(p, OWL.Thing), origin)
        for x, y in g.subject_objects(OWL.sameAs):
            if isinstance(x, URIRef) and isinstance(y, URIRef):
                origin = ((x, OWL.sameAs, y),)
                self._gci(Nominal(x), Nominal(y), origin)
                self._gci(Nominal(y), Nominal(x), origin)

        self._data_values(domains, functional, expr)
        self._apply_ranges(ranges_of, expr)

    def _left_out(self, g: Graph, expr: Callable[[Node], Expr]) -> None:
        """Count the constructs left out, and read the sound part of owl:disjointUnionOf."""
        for kind, what in _LEFT_OUT_TYPES.items():
            for _ in g.subjects(RDF.type, kind):
                self.unsupported[what] += 1
        for predicate, what in _LEFT_OUT_PREDICATES.items():
            for _ in g.subject_objects(predicate):
                self.unsupported[what] += 1
        for c, head in g.subject_objects(OWL.disjointUnionOf):
            members = rdf_list(g, head)
            origin: Origin = ((c, OWL.disjointUnionOf, head),)
            if members is None:
                self.unsupported["a malformed owl:disjointUnionOf"] += 1
                continue
            self.unsupported["owl:disjointUnionOf (that its members cover it)"] += 1
            whole = expr(c)
            for i, a in enumerate(members):
                self._gci(expr(a), whole, origin)
                for b in members[i + 1 :]:
                    self._gci(Intersection((expr(a), expr(b))), OWL.Nothing, origin)

    def _supers(self, p: URIRef) -> dict[URIRef, Origin]:
        """Return p and its superproperties, each with the statements leading there."""
        found = self._supers_of.get(p)
        if found is None:
            found = {p: ()}
            queue = deque([p])
            while queue:
                q = queue.popleft()
                for s, why in self._role_sub.get(q, ()):
                    if s not in found:
                        found[s] = found[q] + why
                        queue.append(s)
            self._supers_of[p] = found
        return found

    def _data_values(
        self,
        domains: dict[URIRef, list[tuple[Node, Origin]]],
        functional: dict[URIRef, Origin],
        expr: Callable[[Node], Expr],
    ) -> None:
        """Carry data values up subproperties, give them their domains, mark functional ones."""
        pending = [atom for key, atom in self._atom.items() if key[0] == "data"]
        seen = set(pending)
        while pending:
            atom = pending.pop()
            _, p, value = self._key[atom]
            for d, origin in domains.get(p, ()):
                self._gci(atom, expr(d), origin)
            for s, origin in self._role_sub.get(p, ()):
                up = self._atom_id(("data", s, value))
                self._literal.setdefault(up, self._literal[atom])
                self._sub[atom].append((up, origin))
                if up not in seen:
                    seen.add(up)
                    pending.append(up)
            if p in functional:
                self._functional[atom] = (value, functional[p])

    def _apply_ranges(
        self,
        ranges_of: Callable[[URIRef], list[tuple[Node, Origin]]],
        expr: Callable[[Node], Expr],
    ) -> None:
        """Give the fillers of existentials, and the objects of assertions, their ranges.

        ``A SubClassOf r some B`` becomes ``A SubClassOf r some Q`` with ``Q``
        below B and the ranges of r. A value filler ``{b}`` keeps its link, and
        gets such a ``Q`` besides: only when the subject is an individual
        (never empty) is b itself in the range. Ranges B is already stated to
        be below are left out, so a well-typed filler keeps its own link.
        """
        key, sub, atoms = self._key, self._sub, self._atom
        above: dict[int, set[int]] = {}

        def new_ranges(filler: int, ranges: list[tuple[Node, Origin]]) -> list[tuple[Node, Origin]]:
            up = above.get(filler)
            if up is None:  # what subclass axioms alone put above the filler
                up = above[filler] = {filler, TOP}
                stack = [filler]
                while stack:
                    for b, _ in sub.get(stack.pop(), ()):
                        if b not in up:
                            up.add(b)
                            stack.append(b)
            return [(c, why) for c, why in ranges if atoms.get(("class", c), -1) not in up]

        for source, entries in list(self._ex_rhs.items()):
            individual = key[source][0] == "nominal"
            changed: list[tuple[URIRef, int, Origin]] = []
            for r, target, origin in entries:
                found = ranges_of(r)
                if found:
                    found = new_ranges(target, found)
                if not found:
                    changed.append((r, target, origin))
                elif key[target][0] != "nominal":
                    changed.append((r, self._ranged(r, target, found, expr), origin))
                elif individual:
                    changed.append((r, target, origin))
                    for c, why in found:
                        self._gci(target, expr(c), origin + why)
                else:
                    changed.append((r, target, origin))
                    changed.append((r, self._ranged(r, target, found, expr), origin))
            self._ex_rhs[source] = changed

    def _ranged(
        self,
        r: URIRef,
        filler: int,
        ranges: list[tuple[Node, Origin]],
        expr: Callable[[Node], Expr],
    ) -> int:
        """Return the atom for `filler` and the ranges of r (one per role and filler)."""
        key = ("range", r, filler)
        atom = self._fresh.get(key)
        if atom is None:
            atom = self._fresh[key] = self._atom_id(("fresh", len(self._fresh)))
            self._sub[atom].append((filler, ()))
            for c, origin in ranges:
                self._gci(atom, expr(c), origin)
        return atom

    def _assert_link(self, x: URIRef, p: URIRef, y: URIRef, origin: Origin) -> None:
        self._ex_rhs[self._nominal(x)].append((p, self._nominal(y), origin))

    def _chain(self, r: URIRef, s: URIRef, t: URIRef, origin: Origin) -> None:
        if r == s == t:  # transitive: closed by a rule of its own
            self._transitive.setdefault(t, origin)
            return
        self._chain_first[r].append((s, t, origin))
        self._chain_second[s].append((r, t, origin))

    # -- saturation ----------------------------------------------------------------

    def _saturate(self) -> None:
        subsumers: dict[int, dict[int, tuple[Any, ...]]] = {}
        succ: dict[int, dict[URIRef, dict[int, tuple[Any, ...]]]] = defaultdict(dict)
        pred: dict[int, dict[URIRef, set[int]]] = defaultdict(lambda: defaultdict(set))
        # for a transitive role: the successors by links its own rule did not derive
        base: dict[int, dict[URIRef, list[int]]] = defaultdict(dict)
        values: dict[tuple[int, URIRef], list[int]] = {}  # functional data values met per atom
        queue: deque[tuple[Any, ...]] = deque()
        push = queue.append
        sub, conj, ex_rhs, ex_lhs = self._sub, self._conj, self._ex_rhs, self._ex_lhs
        role_sub, chain_first, chain_second = self._role_sub, self._chain_first, self._chain_second
        transitive, functional, key = self._transitive, self._functional, self._key

        def context(x: int) -> None:
            if x not in subsumers:
                subsumers[x] = {}
                push((0, x, x, _INIT))
                push((0, x, TOP, _INIT))

        for atom_key, atom in list(self._atom.items()):
            if atom_key[0] in ("class", "nominal"):
                context(atom)
        steps = 0
        while queue:
            item = queue.popleft()
            steps += 1
            if item[0] == 0:
                _, x, a, why = item
                sx = subsumers[x]
                if a in sx:
                    continue
                sx[a] = why
                for b, origin in sub.get(a, ()):
                    if b not in sx:
                        push((0, x, b, ("sub", origin, a)))
                for conjuncts, b, origin in conj.get(a, ()):
                    if b not in sx and all(c in sx for c in conjuncts):
                        push((0, x, b, ("conj", origin, tuple(sorted(conjuncts)))))
                out = succ[x]
                for r, y, origin in ex_rhs.get(a, ()):
                    if y not in out.get(r, ()):
                        push((1, x, r, y, ("ex-rhs", origin, a)))
                preds = pred.get(x)
                if preds:
                    for r, sources in preds.items():
                        lhs = ex_lhs.get(r)
                        if lhs is not None:
                            for b, origin in lhs.get(a, ()):
                                for w in sources:
                                    if b not in subsumers[w]:
                                        push((0, w, b, ("ex-lhs", origin, w, r, x, a)))
                        if a == BOTTOM:
                            for w in sources:
                                if BOTTOM not in subsumers[w]:
                                    push((0, w, BOTTOM, ("bottom", w, r, x)))
                single = functional.get(a)
                if single is not None:  # a value of a functional datatype property
                    value, origin = single
                    met = values.setdefault((x, key[a][1]), [])
                    for b in met:
                        if distinct_values(value, functional[b][0]):
                            push((0, x, BOTTOM, ("conj", origin, (min(a, b), max(a, b)))))
                            break
                    met.append(a)
            else:  # 1: a link; 2: a link derived by the rule for transitive roles
                _, x, r, y, why = item
                out = succ[x]
                targets = out.get(r)
                if targets is None:
                    targets = out[r] = {}
                elif y in targets:
                    continue
                targets[y] = why
                pred[y][r].add(x)
                context(y)
                sx, sy = subsumers[x], subsumers[y]
                lhs = ex_lhs.get(r)
                if lhs is not None:
                    if len(lhs) < len(sy):
                        for a, entries in lhs.items():
                            if a in sy:
                                for b, origin in entries:
                                    if b not in sx:
                                        push((0, x, b, ("ex-lhs", origin, x, r, y, a)))
                    else:
                        for a in list(sy):
                            for b, origin in lhs.get(a, ()):
                                if b not in sx:
                                    push((0, x, b, ("ex-lhs", origin, x, r, y, a)))
                if BOTTOM in sy and BOTTOM not in sx:
                    push((0, x, BOTTOM, ("bottom", x, r, y)))
                for s, origin in role_sub.get(r, ()):
                    if y not in out.get(s, ()):
                        push((1, x, s, y, ("role", origin, r)))
                for s2, t, origin in chain_first.get(r, ()):
                    reached = out.get(t, ())
                    for z in succ[y].get(s2, ()):
                        if z not in reached:
                            push((1, x, t, z, ("chain", origin, x, r, y, s2, z)))
                for s1, t, origin in chain_second.get(r, ()):
                    for w in pred[x].get(s1, ()):
                        if y not in succ[w].get(t, ()):
                            push((1, w, t, y, ("chain", origin, w, s1, x, r, y)))
                closing = transitive.get(r)
                if closing is not None:
                    # (x, r, y) then each base link (y, r, z) ...
                    for z in base[y].get(r, ()):
                        if z not in targets:
                            push((2, x, r, z, ("chain", closing, x, r, y, r, z)))
                    if item[0] == 1:  # ... and, for a base link, each (w, r, x) then it
                        base[x].setdefault(r, []).append(y)
                        for w in pred[x].get(r, ()):
                            if y not in succ[w][r]:
                                push((2, w, r, y, ("chain", closing, w, r, x, r, y)))
        self.derivations = steps
        self._S = subsumers
        self._succ = succ

    # -- answers ---------------------------------------------------------------------

    def atom_of_class(self, iri: URIRef) -> int | None:
        """Return the atom of a named class, or None if the class was never mentioned."""
        return self._atom.get(("class", iri))

    def atom_of_individual(self, iri: URIRef) -> int | None:
        """Return the nominal atom of an individual, or None."""
        return self._atom.get(("nominal", iri))

    def key(self, atom: int) -> Any:
        """Return what an atom stands for: ("class", iri), ("nominal", iri), ("data", p, v) or ("fresh", n).

        For a data atom, v is the :func:`.expressions.value_key` of the value
        (see :meth:`literal` for a literal of it).
        """
        return self._key[atom]

    def literal(self, atom: int) -> Literal | None:
        """Return a literal with the value of a data atom (the first the graph gave it), or None."""
        return self._literal.get(atom)

    def individuals(self) -> Iterator[tuple[URIRef, int]]:
        """Yield (IRI, atom) for every individual."""
        for key, atom in self._atom.items():
            if key[0] == "nominal":
                yield key[1], atom

    def subsumer_atoms(self, atom: int) -> dict[int, tuple[Any, ...]]:
        """Return S(atom): every atom subsuming it, with the record of its derivation."""
        return self._S.get(atom, {})

    def subsumers(self, iri: URIRef) -> set[URIRef]:
        """Return the named classes subsuming the class (or individual) `iri`, itself included."""
        atom = self.atom_of_class(iri)
        if atom is None:
            atom = self.atom_of_individual(iri)
        if atom is None:
            return set()
        return {self._key[a][1] for a in self._S.get(atom, ()) if self._key[a][0] == "class"}

    def links(self, atom: int) -> dict[URIRef, dict[int, tuple[Any, ...]]]:
        """Return the r-successors of an atom: role -> {target atom: derivation}."""
        return self._succ.get(atom, {})

    def taxonomy(self) -> SubsumptionIndex:
        """Return the classified taxonomy as a :class:`SubsumptionIndex`.

        Each class gets an edge to its direct inferred superclasses and to its
        equivalents; each individual to its direct inferred types; individuals
        whose nominals subsume each other are owl:sameAs. Unsatisfiable classes
        are equivalent to owl:Nothing.
        """
        key = self._key
        is_class = [k[0] == "class" for k in key]
        saturated = self._S
        named: dict[int, set[int]] = {}
        for atom, subsumers in saturated.items():
            if is_class[atom] or key[atom][0] == "nominal":
                found = {a for a in subsumers if is_class[a]}
                found.discard(TOP)
                named[atom] = found
        classes = [atom for atom in named if is_class[atom]]
        equiv: dict[int, set[int]] = {}
        strict: dict[int, set[int]] = {}
        for atom in classes:
            above = named[atom] - {atom}
            if BOTTOM in above:  # unsatisfiable: the same as owl:Nothing
                equiv[atom] = {BOTTOM}
                strict[atom] = set()
                continue
            equiv[atom] = {b for b in above if atom in named.get(b, ())}
            strict[atom] = above - equiv[atom]
        up: dict[URIRef, list[Edge]] = {}
        for atom in classes:
            iri = key[atom][1]
            covered: set[int] = set()
            for c in strict[atom]:
                covered |= strict.get(c, set())
            targets = (strict[atom] - covered) | equiv[atom]
            if targets:
                up[iri] = [
                    (iri, OWL.equivalentClass if t in equiv[atom] else RDFS.subClassOf, key[t][1])
                    for t in sorted(targets)
                ]
            if (
                BOTTOM in equiv[atom] and atom != BOTTOM
            ):  # equivalent to owl:Nothing: an edge back too
                up.setdefault(OWL.Nothing, []).append((OWL.Nothing, OWL.equivalentClass, iri))
        types: dict[URIRef, set[URIRef]] = {}
        type_edges: dict[URIRef, list[Edge]] = {}
        same_as: dict[URIRef, list[Edge]] = {}
        for iri, atom in self.individuals():
            kinds = named.get(atom, set())
            covered = set()
            for c in kinds:
                covered |= strict.get(c, set())
            direct = kinds - covered
            types[iri] = {key[t][1] for t in direct}
            type_edges[iri] = [(iri, RDF.type, key[t][1]) for t in sorted(direct)]
            for other in saturated.get(atom, ()):
                if other != atom and key[other][0] == "nominal":
                    same_as.setdefault(iri, []).append((iri, OWL.sameAs, key[other][1]))
        return SubsumptionIndex((key[a][1] for a in classes), up, types, type_edges, same_as)

    def is_unsatisfiable(self, atom: int) -> bool:
        """Return True if owl:Nothing subsumes the atom."""
        return BOTTOM in self._S.get(atom, ())


def _flatten(expr: Intersection) -> Iterator[Expr]:
    for part in expr.parts:
        if isinstance(part, Intersection):
            yield from _flatten(part)
        else:
            yield part
