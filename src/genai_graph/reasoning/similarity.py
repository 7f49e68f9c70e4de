"""Common ancestors and semantic similarity over a subsumption index.

Definitions follow nxontology (Himmelstein et al.), on any ontology:

- the ancestors of a concept include the concept itself;
- intrinsic information content (Sanchez et al., 2011, as in nxontology):
  ``IC(c) = log(N) - log(|descendants(c)|)``, with N the number of classes and
  descendants counted with c itself; the scaled form divides by log(N), so it
  lies in [0, 1];
- Resnik similarity: the IC of the most informative common ancestor (MICA);
- Lin similarity: ``2 IC(MICA) / (IC(x) + IC(y))``;
- Jaccard similarity: shared ancestors over all ancestors of the two.

Individuals count through their types: their ancestors are their types'
ancestors, their IC is that of their most informative type.
"""

from __future__ import annotations

import math
from collections import defaultdict

from rdflib import URIRef
from rdflib.namespace import OWL

from .index import SubsumptionIndex

__all__ = ["Similarity"]

_TOP = (OWL.Thing, OWL.Nothing)


class Similarity:
    """Similarity measures over one index; counts are computed once, on first use."""

    def __init__(self, index: SubsumptionIndex) -> None:
        self.index = index
        classes = [c for c in index.classes if c not in _TOP]
        counts: dict[URIRef, int] = defaultdict(int)
        for c in classes:
            counts[c] += 1
            for a in index.ancestors(c):
                if a not in _TOP:
                    counts[a] += 1
        self._counts = counts
        self._n = max(len(classes), 1)

    def ancestors(self, x: URIRef) -> set[URIRef]:
        """Return the ancestors of `x`, itself included when it is a class (owl:Thing left out)."""
        found = set(self.index.ancestors(x, reflexive=self.index.is_class(x)))
        found.difference_update(_TOP)
        return found

    def common_ancestors(self, x: URIRef, y: URIRef) -> set[URIRef]:
        """Return the classes that both `x` and `y` are."""
        return self.ancestors(x) & self.ancestors(y)

    def lowest_common_ancestors(self, x: URIRef, y: URIRef) -> set[URIRef]:
        """Return the common ancestors that no other common ancestor is below."""
        common = self.common_ancestors(x, y)
        below: set[URIRef] = set()
        for c in common:
            below |= set(self.index.ancestors(c)) - self.index.equivalents(c)
        return common - below

    def ic(self, x: URIRef, *, scaled: bool = False) -> float:
        """Return the intrinsic information content of a class (of its most informative type for an individual)."""
        if not self.index.is_class(x):
            return max((self.ic(t, scaled=scaled) for t in self.index.parents(x)), default=0.0)
        count = self._counts.get(x, 1)
        value = math.log(self._n) - math.log(count)
        if scaled:
            return value / math.log(self._n) if self._n > 1 else 0.0
        return value

    def mica(self, x: URIRef, y: URIRef) -> URIRef | None:
        """Return the most informative common ancestor (ties: by IRI), or None."""
        common = self.common_ancestors(x, y)
        if not common:
            return None
        return max(sorted(common), key=self.ic)

    def resnik(self, x: URIRef, y: URIRef, *, scaled: bool = False) -> float:
        """Return the IC of the most informative common ancestor (0 when there is none)."""
        best = self.mica(x, y)
        return 0.0 if best is None else self.ic(best, scaled=scaled)

    def lin(self, x: URIRef, y: URIRef) -> float:
        """Return 2 IC(MICA) / (IC(x) + IC(y)), in [0, 1]; 1 for a concept with itself."""
        if x == y:
            return 1.0
        denominator = self.ic(x) + self.ic(y)
        if denominator == 0:
            return 0.0
        return 2 * self.resnik(x, y) / denominator

    def jaccard(self, x: URIRef, y: URIRef) -> float:
        """Return |shared ancestors| / |all ancestors| of the two, in [0, 1]."""
        a, b = self.ancestors(x), self.ancestors(y)
        union = a | b
        return len(a & b) / len(union) if union else 0.0
