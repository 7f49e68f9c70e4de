"""Random ontologies for property-based and cross-reasoner tests.

Classes ``C0..Cn`` form a DAG (edges only from higher to lower numbers, so
``Ci SubClassOf Cj`` has ``i > j``), optionally with one cycle; on top of it
come existential restrictions, defined classes (``Ci EquivalentTo Cj and p
some Ck``), subproperties, a transitive property, disjointness and
individuals with types and links. Everything is declared, so any OWL tool
reads the file the same way.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from hypothesis import strategies as st


@dataclass
class RandomOntology:
    """A random EL ontology; `turtle(ns)` writes it under the namespace `ns`."""

    n: int
    parents: list[tuple[int, int]] = field(default_factory=list)
    existentials: list[tuple[int, int, int]] = field(
        default_factory=list
    )  # Ci SubClassOf p some Ck
    defined: list[tuple[int, int, int, int]] = field(default_factory=list)  # Ci == Cj and p some Ck
    disjoint: list[tuple[int, int]] = field(default_factory=list)
    individuals: list[tuple[int, int]] = field(default_factory=list)  # (i, class)
    links: list[tuple[int, int, int]] = field(default_factory=list)  # (i, p, j)
    transitive: bool = False

    def turtle(self, ns: str) -> str:
        """Return the ontology as Turtle with every entity declared."""
        out = [
            "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
            "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
            f"@prefix : <{ns}> .",
        ]
        for i in range(self.n):
            out.append(f":C{i} a owl:Class .")
        out += [
            ":p0 a owl:ObjectProperty .",
            ":p1 a owl:ObjectProperty ; rdfs:subPropertyOf :p0 .",
            ":p2 a owl:ObjectProperty .",
        ]
        if self.transitive:
            out.append(":p2 a owl:TransitiveProperty .")
        for a, b in self.parents:
            out.append(f":C{a} rdfs:subClassOf :C{b} .")
        for a, p, k in self.existentials:
            out.append(
                f":C{a} rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :p{p} ; owl:someValuesFrom :C{k} ] ."
            )
        for a, j, p, k in self.defined:
            out.append(
                f":C{a} owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( :C{j} "
                f"[ a owl:Restriction ; owl:onProperty :p{p} ; owl:someValuesFrom :C{k} ] ) ] ."
            )
        for a, b in self.disjoint:
            out.append(f":C{a} owl:disjointWith :C{b} .")
        for i, c in self.individuals:
            out.append(f":i{i} a owl:NamedIndividual , :C{c} .")
        for i, p, j in self.links:
            out.append(f":i{i} :p{p} :i{j} .")
        return "\n".join(out) + "\n"


def random_el(seed: int, n: int = 14, *, disjointness: bool = True) -> RandomOntology:
    """Return a random EL ontology drawn from `seed`."""
    rng = random.Random(seed)
    onto = RandomOntology(n, transitive=rng.random() < 0.5)
    for i in range(1, n):
        for _ in range(rng.choice((1, 1, 2))):
            onto.parents.append((i, rng.randrange(i)))
    if rng.random() < 0.2:
        a, b = sorted(rng.sample(range(n), 2))
        onto.parents.append((a, b))  # closes a cycle: a and b become equivalent
    for _ in range(rng.randint(2, 6)):
        onto.existentials.append((rng.randrange(n), rng.randrange(3), rng.randrange(n)))
    for _ in range(rng.randint(1, 4)):
        onto.defined.append(
            (rng.randrange(n), rng.randrange(n), rng.randrange(3), rng.randrange(n))
        )
    if disjointness and rng.random() < 0.3:
        onto.disjoint.append(tuple(rng.sample(range(n), 2)))  # type: ignore[arg-type]
    n_ind = rng.randint(2, 6)
    for i in range(n_ind):
        onto.individuals.append((i, rng.randrange(n)))
    for _ in range(rng.randint(1, 6)):
        onto.links.append((rng.randrange(n_ind), rng.randrange(3), rng.randrange(n_ind)))
    return onto


el_ontologies = st.integers(min_value=0, max_value=2**32 - 1).map(random_el)
"""A hypothesis strategy of random EL ontologies."""
